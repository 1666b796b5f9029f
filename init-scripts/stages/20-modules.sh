# Stage 20-modules: load the essential modules named in rescue.conf, then coldplug: modprobe the modalias of
# every device, pass after pass, because a bus driver (ata_piix, virtio_pci, xhci) brings new devices with their own
# aliases (sr_mod, virtio_blk, usb-storage). Stops at the first pass, half a second after the one before, that finds
# neither the aliases nor /proc/partitions changed, or after RK_SETTLE_SECONDS (default 10). 40-media keeps
# coldplugging while it waits for slow media.
# When rescue.conf sets RK_RESCUE_MEDIA, the initramfs holds only the modules that finding the medium needs and
# links to the others on the medium, mounted there (docs/mkrescue.md). The stage then coldplugs until the medium
# labelled RK_LABEL appears (at most RK_MEDIA_WAIT s, default 8) and mounts it read-only on RK_RESCUE_MEDIA. One more
# pass with every driver at hand, and the settling after it, run in the background while $RK_DEVICES_PENDING exists:
# the medium's drivers are for hardware the initramfs has none for (other NICs, RAID controllers), which the stages
# that need it wait for (rk_wait_devices), while the front-end comes up without waiting.

rk_have modprobe || rk_fail "no modprobe in the image"
# The essential modules go first in the first pass's modprobe run (each kmod start costs under emulation); the
# stage names any that did not load.
# shellcheck disable=SC2086 # one argument per module
rk_coldplug $RK_ESSENTIAL_MODULES
missing=
for m in $RK_ESSENTIAL_MODULES; do
	[ -d "/sys/module/$m" ] || grep -qx "kernel/.*/$m.ko.*" "/lib/modules/$(uname -r)/modules.builtin" 2>/dev/null ||
		missing="$missing $m"
done

# The pass with the medium's drivers, then settling, in the background; removes $RK_DEVICES_PENDING when done.
medium_drivers() {
	before=$(wc -l </proc/modules)
	# The aliases have not changed, but drivers that were out of reach until now may match them: a forced pass.
	rm -f "$RK_RUN/coldplug.last"
	rk_coldplug
	# Nothing new loaded: nothing else is coming.
	result=settled
	[ "$(wc -l </proc/modules)" -eq "$before" ] || rk_settle || result="still changing after ${RK_SETTLE_SECONDS:-10} s"
	echo "background coldplug with the medium's drivers done at $(cut -d" " -f1 /proc/uptime) s ($result):" \
		"$(wc -l </proc/modules) modules, $(rk_block_devices) block devices"
	rm -f "$RK_DEVICES_PENDING"
}

settled=
media_note=
if [ -n "$RK_RESCUE_MEDIA" ]; then
	rescue_dir=$RK_RESCUE_MEDIA
	limit=$((${RK_MEDIA_WAIT:-8} * 4))
	i=0
	while ! dev=$(rk_find_label "$RK_LABEL") || [ ! -b "$dev" ]; do
		dev=
		[ "$i" -ge "$limit" ] && break
		# Polling for the medium: a short nap finds it sooner and costs nothing when it is late.
		rk_nap 0.25
		rk_coldplug
		i=$((i + 1))
	done
	if [ -z "$dev" ]; then
		rk_set RK_RESCUE_MEDIA_MISSING 1
		media_note="; no medium labelled $RK_LABEL: the drivers kept on it are unavailable"
	elif grep -q " $rescue_dir " /proc/mounts || rk_mount_media "$dev" "$rescue_dir"; then
		echo "rescue medium $dev mounted on $rescue_dir: the modules kept there are at hand"
		rk_set RK_RESCUE_MEDIA_DEV "$dev"
		: >"$RK_DEVICES_PENDING"
		medium_drivers >>"$RK_LOG" 2>&1 </dev/null &
		media_note="; the drivers kept on the medium are loading in the background"
		settled=1
	else
		media_note="; cannot mount the rescue medium $dev: the drivers kept on it are unavailable"
	fi
fi

[ -z "$settled" ] && rk_settle && settled=1

echo "loaded: $(cut -d" " -f1 /proc/modules | tr "\n" " ")"
loaded=$(wc -l </proc/modules)
disks=$(rk_block_devices)
[ -n "$missing" ] && rk_fail "essential modules not loaded:$missing"
[ -z "$settled" ] && rk_ok "$loaded modules, $disks block devices, still changing after ${RK_SETTLE_SECONDS:-10} s$media_note"
rk_ok "$loaded modules, $disks block devices$media_note"
