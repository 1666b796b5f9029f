# RescueKit build, install and test entry points. Every target installs what it needs first (make deps).
SHELL := /bin/bash
DOTNET ?= dotnet
OUT ?= out
PUBLISH := $(OUT)/publish
RESCUEKIT := $(PUBLISH)/rescuekit
HOST := $(shell hostname -s 2>/dev/null || hostname)

# Debian packages: the rescue system's boot loaders, kernel tools and restore tools (the ISO carries the host's own),
# gcc and libc6-dev to link the native rescuekit, then what the tests use as independent oracles and to boot the media.
DEPS_BUILD := isolinux syslinux-common syslinux mtools pxelinux ipxe grub-efi-amd64-bin grub-efi-amd64-signed shim-signed grub-common grub2-common busybox-static kmod libzstd1 zstd \
              mdadm lvm2 thin-provisioning-tools fdisk gdisk util-linux e2fsprogs xfsprogs btrfs-progs dosfstools efibootmgr cryptsetup-bin nfs-common \
              gcc libc6-dev
DEPS_TEST := tmux debootstrap xorriso sbsigntool genisoimage libarchive-tools cpio qemu-system-x86 ovmf binutils file man-db curl openssh-client xz-utils acl attr libcap2-bin udev nfs-ganesha nfs-ganesha-vfs dnsmasq-base nginx tftp-hpa atftp python3-scapy

.PHONY: all deps deps-test kernel build publish iso install test clean

all: iso

deps:
	@tools/install-deps.sh $(DEPS_BUILD)
	@tools/ensure-kernel.sh

deps-test: deps
	@tools/install-deps.sh $(DEPS_TEST)

build:
	$(DOTNET) build RescueKit.sln -c Release --nologo -v q

# The native (NativeAOT) single binary that runs on the host and inside the rescue system: no runtime to start and no
# code to JIT, which under emulation is seconds of the rescue system's boot (docs/mkrescue.md). gcc links it.
publish:
	$(DOTNET) publish src/RescueKit.Cli/RescueKit.Cli.csproj -c Release -r linux-x64 \
	  -p:PublishAot=true -p:InvariantGlobalization=true --nologo -v q -o $(PUBLISH)

# The main job: a rescue ISO of this host in out/rescuekit-<hostname>.iso.
iso: deps publish
	$(RESCUEKIT) mkrescue --output iso --out $(OUT)

install: deps publish
	install -D -m 0755 $(RESCUEKIT) /usr/local/bin/rescuekit

# Every test tier; ends with the line "N passed, N failed".
test: deps-test publish
	@tools/run-tests.sh

clean:
	rm -rf $(OUT) src/*/bin src/*/obj tests/*/bin tests/*/obj
