# Stage 20-modules: load the essential modules named in rescue.conf, then coldplug: modprobe the modalias of
# every device under /sys/devices, pass after pass, because a bus driver (ata_piix, virtio_pci, xhci) brings
# new devices with their own aliases (sr_mod, virtio_blk, usb-storage). Stops when neither the aliases nor
# /proc/partitions changed for two half-second naps, or after RK_SETTLE_SECONDS (default 10). 40-media keeps
# coldplugging while it waits for slow media. Sets up nothing else.

rk_have modprobe || rk_fail "no modprobe in the image"
missing=
for m in $RK_ESSENTIAL_MODULES; do
	modprobe -b "$m" || missing="$missing $m"
done

limit=$((${RK_SETTLE_SECONDS:-10} * 2))
quiet=0
i=0
while [ "$i" -lt "$limit" ] && [ "$quiet" -lt 2 ]; do
	if rk_coldplug; then quiet=0; else quiet=$((quiet + 1)); fi
	rk_nap
	i=$((i + 1))
done

echo "loaded: $(cut -d" " -f1 /proc/modules | tr "\n" " ")"
loaded=$(wc -l </proc/modules)
disks=$(rk_block_devices)
[ -n "$missing" ] && rk_fail "essential modules not loaded:$missing"
[ "$quiet" -lt 2 ] && rk_ok "$loaded modules, $disks block devices, still changing after ${RK_SETTLE_SECONDS:-10} s"
rk_ok "$loaded modules, $disks block devices"
