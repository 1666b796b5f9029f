# Stage 40-media: find the rescue media and the backup on it.
# auto / cdrom / label:L: the block device whose volume label is RK_LABEL (or L), found with blkid -L or
# busybox findfs, retried for RK_MEDIA_WAIT seconds (default 8) while coldplugging devices that appear late;
# mounted read-only at /run/rescuekit/media (iso9660, then vfat). After a network boot (BOOTIF=) with no rk.source
# there is normally no medium: auto then looks once and does not wait. http:// is recorded as RK_BACKUP_URL for the
# front-end, which opens the backup there; the stage checks that this rescuekit has the HTTP client (`rescuekit
# fetch`). tftp:// is refused: a backup is served over HTTP. nfs: is mounted by 70-nfs.
# Then the data partition of a RescueKit USB stick, by its label (RK_DATA_LABEL, default RESCUEKIT-DATA): see below.

case "$RK_SOURCE" in
http://*)
	rk_set RK_BACKUP_URL "$RK_SOURCE"
	rk_have rescuekit && rescuekit fetch --help >/dev/null 2>&1 ||
		rk_fail "rk.source=$RK_SOURCE needs rescuekit's HTTP client ('rescuekit fetch'), and this rescuekit has none: use rk.source=nfs:HOST:/PATH or a medium"
	rk_ok "backup at $RK_SOURCE, read over HTTP by the front-end"
	;;
tftp://*) rk_fail "rk.source=$RK_SOURCE: a backup is not read over TFTP; serve it over HTTP (rescuekit serve --backups DIR) and give rk.source=http://HOST:PORT/backups/HOST/ID" ;;
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

note="$dev, no backup on the media"
if [ -f "$RK_MEDIA_DIR/backup/manifest.json" ]; then
	rk_set RK_BACKUP_DIR "$RK_MEDIA_DIR/backup"
	note="$dev, backup at $RK_MEDIA_DIR/backup"
fi

# A RescueKit USB stick's data partition (docs/usb.md), found by its label: mounted read-only on RK_DATA_DIR, its backups
# (HOST/ID/manifest.json, newest first by ID, a UTC time stamp) recorded in RK_DATA_BACKUPS; the newest becomes
# RK_BACKUP_DIR when the medium carries none. Its partitions appeared with the medium's, so one look suffices.
data_label=${RK_DATA_LABEL:-RESCUEKIT-DATA}
if data_dev=$(rk_find_label "$data_label") && [ -b "$data_dev" ]; then
	[ -d /sys/module/ext4 ] || modprobe -q ext4 2>/dev/null
	mkdir -p "$RK_DATA_DIR"
	# noload: no journal replay, so not one block of the stick is written; a journal that needs it mounts with replay.
	if grep -q " $RK_DATA_DIR " /proc/mounts || mount -o ro,noload "$data_dev" "$RK_DATA_DIR" 2>/dev/null ||
		mount -o ro "$data_dev" "$RK_DATA_DIR"; then
		rk_set RK_DATA_DEV "$data_dev"
		backups=$(for m in "$RK_DATA_DIR"/*/*/manifest.json; do
			[ -f "$m" ] && d=${m%/manifest.json} && printf '%s\t%s\n' "${d##*/}" "$d"
		done | sort -r | cut -f2 | tr '\n' ' ')
		backups=${backups% }
		rk_set RK_DATA_BACKUPS "$backups"
		# shellcheck disable=SC2086 # one argument per backup
		set -- $backups
		echo "data partition $data_dev (label $data_label) on $RK_DATA_DIR: $# backups${1:+, newest $1}"
		[ -z "$RK_BACKUP_DIR" ] && [ -n "$1" ] && rk_set RK_BACKUP_DIR "$1"
		note="$note; data partition $data_dev (label $data_label), $# backups${1:+, newest $1}"
	else
		note="$note; data partition $data_dev (label $data_label) does not mount"
	fi
fi
rk_ok "$note"
