#!/usr/bin/env bash
# Benchmark: `rescuekit mkrescue --output iso` against ReaR 2.7 `rear mkrescue` (OUTPUT=ISO) on this host, same kernel.
# Measures, for each tool: build wall time, ISO size, and seconds from QEMU start (TCG, BIOS, ISO as a CD) to the
# rescue front-end on the serial console. Prints the figures, the ratios rescuekit/rear and the targets (DESIGN §8).
# rescuekit is also measured building from a Debian 13 (trixie) root, the one the boot tests use (tests/debian-root.sh),
# its figures printed beside this host's (Debian 12).
# A benchmark, not a test: a missed target still exits 0; non-zero only when something could not be measured.
#
# Run as root on Debian 12:  bench/mkrescue.sh
# Environment:
#   BENCH_KEEP=1            keep the logs (serial consoles, build outputs, ReaR config) in the work directory
#   BENCH_ONLY=rear|rescuekit   measure one tool only (no ratios); default both
#   BENCH_DEBIAN13=0        skip the Debian 13 root (its first debootstrap takes minutes); default 1
#   BENCH_BOOT_TIMEOUT=300  seconds to wait for a front-end; BENCH_BUILD_TIMEOUT=1800 seconds for one build
# Exit codes: 0 measured (targets met or not), 1 something could not be measured, 2 cannot start (not root,
# rescuekit not installed, no usable kernel, packages not installable).
set -uo pipefail
export LC_ALL=C

readonly BOOT_TIMEOUT=${BENCH_BOOT_TIMEOUT:-300}
readonly BUILD_TIMEOUT=${BENCH_BUILD_TIMEOUT:-1800}
readonly APT_TIMEOUT=900
readonly QUERY_TIMEOUT=30
readonly ONLY=${BENCH_ONLY:-both}
readonly DEBIAN13=${BENCH_DEBIAN13:-1}
# What every run needs, then what each tool's measurement adds (BENCH_ONLY=rescuekit needs no ReaR).
readonly PACKAGES=(qemu-system-x86 xorriso ovmf)
readonly REAR_PACKAGES=(rear)
readonly RESCUEKIT_PACKAGES=(debootstrap)
# Prints the Debian 13 root's path, debootstrapping it on first use (cached in /var/cache/rescuekit-tests), and runs
# commands chrooted in it; the tests go through the same script, so both use the same root.
DEBIAN_ROOT_SH=$(cd "$(dirname "$0")/.." && pwd)/tests/debian-root.sh
readonly DEBIAN_ROOT_SH

# The first serial line each front-end prints once it takes input. ReaR's rescue system runs a getty on the serial
# console (serial-getty@ttyS0) whose prompt is "<hostname> login:"; ReaR's "rear recover" welcome text is its motd,
# shown only after logging in, so the login prompt is the first moment an operator can start the restore.
readonly RESCUEKIT_READY='RescueKit .* restore \(mode:'
# The kernel's banner, or with 'quiet' (RescueKit's menus pass it) the first line its /init prints.
readonly KERNEL_STARTED='Linux version [0-9]|\[rk\] RescueKit'

# Targets for rescuekit/rear (DESIGN §8): build time, ISO size, boot to front-end.
readonly TARGET_BUILD=0.10 TARGET_SIZE=0.50 TARGET_BOOT=0.17

WORK=""
QEMU_PID=""
FAILED=0
RK_ISO=""
RK_USB=""
REAR_ISO=""
DEB13_ISO=""
DEB13_KERNEL=""
DEB13_OUT=""
declare -A BUILD_S ISO_MIB BOOT_S KERNEL_S

die() { # die CODE MESSAGE
    echo "mkrescue bench: $2" >&2
    exit "$1"
}

warn() { echo "mkrescue bench: $*" >&2; }

# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
    if [[ -n $QEMU_PID ]]; then
        kill "$QEMU_PID" 2>/dev/null
        wait "$QEMU_PID" 2>/dev/null
    fi
    [[ -n $DEB13_OUT ]] && rm -rf "$DEB13_OUT"
    [[ -n $WORK && -d $WORK ]] || return 0
    if [[ ${BENCH_KEEP:-0} == 1 ]]; then
        # Logs only: the ISOs and ReaR's build area are hundreds of MiB and can be rebuilt.
        find "$WORK" -name '*.iso' -delete 2>/dev/null
        rm -rf "$WORK/tmp"
        echo "logs kept in $WORK"
    else
        rm -rf "$WORK"
    fi
}

now_us() { local t=$EPOCHREALTIME; echo "${t/./}"; }

secs() { awk -v us="$1" 'BEGIN { printf "%.1f", us / 1e6 }'; }

mib() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }

wants() { [[ $ONLY == both || $ONLY == "$1" ]]; }

ensure_packages() {
    local missing=() p status wanted=("${PACKAGES[@]}")
    wants rear && wanted+=("${REAR_PACKAGES[@]}")
    wants rescuekit && wanted+=("${RESCUEKIT_PACKAGES[@]}")
    for p in "${wanted[@]}"; do
        # shellcheck disable=SC2016 # a dpkg-query format, not a shell expansion
        status=$(timeout "$QUERY_TIMEOUT" dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)
        [[ $status == installed ]] || missing+=("$p")
    done
    ((${#missing[@]} == 0)) && return 0
    echo "installing ${missing[*]}"
    timeout "$APT_TIMEOUT" apt-get update -qq || die 2 "apt-get update failed or timed out"
    DEBIAN_FRONTEND=noninteractive timeout "$APT_TIMEOUT" apt-get install -y -qq --no-install-recommends "${missing[@]}" \
        >/dev/null || die 2 "could not install ${missing[*]}"
}

# The newest installed kernel that also has its modules: both tools copy modules from /lib/modules/<version>.
pick_kernel() {
    local f v
    for f in /boot/vmlinuz-*; do
        [[ -f $f ]] || continue
        v=${f#/boot/vmlinuz-}
        [[ -d /lib/modules/$v ]] && echo "$v"
    done | sort -V | tail -n 1
}

tool_version() { # tool_version COMMAND...: first line of its version output, or "unknown"
    local out
    out=$(timeout "$QUERY_TIMEOUT" "$@" 2>/dev/null | head -n 1)
    echo "${out:-unknown}"
}

# ReaR's configuration for this run, in a private config dir (never /etc/rear). Each setting and why it is needed
# on Debian 12 with ReaR 2.7 is in bench/README.md.
write_rear_config() { # write_rear_config CONFDIR KERNEL_VERSION
    mkdir -p "$1" "$WORK/rear" "$WORK/rear-iso"
    cat >"$1/local.conf" <<EOF
OUTPUT=ISO
BACKUP=REQUESTRESTORE
OUTPUT_URL=file://$WORK/rear
ISO_DIR=$WORK/rear-iso
KERNEL_FILE=/boot/vmlinuz-$2
KERNEL_VERSION=$2
ISO_DEFAULT=manual
USE_SERIAL_CONSOLE=yes
SERIAL_CONSOLE_DEVICES=/dev/ttyS0
SERIAL_CONSOLE_DEVICES_KERNEL="console=ttyS0,115200"
SERIAL_CONSOLE_DEVICE_SYSLINUX="serial 0 115200"
BOOTLOADER=GRUB2
PROGS+=( systemd agetty systemctl systemd-notify systemd-ask-password systemd-udevd systemd-journald journalctl
         dbus-uuidgen dbus-daemon dbus-send systemd-tmpfiles )
COPY_AS_IS+=( /usr/share/systemd /etc/dbus-1 /usr/lib/systemd/systemd-* /lib/systemd/systemd-*
              /usr/lib/systemd/network /lib/systemd/network
              /usr/lib/systemd/system-generators/systemd-getty-generator
              /lib/systemd/system-generators/systemd-getty-generator
              /var/lib/tmpfiles.d /usr/lib/tmpfiles.d )
CLONE_GROUPS+=( input )
EOF
}

run_timed() { # run_timed NAME LOG COMMAND...: runs under the build timeout, sets BUILD_S[NAME]; returns its status
    local name=$1 log=$2 t0 rc
    shift 2
    t0=$(now_us)
    timeout --kill-after=30 "$BUILD_TIMEOUT" "$@" >"$log" 2>&1 </dev/null
    rc=$?
    BUILD_S[$name]=$(secs $(($(now_us) - t0)))
    ((rc == 124)) && echo "(timed out after ${BUILD_TIMEOUT} s)" >>"$log"
    return "$rc"
}

record_iso() { # record_iso NAME ISO
    if [[ -f $2 ]]; then
        ISO_MIB[$1]=$(mib "$(stat -c %s "$2")")
        return 0
    fi
    warn "$1: no ISO at $2"
    FAILED=1
    return 1
}

build_rescuekit() { # build_rescuekit KERNEL_VERSION HOST: sets RK_ISO
    local out=$WORK/rescuekit log=$WORK/logs/rescuekit-mkrescue.log
    mkdir -p "$out"
    echo "building with rescuekit (log: $log)"
    if ! run_timed rescuekit "$log" rescuekit mkrescue --output iso --out "$out" --kernel "$1"; then
        warn "rescuekit mkrescue failed; last lines of its output:"
        tail -n 20 "$log" >&2
        FAILED=1
        return 1
    fi
    record_iso rescuekit "$out/rescuekit-$2.iso" && RK_ISO=$out/rescuekit-$2.iso
}

# The same rescuekit, run chrooted in the Debian 13 root on that root's own kernel (6.12, every module .ko.xz) and kmod
# 34. Making the root is not timed: the first run debootstraps it (minutes), later runs find it cached.
build_debian13() { # sets DEB13_ISO and DEB13_KERNEL
    local log=$WORK/logs/debian13-mkrescue.log root_log=$WORK/logs/debian13-root.log root iso
    echo "preparing the Debian 13 root (log: $root_log)"
    if ! root=$(timeout --kill-after=30 "$BUILD_TIMEOUT" "$DEBIAN_ROOT_SH" trixie 2>"$root_log" </dev/null); then
        warn "no Debian 13 root; last lines of $root_log:"
        tail -n 20 "$root_log" >&2
        FAILED=1
        return 1
    fi
    DEB13_KERNEL=$(find "$root/boot" -name 'vmlinuz-*' -printf '%f\n' | sed 's/^vmlinuz-//' | sort -V | tail -n 1)
    DEB13_OUT=$(mktemp -d "$root/var/tmp/rescuekit-bench.XXXXXX") || die 2 "cannot create a directory in $root/var/tmp"
    echo "building with rescuekit in the Debian 13 root $root (log: $log)"
    if ! run_timed debian13 "$log" "$DEBIAN_ROOT_SH" trixie chroot "$(command -v rescuekit)" \
        rescuekit mkrescue --output iso --out "${DEB13_OUT#"$root"}"; then
        warn "rescuekit mkrescue in the Debian 13 root failed; last lines of its output:"
        tail -n 20 "$log" >&2
        FAILED=1
        return 1
    fi
    iso=$(find "$DEB13_OUT" -name 'rescuekit-*.iso' -print -quit)
    [[ -n $iso ]] && mv "$iso" "$WORK/rescuekit-debian13.iso"
    rm -rf "$DEB13_OUT"
    DEB13_OUT=""
    record_iso debian13 "$WORK/rescuekit-debian13.iso" && DEB13_ISO=$WORK/rescuekit-debian13.iso
}

build_rear() { # build_rear KERNEL_VERSION HOST: sets REAR_ISO
    local conf=$WORK/rear-conf log=$WORK/logs/rear-mkrescue.log rc iso
    local runtime_log=/var/log/rear/rear-$2.log
    write_rear_config "$conf" "$1"
    cp "$conf/local.conf" "$WORK/logs/rear-local.conf"
    mkdir -p "$WORK/tmp"
    echo "building with ReaR (log: $log)"
    # TMPDIR puts ReaR's build area (mktemp -d) in the work directory.
    run_timed rear "$log" env TMPDIR="$WORK/tmp" rear -c "$conf" -v mkrescue
    rc=$?
    [[ -f $runtime_log ]] && cp "$runtime_log" "$WORK/logs/rear-runtime.log"
    if ((rc != 0)); then
        warn "rear mkrescue failed (status $rc); its output and the errors in $runtime_log:"
        tail -n 20 "$log" >&2
        grep -E 'ERROR|BugError' "$runtime_log" 2>/dev/null | tail -n 10 >&2
        FAILED=1
        return 1
    fi
    # ReaR copies the ISO to OUTPUT_URL/<hostname>/ (its HOSTNAME is `hostname -s` too).
    iso=$WORK/rear/$2/rear-$2.iso
    [[ -f $iso ]] || iso=$(find "$WORK/rear" -name 'rear-*.iso' -print -quit)
    record_iso rear "${iso:-$WORK/rear/$2/rear-$2.iso}" && REAR_ISO=$iso
}

# Boots ISO under QEMU TCG and polls the serial log every 0.2 s for PATTERN; sets BOOT_S[NAME] (and KERNEL_S[NAME]
# when the kernel's banner appears). QEMU is always stopped afterwards. FIRMWARE: bios (SeaBIOS, the default), ovmf
# (UEFI on q35, Secure Boot off) or secboot (the same q35 with SMM, OVMF's secboot build and Debian's variable store
# with Microsoft's keys enrolled: Secure Boot enforcing), so ovmf and secboot differ only by Secure Boot.
boot_iso() { # boot_iso NAME ISO PATTERN [FIRMWARE]
    firmware_args "$1" "${4:-bios}"
    boot_media "$1" "$3" "${FW_ARGS[@]}" -cdrom "$2"
}

firmware_args() { # firmware_args NAME FIRMWARE: the machine and firmware options of one boot, in FW_ARGS
    case $2 in
        bios) FW_ARGS=(-machine pc -boot d) ;;
        ovmf)
            cp /usr/share/OVMF/OVMF_VARS_4M.fd "$WORK/$1-vars.fd"
            FW_ARGS=(-machine q35 -drive "if=pflash,format=raw,unit=0,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd"
                -drive "if=pflash,format=raw,unit=1,file=$WORK/$1-vars.fd") ;;
        secboot)
            cp /usr/share/OVMF/OVMF_VARS_4M.ms.fd "$WORK/$1-vars.fd"
            FW_ARGS=(-machine q35,smm=on -global driver=cfi.pflash01,property=secure,value=on
                -drive "if=pflash,format=raw,unit=0,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.secboot.fd"
                -drive "if=pflash,format=raw,unit=1,file=$WORK/$1-vars.fd") ;;
    esac
}

build_usb() { # build_usb KERNEL_VERSION: the same rescue system as a USB stick image; sets RK_USB
    local image=$WORK/rescuekit/rescuekit-usb.img log=$WORK/logs/rescuekit-usb-mkrescue.log
    mkdir -p "$WORK/rescuekit"
    echo "building the USB stick image with rescuekit (log: $log)"
    if ! run_timed usb "$log" rescuekit mkrescue --output usb --image "$image" --size 1G --out "$WORK/rescuekit" --kernel "$1"; then
        warn "rescuekit mkrescue --output usb failed; last lines of its output:"
        tail -n 20 "$log" >&2
        FAILED=1
        return 1
    fi
    # The blocks written (the image is sparse): what a dd of it to a stick writes that matters.
    ISO_MIB[usb]=$(mib $(($(stat -c %b "$image") * 512)))
    RK_USB=$image
}

boot_usb() { # boot_usb NAME IMAGE FIRMWARE(bios|ovmf): the image as a USB disk (xHCI usb-storage)
    firmware_args "$1" "$3"
    boot_media "$1" "$RESCUEKIT_READY" "${FW_ARGS[@]}" -device qemu-xhci,id=xhci \
        -drive "if=none,id=stick,format=raw,file=$2" -device usb-storage,bus=xhci.0,drive=stick,bootindex=0
}

boot_media() { # boot_media NAME PATTERN QEMU-ARGS...: seconds from QEMU start to PATTERN on the serial console
    local name=$1 pattern=$2 log=$WORK/logs/$1-serial.log t0 elapsed limit=$((BOOT_TIMEOUT * 1000000))
    shift 2
    : >"$log"
    echo "booting $name under QEMU TCG (serial log: $log)"
    t0=$(now_us)
    timeout --kill-after=5 $((BOOT_TIMEOUT + 30)) qemu-system-x86_64 -accel tcg -m 2048 -display none -no-reboot \
        -serial "file:$log" "$@" </dev/null >"$WORK/logs/$name-qemu.log" 2>&1 &
    QEMU_PID=$!
    while :; do
        elapsed=$(($(now_us) - t0))
        if [[ -z ${KERNEL_S[$name]:-} ]] && grep -aqE "$KERNEL_STARTED" "$log"; then
            KERNEL_S[$name]=$(secs "$elapsed")
        fi
        if grep -aqE "$pattern" "$log"; then
            BOOT_S[$name]=$(secs "$elapsed")
            # The front-end's next line is the Secure Boot state the summary checks: give it time to cross the serial line.
            if [[ $name == *secboot* ]]; then
                for _ in $(seq 50); do grep -aq 'Secure Boot:' "$log" && break; sleep 0.2; done
            fi
            break
        fi
        if ! kill -0 "$QEMU_PID" 2>/dev/null; then
            warn "$name: QEMU stopped after $(secs "$elapsed") s before the front-end appeared (see $WORK/logs/$name-qemu.log)"
            break
        fi
        if ((elapsed >= limit)); then
            warn "$name: no front-end on the serial console within $BOOT_TIMEOUT s"
            break
        fi
        sleep 0.2
    done
    kill "$QEMU_PID" 2>/dev/null
    wait "$QEMU_PID" 2>/dev/null
    QEMU_PID=""
    if [[ -z ${BOOT_S[$name]:-} ]]; then
        echo "last serial output:" >&2
        tail -c 2000 "$log" | tr -d '\r' | tail -n 15 >&2
        FAILED=1
    fi
}

ratio() { # ratio A B: A/B with 2 decimals, or n/a
    [[ -n $1 && -n $2 ]] || { echo n/a; return; }
    awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'
}

verdict() { # verdict RATIO TARGET
    [[ $1 == n/a ]] && { echo -; return; }
    awk -v r="$1" -v t="$2" 'BEGIN { print (r <= t) ? "PASS" : "MISS" }'
}

row() { # row LABEL RK REAR TARGET
    local r
    r=$(ratio "$2" "$3")
    printf '%-24s %10s %10s %8s %8s %6s\n' "$1" "${2:-n/a}" "${3:-n/a}" "$r" "<= $4" "$(verdict "$r" "$4")"
}

main() {
    [[ $EUID -eq 0 ]] || die 2 "run as root (ReaR and the package installs need it)"
    case $ONLY in both | rear | rescuekit) ;; *) die 2 "BENCH_ONLY must be rear or rescuekit, not '$ONLY'" ;; esac
    if wants rescuekit && ! command -v rescuekit >/dev/null; then
        die 2 "rescuekit is not on PATH: run make install first"
    fi
    ensure_packages

    local kver host
    kver=$(pick_kernel)
    [[ -n $kver ]] || die 2 "no /boot/vmlinuz-<version> with /lib/modules/<version>: install a kernel (linux-image-amd64)"
    host=$(hostname -s)

    WORK=$(mktemp -d "${TMPDIR:-/var/tmp}/rescuekit-bench.XXXXXX") || die 2 "cannot create a work directory"
    trap cleanup EXIT
    trap 'exit 130' INT TERM
    mkdir -p "$WORK/logs"

    echo "kernel:    $kver (/boot/vmlinuz-$kver)"
    wants rescuekit && echo "rescuekit: $(tool_version rescuekit --version)"
    # shellcheck disable=SC2016 # a dpkg-query format
    wants rear && echo "rear:      $(tool_version rear -V) (Debian $(tool_version dpkg-query -W -f='${Version}' rear))"
    echo "qemu:      $(tool_version qemu-system-x86_64 --version)"
    echo "xorriso:   $(tool_version xorriso -version)"
    echo "work dir:  $WORK"

    cd "$WORK" || die 2 "cannot enter $WORK"
    wants rescuekit && build_rescuekit "$kver" "$host"
    wants rescuekit && build_usb "$kver"
    wants rescuekit && [[ $DEBIAN13 != 0 ]] && build_debian13
    wants rear && build_rear "$kver" "$host"
    [[ -n $RK_ISO ]] && boot_iso rescuekit "$RK_ISO" "$RESCUEKIT_READY"
    [[ -n $RK_ISO ]] && boot_iso rescuekit-ovmf "$RK_ISO" "$RESCUEKIT_READY" ovmf
    [[ -n $RK_ISO ]] && boot_iso rescuekit-secboot "$RK_ISO" "$RESCUEKIT_READY" secboot
    [[ -n $RK_USB ]] && boot_usb usb-bios "$RK_USB" bios
    [[ -n $RK_USB ]] && boot_usb usb-ovmf "$RK_USB" ovmf
    [[ -n $DEB13_ISO ]] && boot_iso debian13 "$DEB13_ISO" "$RESCUEKIT_READY"
    [[ -n $REAR_ISO ]] && boot_iso rear "$REAR_ISO" "(^|[^[:alnum:]-])$host login:"

    echo
    echo "kernel $kver; QEMU TCG, BIOS, -m 2048, ISO as CD; times in seconds from QEMU start"
    printf '%-24s %10s %10s %8s %8s %6s\n' "" rescuekit rear ratio target result
    row "build (s)" "${BUILD_S[rescuekit]:-}" "${BUILD_S[rear]:-}" "$TARGET_BUILD"
    row "ISO size (MiB)" "${ISO_MIB[rescuekit]:-}" "${ISO_MIB[rear]:-}" "$TARGET_SIZE"
    row "boot to front-end (s)" "${BOOT_S[rescuekit]:-}" "${BOOT_S[rear]:-}" "$TARGET_BOOT"
    # Without a target: where the boot time goes. The boot menus wait before the kernel loads (RescueKit 1 s,
    # ReaR 30 s: its ISOLINUX "timeout 300" is fixed in lib/bootloader-functions.sh).
    printf '%-24s %10s %10s %8s   (no target)\n' "boot to kernel (s)" "${KERNEL_S[rescuekit]:-n/a}" \
        "${KERNEL_S[rear]:-n/a}" "$(ratio "${KERNEL_S[rescuekit]:-}" "${KERNEL_S[rear]:-}")"
    local rk_rest="" rear_rest=""
    [[ -n ${KERNEL_S[rescuekit]:-} && -n ${BOOT_S[rescuekit]:-} ]] &&
        rk_rest=$(awk -v a="${BOOT_S[rescuekit]}" -v b="${KERNEL_S[rescuekit]}" 'BEGIN { printf "%.1f", a - b }')
    [[ -n ${KERNEL_S[rear]:-} && -n ${BOOT_S[rear]:-} ]] &&
        rear_rest=$(awk -v a="${BOOT_S[rear]}" -v b="${KERNEL_S[rear]}" 'BEGIN { printf "%.1f", a - b }')
    printf '%-24s %10s %10s %8s   (no target)\n' "kernel to front-end (s)" "${rk_rest:-n/a}" "${rear_rest:-n/a}" \
        "$(ratio "$rk_rest" "$rear_rest")"
    if wants rescuekit; then
        echo
        echo "rescuekit on Debian 12 (this host, kernel $kver) and Debian 13 (trixie root, kernel ${DEB13_KERNEL:-n/a}); no target"
        printf '%-24s %10s %10s\n' "" "Debian 12" "Debian 13"
        printf '%-24s %10s %10s\n' "build (s)" "${BUILD_S[rescuekit]:-n/a}" "${BUILD_S[debian13]:-n/a}"
        printf '%-24s %10s %10s\n' "ISO size (MiB)" "${ISO_MIB[rescuekit]:-n/a}" "${ISO_MIB[debian13]:-n/a}"
        printf '%-24s %10s %10s\n' "boot to front-end (s)" "${BOOT_S[rescuekit]:-n/a}" "${BOOT_S[debian13]:-n/a}"
        echo
        echo "rescuekit ISO of this host as CD under UEFI (q35): OVMF, and OVMF with Secure Boot enforcing"
        echo "(shim, signed GRUB, signed kernel); no target"
        printf '%-24s %10s %10s %8s\n' "" "OVMF" "SecureBoot" "ratio"
        printf '%-24s %10s %10s %8s\n' "boot to front-end (s)" "${BOOT_S[rescuekit-ovmf]:-n/a}" "${BOOT_S[rescuekit-secboot]:-n/a}" \
            "$(ratio "${BOOT_S[rescuekit-secboot]:-}" "${BOOT_S[rescuekit-ovmf]:-}")"
        grep -aq "Secure Boot: on" "$WORK/logs/rescuekit-secboot-serial.log" 2>/dev/null ||
            { warn "the Secure Boot boot did not say 'Secure Boot: on'"; FAILED=1; }
        echo
        echo "rescuekit USB stick image (1G, mkrescue --output usb) beside the ISO of the same run; no target"
        printf '%-24s %10s %10s %10s\n' "" "ISO (CD)" "USB BIOS" "USB OVMF"
        printf '%-24s %10s %10s %10s\n' "build (s)" "${BUILD_S[rescuekit]:-n/a}" "${BUILD_S[usb]:-n/a}" "${BUILD_S[usb]:-n/a}"
        printf '%-24s %10s %10s %10s\n' "size written (MiB)" "${ISO_MIB[rescuekit]:-n/a}" "${ISO_MIB[usb]:-n/a}" "${ISO_MIB[usb]:-n/a}"
        printf '%-24s %10s %10s %10s\n' "boot to front-end (s)" "${BOOT_S[rescuekit]:-n/a}" "${BOOT_S[usb-bios]:-n/a}" "${BOOT_S[usb-ovmf]:-n/a}"
    fi
    ((FAILED == 0)) || { warn "some figures could not be measured (see the messages above)"; exit 1; }
    exit 0
}

main "$@"
