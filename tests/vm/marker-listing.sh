# marker_listing DIR: prints the listing of the restore test's marker tree at DIR (a path under /host, as the VM lab
# guest sees the host's tree) that the restore must reproduce: every entry's type, mode, owner, size, blocks, mtime and
# link target, the regular files' SHA-256, the user xattrs and the inodes of the hard-linked pair. The source machine's
# build (source-machine.sh) writes it as markers.txt; the restore test prints it again from the restored disks and
# compares. Busybox sh; the find, getfattr and stat are the host's (hostrun), for one output format on both sides.
marker_listing() {
	ml_dir=$1
	ml_host=${1#/host}
	echo "# /home/rk-marker: path type mode uid:gid size blocks(512B) mtime link-target"
	hostrun find "$ml_host" -mindepth 1 -printf '%P %y %m %U:%G %s %b %T@ %l\n' | LC_ALL=C sort
	echo "# sha256 of the regular files"
	(cd "$ml_dir" && hostrun find "$ml_host" -type f -printf '%P\n' | LC_ALL=C sort | while read -r f; do
		printf '%s  %s\n' "$(sha256sum "$f" | cut -d' ' -f1)" "$f"
	done)
	echo "# xattrs"
	hostrun getfattr -R -d -m '^user\.' --absolute-names "$ml_host" | sed "s|${ml_host%/home/rk-marker}||"
	echo "# inode of the hard-linked pair (equal)"
	hostrun stat -c '%i %h %n' "$ml_host/regular.txt" "$ml_host/dir/hardlink-to-regular" | sed "s|${ml_host%/home/rk-marker}||"
}
