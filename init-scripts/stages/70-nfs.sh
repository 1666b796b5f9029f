# Stage 70-nfs: mount the backup share read-only, only for rk.source=nfs:HOST:/PATH.
# NFSv3 with nolock, as the rescue system runs no statd (reference/pxe-initramfs.md C.2).

case "$RK_SOURCE" in
nfs:*) share=${RK_SOURCE#nfs:} ;;
*) rk_ok "skipped: rk.source=$RK_SOURCE is not NFS" ;;
esac
case "$share" in
?*:/*) ;;
*) rk_fail "rk.source=$RK_SOURCE: expected nfs:HOST:/PATH" ;;
esac
[ -n "$RK_NET_DEV" ] || rk_fail "no network (30-network did not configure an interface)"

if ! grep -q " $RK_NFS_DIR " /proc/mounts; then
	modprobe -q -a nfs nfsv3 2>/dev/null
	mkdir -p "$RK_NFS_DIR"
	i=0
	until mount -t nfs -o ro,nolock "$share" "$RK_NFS_DIR"; do
		i=$((i + 1))
		[ "$i" -ge 5 ] && rk_fail "cannot mount $share"
		sleep 1
	done
fi
rk_set RK_BACKUP_DIR "$RK_NFS_DIR"
[ -f "$RK_NFS_DIR/manifest.json" ] || rk_ok "$share mounted, no manifest.json at its top"
rk_ok "$share mounted at $RK_NFS_DIR"
