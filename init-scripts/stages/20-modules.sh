# Stage 20-modules: load the essential modules named in rescue.conf, then coldplug: modprobe every
# /sys/devices/**/modalias, repeatedly, because loading a bus driver (ata_piix, virtio_pci) brings new devices
# with their own aliases (sr_mod, virtio_blk). Stops when neither aliases nor /proc/partitions changed for
# about 1.5 s, or after RK_SETTLE_SECONDS (default 10). Sets up nothing else.

rk_have modprobe || rk_fail "no modprobe in the image"
missing=
for m in $RK_ESSENTIAL_MODULES; do
	modprobe -b "$m" || missing="$missing $m"
done

fingerprint() {
	find /sys/devices -name modalias -type f 2>/dev/null | xargs cat 2>/dev/null | sort -u
	cat /proc/partitions
}

limit=$((${RK_SETTLE_SECONDS:-10} * 2))
last=
quiet=0
i=0
while [ "$i" -lt "$limit" ] && [ "$quiet" -lt 3 ]; do
	now=$(fingerprint)
	if [ "$now" = "$last" ]; then
		quiet=$((quiet + 1))
	else
		quiet=0
		last=$now
		aliases=$(find /sys/devices -name modalias -type f 2>/dev/null | xargs cat 2>/dev/null | sort -u)
		# shellcheck disable=SC2086 # one argument per alias
		[ -n "$aliases" ] && modprobe -q -b -a $aliases
	fi
	rk_nap
	i=$((i + 1))
done

loaded=$(wc -l </proc/modules)
disks=$(awk 'NR > 2 { n++ } END { print n + 0 }' /proc/partitions)
[ -n "$missing" ] && rk_fail "essential modules not loaded:$missing"
[ "$quiet" -lt 3 ] && rk_ok "$loaded modules, $disks block devices, still changing after ${RK_SETTLE_SECONDS:-10} s"
rk_ok "$loaded modules, $disks block devices"
