# The restore end-to-end test's source machine (tests/vm/README.md), run by the VM lab (busybox sh) with two blank
# virtio disks, /dev/vda and /dev/vdb. SourceMachine.cs puts `ROOT=...` (a Debian root of the host, as the host
# sees it) before this script. It installs that root as a bootable Debian on the two disks:
#   each disk: GPT, 1 BIOS boot (1 MiB), 2 ESP (64 MiB vfat), 3 Linux RAID (the rest)
#   /dev/md0: RAID1 (metadata 1.2) over vda3 and vdb3; VG vg0 on it: LVs root (ext4, /), home (xfs, /home), swap
#   GRUB for BIOS on both disks, GRUB for UEFI at the removable path of both ESPs (vda2 is /boot/efi)
#   hostname rk-source, root's password "rescuekit", the login prompt on ttyS0
# and writes what the restore checks need into $RESULTS: markers.txt (the marker tree /home/rk-marker), layout.txt
# (the identities) and build.log.
# SourceMachine.cs puts marker-listing.sh (marker_listing) before it too, and VARIANT=plain or VARIANT=secureboot: the
# secureboot machine also has Debian's Secure Boot chain where a Debian install puts it, \EFI\debian (shimx64.efi,
# mmx64.efi and the signed grubx64.efi from shim-signed and grub-efi-amd64-signed, as `grub-install
# --uefi-secure-boot` installs them), for an NVRAM entry to load; SourceBackup makes that entry once the machine runs
# under OVMF (the lab has no firmware variables). Both keep the removable path, which a blank variable store boots.
# Every storage tool is the host's (hostrun); what must match the installed system (initramfs, GRUB) runs chrooted
# in the installed tree with its own tools.
set -u
: "${ROOT:?ROOT must name the Debian root to install}"
case "${VARIANT:-}" in plain | secureboot) ;; *) echo "SOURCE-FAILED: VARIANT must be plain or secureboot, not '${VARIANT:-}'"; exit 1 ;; esac
T=/host/mnt/target
# The installed tree as hostrun's programs see it (they run chrooted in /host).
HT=/mnt/target

fail() {
	echo "SOURCE-FAILED: $*"
	dmesg | tail -n 20
	exit 1
}

run() {
	echo "+ $*"
	eval "$*" || fail "$*"
}

# in_target COMMAND...: runs COMMAND chrooted in the installed tree, with nothing of the lab's environment.
in_target() {
	chroot "$T" /usr/bin/env -i HOME=/root LC_ALL=C TERM=dumb PATH=/usr/sbin:/usr/bin:/sbin:/bin "$@"
}

# Mount points under the host's read-only root, and udevd: device-mapper and mdadm wait for udev to make their
# nodes, and grub-probe and update-initramfs in the target read the udev database through /run.
run 'mount -t tmpfs tmpfs /host/mnt'
run 'hostrun /lib/systemd/systemd-udevd --daemon --resolve-names=never'
run 'hostrun udevadm trigger --action=add'
run 'hostrun udevadm settle --timeout=60'
# LVM writes metadata backups under its system directory; the host's /etc is read-only in the lab.
run 'hostrun cp -a /etc/lvm /tmp/lvm'
export LVM_SYSTEM_DIR=/tmp/lvm

for d in vda vdb; do
	run "printf 'label: gpt\\nstart=2048, size=2048, type=21686148-6449-6E6F-744E-656564454649, name=bios-$d\\nsize=131072, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, name=esp-$d\\ntype=A19D880F-05FC-4D3B-A006-743F0F84911E, name=raid-$d\\n' | hostrun sfdisk --no-reread -q /dev/$d"
	run "blockdev --rereadpt /dev/$d"
done
run 'hostrun udevadm settle --timeout=60'
# Both members start as zeros, so they are already in sync: --assume-clean spares TCG a resync of the whole array
# and keeps the images sparse.
run 'hostrun mdadm --create /dev/md0 --run --assume-clean --level=1 --raid-devices=2 --metadata=1.2 --name=root --homehost=rk-source /dev/vda3 /dev/vdb3'
run 'hostrun pvcreate -q /dev/md0'
run 'hostrun vgcreate -q vg0 /dev/md0'
run 'hostrun lvcreate -q -y -n root -L 1792M vg0'
run 'hostrun lvcreate -q -y -n home -L 512M vg0'
run 'hostrun lvcreate -q -y -n swap -L 256M vg0'
run 'hostrun udevadm settle --timeout=60'
run 'hostrun mkfs.ext4 -q -L root /dev/vg0/root'
run 'hostrun mkfs.xfs -q -L home /dev/vg0/home'
run 'hostrun mkswap -L swap /dev/vg0/swap'
run 'hostrun mkfs.vfat -F 32 -n ESP-A /dev/vda2'
run 'hostrun mkfs.vfat -F 32 -n ESP-B /dev/vdb2'

run "mkdir -p $T"
run "mount -t ext4 /dev/vg0/root $T"
run "mkdir -p $T/home"
run "mount -t xfs /dev/vg0/home $T/home"
# One stream through the 9p share instead of a file-by-file copy: far fewer round trips under TCG. The ESP is mounted
# after, so nothing tries to give vfat owners.
start=$(date +%s)
run "hostrun tar -C '$ROOT' --xattrs --xattrs-include='*' --acls --exclude=./.rescuekit-packages -cf - . | hostrun tar -C $HT --xattrs --xattrs-include='*' --acls --numeric-owner -xpf -"
echo "SOURCE: tree copied in $(($(date +%s) - start)) s"
run "mkdir -p $T/boot/efi"
run "mount -t vfat /dev/vda2 $T/boot/efi"

uuid() { hostrun blkid -s UUID -o value "$1"; }
root_uuid=$(uuid /dev/vg0/root)
home_uuid=$(uuid /dev/vg0/home)
swap_uuid=$(uuid /dev/vg0/swap)
esp_uuid=$(uuid /dev/vda2)
[ -n "$root_uuid" ] && [ -n "$home_uuid" ] && [ -n "$swap_uuid" ] && [ -n "$esp_uuid" ] || fail "a filesystem without a UUID"
cat >"$T/etc/fstab" <<EOF
# The source machine of the restore test (tests/vm/source-machine.sh)
UUID=$root_uuid	/	ext4	errors=remount-ro	0	1
UUID=$home_uuid	/home	xfs	defaults	0	2
UUID=$esp_uuid	/boot/efi	vfat	umask=0077	0	1
UUID=$swap_uuid	none	swap	sw	0	0
EOF
echo rk-source >"$T/etc/hostname"
printf '127.0.0.1\tlocalhost\n127.0.1.1\trk-source\n' >"$T/etc/hosts"
hostrun mdadm --detail --scan >>"$T/etc/mdadm/mdadm.conf" || fail "mdadm --detail --scan"
grep -q '^ARRAY /dev/md' "$T/etc/mdadm/mdadm.conf" || fail "no ARRAY line for mdadm.conf"
# The serial console carries GRUB, the kernel and the login prompt (serial-getty on ttyS0 follows console=).
cat >"$T/etc/default/grub" <<'EOF'
GRUB_DEFAULT=0
GRUB_TIMEOUT=1
GRUB_DISTRIBUTOR=Debian
GRUB_CMDLINE_LINUX_DEFAULT=""
GRUB_CMDLINE_LINUX="console=ttyS0,115200"
GRUB_TERMINAL="serial console"
GRUB_SERIAL_COMMAND="serial --unit=0 --speed=115200"
GRUB_DISABLE_OS_PROBER=true
EOF

for fs in dev dev/pts proc sys run; do run "mount --bind /host/$fs $T/$fs"; done
# A machine id of its own, so systemd does not treat every boot as the first one.
run 'in_target systemd-machine-id-setup'
# A known root password, so a test can log in on the serial console and run `rescuekit layout save` and mkbackup
# there. The machine only ever runs in QEMU without a network.
run 'echo root:rescuekit | in_target chpasswd'
start=$(date +%s)
run 'in_target update-initramfs -u -k all'
echo "SOURCE: initramfs in $(($(date +%s) - start)) s"
run 'in_target grub-install --target=i386-pc /dev/vda'
run 'in_target grub-install --target=i386-pc /dev/vdb'
# --removable: the firmware finds \EFI\BOOT\BOOTX64.EFI without an NVRAM entry, so the disks boot under any OVMF
# variable store, and the restore test's UEFI entries are the restore's own.
run 'in_target grub-install --target=x86_64-efi --efi-directory=/boot/efi --removable --no-nvram'
if [ "$VARIANT" = secureboot ]; then
	run 'in_target grub-install --target=x86_64-efi --efi-directory=/boot/efi --bootloader-id=debian --uefi-secure-boot --no-nvram'
	for f in shimx64.efi mmx64.efi grubx64.efi grub.cfg; do [ -s "$T/boot/efi/EFI/debian/$f" ] || fail "no EFI/debian/$f"; done
fi
run 'in_target update-grub'
grep -q 'console=ttyS0,115200' "$T/boot/grub/grub.cfg" || fail "grub.cfg has no serial console"
run "mkdir -p /tmp/esp-b && mount -t vfat /dev/vdb2 /tmp/esp-b && cp -a $T/boot/efi/EFI /tmp/esp-b/ && umount /tmp/esp-b"

# The marker tree: one of each kind of file the backup must bring back as it was.
M=$T/home/rk-marker
run "mkdir -p $M/dir/deeper"
run "printf 'hello from the source machine\\n' >$M/regular.txt"
run "dd if=/dev/urandom of=$M/random.bin bs=4096 count=256 2>/dev/null"
run "ln -s regular.txt $M/symlink-to-regular"
run "ln -s /etc/hostname $M/symlink-absolute"
run "ln $M/regular.txt $M/dir/hardlink-to-regular"
run "printf 'with an xattr\\n' >$M/xattr.txt"
run "hostrun setfattr -n user.rescuekit -v marker-value $HT/home/rk-marker/xattr.txt"
# 64 MiB with one 4 KiB block of data at 32 MiB: the rest is a hole.
run "dd if=/dev/urandom of=$M/sparse.img bs=4096 count=1 seek=8192 2>/dev/null && truncate -s 64M $M/sparse.img"
run "printf 'owned by uid 1234\\n' >$M/dir/owned-1234.txt && chown 1234:1234 $M/dir/owned-1234.txt $M/dir/deeper"
run "chmod 0750 $M/dir/deeper && chmod 0600 $M/dir/owned-1234.txt"
run "printf 'empty beside me\\n' >$M/dir/deeper/file && : >$M/empty"
run "touch -h -d '2020-01-02 03:04:05' $M/regular.txt $M/symlink-to-regular"
marker_listing "$M" >"$RESULTS/markers.txt" || fail "marker listing"

{
	echo "# identities of the source machine"
	echo "root_uuid=$root_uuid"
	echo "home_uuid=$home_uuid"
	echo "swap_uuid=$swap_uuid"
	echo "esp_uuid=$esp_uuid"
	echo "esp_b_uuid=$(uuid /dev/vdb2)"
	echo "md_uuid=$(hostrun mdadm --detail --export /dev/md0 | sed -n 's/^MD_UUID=//p')"
	echo "vg_uuid=$(hostrun vgs --noheadings -o vg_uuid vg0 | tr -d ' ')"
	echo "# blkid"
	hostrun blkid | LC_ALL=C sort
	echo "# lvs"
	hostrun lvs --units b -o lv_name,lv_size,lv_uuid vg0
	for d in vda vdb; do
		echo "# sfdisk -d /dev/$d"
		hostrun sfdisk -d /dev/$d
	done
	echo "# mdadm.conf"
	grep '^ARRAY' "$T/etc/mdadm/mdadm.conf"
	echo "# fstab"
	cat "$T/etc/fstab"
} >"$RESULTS/layout.txt" || fail "layout listing"

for fs in run sys proc dev/pts dev; do run "umount $T/$fs"; done
run "umount $T/boot/efi"
run "umount $T/home"
run "umount $T"
run 'hostrun vgchange -q -an vg0'
run 'hostrun mdadm --stop /dev/md0'
run 'sync'
echo "SOURCE: done"
