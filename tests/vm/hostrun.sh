#!/bin/sh
# hostrun PROG ARGS: runs a program of the host (shared read-only at /host) inside the lab guest.
if [ ! -d /host/usr ]; then
	echo "hostrun: the host root is not shared with this lab" >&2
	exit 127
fi
exec chroot /host /usr/bin/env PATH=/usr/sbin:/usr/bin:/sbin:/bin "$@"
