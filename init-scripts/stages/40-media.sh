# Stage 40-media: find the rescue media and the backup on it.
# auto / cdrom / label:L: the block device whose volume label is RK_LABEL (or L), found with blkid -L or
# busybox findfs, retried for RK_MEDIA_WAIT seconds (default 8) while coldplugging devices that appear late;
# mounted read-only at /run/rescuekit/media (iso9660, then vfat). After a network boot (BOOTIF=) with no rk.source
# there is normally no medium: auto then looks once and does not wait. http:// and tftp:// are recorded as
# RK_BACKUP_URL for the front-end, which downloads and verifies with `rescuekit fetch`; a rescuekit without that verb
# cannot, and the stage fails saying so. nfs: is mounted by 70-nfs.

case "$RK_SOURCE" in
http://* | tftp://*)
	rk_set RK_BACKUP_URL "$RK_SOURCE"
	rk_have rescuekit && rescuekit fetch --help >/dev/null 2>&1 ||
		rk_fail "rk.source=$RK_SOURCE needs 'rescuekit fetch' to download the backup, and this rescuekit has no fetch verb: use rk.source=nfs:HOST:/PATH or a medium"
	rk_ok "backup at $RK_SOURCE, fetched by the front-end with rescuekit fetch"
	;;
nfs:*) rk_ok "skipped: backup on NFS, see 70-nfs" ;;
label:*) label=${RK_SOURCE#label:} ;;
auto | cdrom) label=$RK_LABEL ;;
*) rk_fail "unknown rk.source=$RK_SOURCE" ;;
esac
[ -n "$label" ] || rk_fail "no volume label to look for (RK_LABEL is empty in rescue.conf)"

if grep -q " $RK_MEDIA_DIR " /proc/mounts; then
	dev=$(awk -v d="$RK_MEDIA_DIR" '$2 == d { print $1 }' /proc/mounts)
elif [ "$label" = "$RK_LABEL" ] && [ -b "$RK_RESCUE_MEDIA_DEV" ]; then
	# 20-modules found this very medium and has it mounted: no need to scan the devices again.
	dev=$RK_RESCUE_MEDIA_DEV
	rk_mount_media "$dev" "$RK_MEDIA_DIR" || rk_fail "cannot mount $dev (label $label) read-only as iso9660 or vfat"
else
	# Another medium's controller may need a driver kept on the rescue medium; and one coldplug at a time.
	rk_wait_devices
	rk_have blkid || rk_have findfs || rk_fail "neither blkid nor findfs in the image"
	echo "looking for a device labelled $label (blkid -L or findfs LABEL=)"
	limit=$((${RK_MEDIA_WAIT:-8} * 2))
	# Booted from the network and told of no backup: a medium is not expected, so one look.
	[ -n "$RK_BOOTIF" ] && [ "$RK_SOURCE_GIVEN" != 1 ] && limit=1
	# 20-modules has already waited that long for this very medium (it holds the drivers kept off the initramfs).
	[ "$label" = "$RK_LABEL" ] && [ -n "$RK_RESCUE_MEDIA_MISSING" ] && limit=1
	i=0
	dev=
	while [ "$i" -lt "$limit" ]; do
		dev=$(rk_find_label "$label") && [ -b "$dev" ] && break
		dev=
		# A USB stick may enumerate after 20-modules settled: load drivers for whatever appeared since.
		rk_coldplug
		rk_nap
		i=$((i + 1))
	done
	if [ -z "$dev" ]; then
		echo "block devices seen:"
		awk 'NR > 2 { print "  /dev/" $4 ", " $3 " KiB" }' /proc/partitions
	fi
	[ -z "$dev" ] && [ -n "$RK_BOOTIF" ] && [ "$RK_SOURCE_GIVEN" != 1 ] &&
		rk_ok "booted from the network without rk.source and no medium labelled $label: no backup"
	[ -n "$dev" ] || rk_fail "no device with label $label after ${RK_MEDIA_WAIT:-8} s"
	rk_mount_media "$dev" "$RK_MEDIA_DIR" ||
		rk_fail "cannot mount $dev (label $label) read-only as iso9660 or vfat"
fi
rk_set RK_MEDIA_DEV "$dev"

if [ -f "$RK_MEDIA_DIR/backup/manifest.json" ]; then
	rk_set RK_BACKUP_DIR "$RK_MEDIA_DIR/backup"
	rk_ok "$dev, backup at $RK_MEDIA_DIR/backup"
fi
rk_ok "$dev, no backup on the media"
