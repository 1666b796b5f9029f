# Stage 10-devices: device nodes. /init mounted devtmpfs, so the kernel already makes the nodes; mdev -s adds
# the coldplug pass for anything devtmpfs does not cover (symlinks, permissions from /etc/mdev.conf).

[ -c /dev/console ] || rk_fail "/dev is not a devtmpfs"
[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd
[ -e /dev/stdin ] || ln -s /proc/self/fd/0 /dev/stdin
[ -e /dev/stdout ] || ln -s /proc/self/fd/1 /dev/stdout
[ -e /dev/stderr ] || ln -s /proc/self/fd/2 /dev/stderr
if rk_have mdev; then
	mdev -s || rk_fail "mdev -s exited $?"
	rk_ok
fi
rk_ok "no mdev: devtmpfs only"
