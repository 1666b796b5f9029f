#!/bin/sh
# /init of the VM lab initramfs (tests/vm/README.md). Loads the lab's modules, mounts the "lab" 9p share at
# /lab, runs /lab/script.sh with RESULTS=/lab/results, writes its exit code to /lab/results/exit-code, powers off.
# The host's root filesystem is shared read-only as "host" and mounted at /host; `hostrun PROG ARGS` runs a host
# program (sfdisk, mdadm, lvm, mkfs.*) chrooted there with the guest's /dev, /proc and /sys.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /run /tmp /lab /host
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /run
dmesg -n 3
echo "LAB: init on $(uname -r)"
while read -r ko; do
	insmod "$ko" || echo "LAB: insmod $ko failed"
done </etc/lab/modules.load
if ! mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 lab /lab; then
	echo "LAB-FAILED: cannot mount the lab share"
	poweroff -f
fi
if mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144,ro host /host; then
	for d in dev proc sys; do mount --bind "/$d" "/host/$d"; done
	mount --bind /dev/pts /host/dev/pts
	for d in run tmp; do mount -t tmpfs tmpfs "/host/$d"; done
fi
# Block devices from the virtio and NVMe disks appear asynchronously after virtio_blk and nvme load;
# lab.disks counts both.
i=0
want=0
for arg in $(cat /proc/cmdline); do
	case "$arg" in lab.disks=*) want=${arg#lab.disks=} ;; esac
done
while [ "$(ls /sys/block | grep -cE '^(vd|nvme)')" -lt "$want" ] && [ "$i" -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
# lab.ip=ADDR/PREFIX: the lab has a NIC on QEMU's restricted user network (VmLab.ForwardToHost); its one route
# is the /24 of QEMU's virtual hosts, so the guest reaches the forwarded host services and nothing else.
for arg in $(cat /proc/cmdline); do
	case "$arg" in lab.ip=*) ip=${arg#lab.ip=} ;; esac
done
if [ -n "$ip" ]; then
	i=0
	while [ ! -e /sys/class/net/eth0 ] && [ "$i" -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	ip link set lo up
	ip link set eth0 up && ip addr add "$ip" dev eth0 || echo "LAB: cannot configure eth0 with $ip"
fi
mkdir -p /lab/results
echo "LAB: running script"
(
	cd /lab/results || exit 1
	RESULTS=/lab/results sh /lab/script.sh
	echo $? >/lab/results/exit-code
) 2>&1 | tee /lab/results/output.log
echo "LAB-DONE exit=$(cat /lab/results/exit-code)"
sync
umount /lab
poweroff -f
