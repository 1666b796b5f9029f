#!/bin/bash
# Regenerates the host-* fixtures from the real tools on image files (root for the btrfs mount and the LVM loops).
# The VM lab's fixtures (the other directories) come from tests/vm; these cover what the build host can make itself:
# partition tables and filesystems in image files, LUKS headers, a btrfs with subvolumes, LVM PVs and a VG (no LVs:
# the host has no device-mapper). Fixed UUIDs and labels keep the tests' expected values stable across runs.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
loops=()
cleanup() {
    mountpoint -q "$work/m" 2>/dev/null && umount "$work/m"
    vgremove -q -f rkfix >/dev/null 2>&1 || true
    for l in "${loops[@]}"; do pvremove -q -ff -y "$l" >/dev/null 2>&1 || true; losetup -d "$l"; done
    rm -rf "$work"
}
trap cleanup EXIT
cd "$work"
# blkid prints DEVNAME as given; a bare name keeps the fixtures free of temporary paths.
strip() { sed -e "s|$work/||g"; }

# GPT: an ESP (vfat), an ext4 root with attributes, a swap partition.
d="$here/host-gpt-image"; mkdir -p "$d"
truncate -s 64M disk.img
sfdisk -q disk.img <<'T'
label: gpt
label-id: 737C9226-E5D4-5F41-BF9D-34A0665B286A
size=16MiB, type=uefi, name="EFI System", uuid=E14DCE16-F856-B845-9DB8-9957E740E942
size=32MiB, type=linux, name=root, attrs="LegacyBIOSBootable", uuid=9A1C3FDD-83B1-094F-BC15-9EC797689C1A
type=swap, name=swap, uuid=C23BD231-952A-4C48-9414-D353408F5FE6
T
sfdisk -J disk.img > "$d/sfdisk.json"
truncate -s 16M p1; mkfs.vfat -n ESP -i A83C2660 p1 >/dev/null
truncate -s 32M p2; mkfs.ext4 -q -L root -U 6f0e8a5c-1b2d-4e3f-9a8b-7c6d5e4f3a2b p2
truncate -s 14M p3; mkswap -q -L swap0 -U 0d9c4a6e-93a8-4c1e-8c36-2b7b3f6e9d10 p3
dd if=p1 of=disk.img bs=512 seek=2048 conv=notrunc status=none
dd if=p2 of=disk.img bs=512 seek=34816 conv=notrunc status=none
dd if=p3 of=disk.img bs=512 seek=100352 conv=notrunc status=none
blkid -p -o export --offset $((2048 * 512)) --size $((32768 * 512)) disk.img > "$d/blkid-p1.txt"
blkid -p -o export --offset $((34816 * 512)) --size $((65536 * 512)) disk.img > "$d/blkid-p2.txt"
blkid -p -o export --offset $((100352 * 512)) --size $((28672 * 512)) disk.img > "$d/blkid-p3.txt"
dumpe2fs -h "disk.img?offset=$((34816 * 512))" 2>/dev/null > "$d/dumpe2fs-p2.txt"

# MBR: a bootable primary, an extended partition with two logical ones.
d="$here/host-mbr-logical"; mkdir -p "$d"
truncate -s 64M mbr.img
sfdisk -q mbr.img <<'T'
label: dos
label-id: 0x5eed1234
size=16MiB, type=83, bootable
type=5
size=20MiB, type=83
type=82
T
sfdisk -J mbr.img > "$d/sfdisk.json"

# xfs and btrfs (with subvolumes, nested ones, a read-only snapshot and a default) as whole-device filesystems.
d="$here/host-xfs"; mkdir -p "$d"
truncate -s 320M x.fs; mkfs.xfs -q -L data -m uuid=3c9e5a44-7f1b-4d2e-a6c8-1f0e9d8c7b6a x.fs
xfs_info x.fs | strip > "$d/xfs_info.txt"
blkid -p -o export x.fs | strip > "$d/blkid.txt"
d="$here/host-btrfs"; mkdir -p "$d"
truncate -s 128M b.fs; mkfs.btrfs -q -L pool -U 5b1f0c2e-8d3a-4e6b-9f7c-0a1b2c3d4e5f b.fs
mkdir m; mount -o loop b.fs m
btrfs subvolume create m/@ >/dev/null; btrfs subvolume create m/@home >/dev/null; btrfs subvolume create m/@/var >/dev/null
mkdir -p m/@/var/lib; btrfs subvolume create m/@/var/lib/machines >/dev/null
btrfs subvolume create m/@snapshots >/dev/null; mkdir m/@snapshots/1
btrfs subvolume snapshot -r m/@ m/@snapshots/1/snapshot >/dev/null
btrfs subvolume set-default m/@
btrfs subvolume list -p m > "$d/btrfs-subvolume-list.txt"
umount m
# Mounted by subvol=, as an installed system has it: btrfs then lists the subvolumes below @ by their path inside @.
mount -o loop,subvol=@ b.fs m
btrfs subvolume list -p m > "$d/btrfs-subvolume-list-at.txt"
btrfs subvolume list -p -r m > "$d/btrfs-subvolume-list-readonly-at.txt"
btrfs subvolume list -p -s m > "$d/btrfs-subvolume-list-snapshots-at.txt"
btrfs subvolume get-default m > "$d/btrfs-subvolume-get-default-at.txt"
umount m
blkid -p -o export b.fs | strip > "$d/blkid.txt"

# LUKS1 and LUKS2 headers (a throw-away key; luksDump shows no key material).
d="$here/host-luks"; mkdir -p "$d"
head -c 32 /dev/urandom > key
truncate -s 20M luks1.img luks2.img
cryptsetup luksFormat -q --type luks1 --key-file key --iter-time 1 --uuid 327125a1-71b9-4e8c-9f7e-cb59826182df luks1.img
cryptsetup luksFormat -q --type luks2 --key-file key --pbkdf pbkdf2 --pbkdf-force-iterations 1000 --label secret \
    --sector-size 4096 --uuid 1072bdae-ce02-4729-9689-1420f295badf luks2.img
cryptsetup luksDump luks1.img | strip > "$d/luksDump-luks1.txt"
cryptsetup luksDump luks2.img | strip > "$d/luksDump-luks2.txt"
blkid -p -o export luks2.img | strip > "$d/blkid-luks2.txt"

# LVM: two PVs in one VG (LVs need device-mapper: the VM lab's fixtures have them).
d="$here/host-lvm-pv"; mkdir -p "$d"
truncate -s 64M pv1 pv2
loops+=("$(losetup -f --show pv1)"); loops+=("$(losetup -f --show pv2)")
pvcreate -q --norestorefile --uuid NfO6vb-vS2h-tGnO-dB3y-HZLg-j3p3-d1owkA "${loops[0]}"
pvcreate -q --norestorefile --uuid 53I9Yx-iUNa-rfWG-KLy8-b8K6-ovet-IkBLd8 "${loops[1]}"
vgcreate -q rkfix "${loops[@]}"
lvm fullreport --reportformat json --units b --nosuffix > "$d/lvm-fullreport.json" 2>/dev/null
