# Stage 20-modules: load the essential modules named in rescue.conf, then coldplug: modprobe the modalias of
# every device under /sys/devices, pass after pass, because a bus driver (ata_piix, virtio_pci, xhci) brings
# new devices with their own aliases (sr_mod, virtio_blk, usb-storage). Stops when neither the aliases nor
# /proc/partitions changed over a half-second nap, or after RK_SETTLE_SECONDS (default 10). 40-media keeps
# coldplugging while it waits for slow media. Sets up nothing else.

rk_have modprobe || rk_fail "no modprobe in the image"
# One modprobe for all of them (each kmod start costs under emulation); then name any that did not load.
# shellcheck disable=SC2086 # one argument per module
modprobe -q -b -a $RK_ESSENTIAL_MODULES
missing=
for m in $RK_ESSENTIAL_MODULES; do
	[ -d "/sys/module/$m" ] || grep -qx "kernel/.*/$m.ko.*" "/lib/modules/$(uname -r)/modules.builtin" 2>/dev/null ||
		missing="$missing $m"
done

limit=$((${RK_SETTLE_SECONDS:-10} * 2))
quiet=0
i=0
while [ "$i" -lt "$limit" ] && [ "$quiet" -lt 1 ]; do
	if rk_coldplug; then quiet=0; else quiet=$((quiet + 1)); fi
	rk_nap
	i=$((i + 1))
done

echo "loaded: $(cut -d" " -f1 /proc/modules | tr "\n" " ")"
loaded=$(wc -l </proc/modules)
disks=$(rk_block_devices)
[ -n "$missing" ] && rk_fail "essential modules not loaded:$missing"
[ "$quiet" -lt 1 ] && rk_ok "$loaded modules, $disks block devices, still changing after ${RK_SETTLE_SECONDS:-10} s"
rk_ok "$loaded modules, $disks block devices"
