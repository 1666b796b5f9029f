# shellcheck shell=bash disable=SC2034 # BOOT_FAILED is read by bench/pxe.sh, which sources this
# Part of bench/pxe.sh (sourced, never run), BENCH_ONLY=boot: PXE power-on → front-end banner under QEMU TCG, each
# boot path of one PXE tree served by `rescuekit serve`. Uses RK, ROUNDS, DIR and die from bench/pxe.sh; sets
# BOOT_FAILED (1: a row failed), with which pxe.sh exits.
#
# One host (beta) is added to a tree of the bench's own (DIR/tree, built by the published mkrescue; built again when
# the binary is newer than its manifest) the way the boot tests build theirs: --tftp-server 10.0.2.2 and --http-url
# http://10.0.2.2:8080/. In a network namespace of the script's own, a bridge (10.0.2.2/24) holds QEMU's tap; on it
# dnsmasq hands out addresses and names the row's boot file (a DHCP server configured for PXE), and `rescuekit serve`
# serves the tree over TFTP (port 69) and HTTP (8080). Rows:
#   SeaBIOS, the NIC's iPXE ROM: pxelinux.0, its per-MAC menu, kernel and initrd over TFTP
#                                 vs the host's boot.ipxe URL, kernel and initrd over HTTP
#   OVMF, its own PXE (no NIC ROM): rk-grubx64.efi, its per-MAC grub.cfg, kernel and initrd over TFTP
#                                 vs ipxe.efi over TFTP, then (iPXE's user class) the boot.ipxe URL, over HTTP
# Each time is wall seconds from QEMU's start to the front-end's banner on the serial console (polled every 0.2 s),
# and beside it to init's first line, which splits the firmware and transfers from the kernel and init stages;
# a boot with a failed init stage, another host, or no banner within BOOT_TIMEOUT is "failed". The menus' own
# timeouts (pxelinux 1 s, GRUB 1 s; boot.ipxe has none) are part of the TFTP rows' time, as on a real machine.
# dnsmasq also sends IPv6 router advertisements (ra-only, 2001:db8:0:2::/64, RFC 3849), as docs/pxe.md advises: on a
# LAN without them iPXE waits about 16 s for one at each DHCP. BENCH_BOOT_RA=0 leaves them out.
# Run it under the machine's VM lock: it starts one 2 GiB VM at a time.

readonly BOOT_TIMEOUT=${BENCH_BOOT_TIMEOUT:-600}
readonly BOOT_RA=${BENCH_BOOT_RA:-1}
readonly TREE=$DIR/tree
readonly HOST=beta
readonly MAC=52:54:00:bb:00:02
readonly SERVER=10.0.2.2
readonly HTTP_PORT=8080
readonly SCRIPT_URL=http://$SERVER:$HTTP_PORT/rescuekit/$HOST/boot.ipxe
readonly OVMF=/usr/share/ovmf/OVMF.fd

command -v qemu-system-x86_64 >/dev/null || die 2 "qemu-system-x86_64 is missing: apt-get install qemu-system-x86"
command -v dnsmasq >/dev/null || die 2 "dnsmasq is missing: apt-get install dnsmasq-base"
[ -f "$OVMF" ] || die 2 "$OVMF is missing: apt-get install ovmf"
[ -c /dev/net/tun ] || die 2 "/dev/net/tun is missing: QEMU's tap NIC needs the tun driver (modprobe tun)"

if [ -z "${RK_PXE_BENCH_NETNS:-}" ]; then
    exec unshare --net env RK_PXE_BENCH_NETNS=1 bash "$0" "$@"
fi
mkdir -p "$DIR/logs"
if [ ! -f "$TREE/rescuekit/$HOST/manifest.json" ] || [ "$RK" -nt "$TREE/rescuekit/$HOST/manifest.json" ]; then
    echo "building the PXE tree $TREE (mkrescue --output pxe, a few minutes)"
    rm -rf "$TREE"
    "$RK" mkrescue --output pxe --root "$TREE" --host-name "$HOST" --mac "$MAC" --tftp-server "$SERVER" \
        --http-url "http://$SERVER:$HTTP_PORT/" > "$DIR/logs/boot-mkrescue.log" 2>&1 ||
        die 2 "mkrescue --output pxe failed: see $DIR/logs/boot-mkrescue.log"
fi

ip link set lo up
ip link add rkbr0 type bridge
# No spanning tree and no forwarding delay: the firmware's first DISCOVER is not lost in the 15 s listening state.
ip link set rkbr0 type bridge stp_state 0 forward_delay 0
ip tuntap add dev rktap0 mode tap
ip link set rktap0 master rkbr0
ip addr add "$SERVER/24" dev rkbr0
RA_OPTIONS=()
if [ "$BOOT_RA" = 1 ]; then
    ip addr add 2001:db8:0:2::2/64 dev rkbr0 nodad
    # shellcheck disable=SC2054 # the comma is dnsmasq's
    RA_OPTIONS=(--enable-ra --dhcp-range=2001:db8:0:2::,ra-only)
fi
ip link set rkbr0 up
ip link set rktap0 up

PIDS=()
SERVE_LOG=$DIR/logs/boot-serve.log
"$RK" serve --root "$TREE" --http-port "$HTTP_PORT" > "$SERVE_LOG" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do grep -q 'Ctrl-C stops' "$SERVE_LOG" && break; sleep 0.2; done
grep -q 'Ctrl-C stops' "$SERVE_LOG" || die 2 "rescuekit serve did not start: see $SERVE_LOG"
DNSMASQ_PID=""
stop_boot_servers() {
    local p
    for p in "${PIDS[@]}" $DNSMASQ_PID; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap stop_boot_servers EXIT

dhcp() { # dhcp DHCP-BOOT-OPTION...: (re)starts dnsmasq on the bridge with these boot options
    if [ -n "$DNSMASQ_PID" ]; then kill "$DNSMASQ_PID" 2>/dev/null || true; wait "$DNSMASQ_PID" 2>/dev/null || true; fi
    rm -f "$DIR/logs/boot-leases"
    dnsmasq --no-daemon --conf-file=/dev/null --port=0 --user=root --group=root --interface=rkbr0 --bind-interfaces \
        --dhcp-range=10.0.2.100,10.0.2.150,255.255.255.0,1h --dhcp-leasefile="$DIR/logs/boot-leases" \
        --pid-file="$DIR/logs/boot-dnsmasq.pid" --log-dhcp --log-facility=- "${RA_OPTIONS[@]}" "$@" > "$DIR/logs/boot-dnsmasq.log" 2>&1 &
    DNSMASQ_PID=$!
    for _ in $(seq 50); do grep -q 'DHCP, IP range' "$DIR/logs/boot-dnsmasq.log" && return; sleep 0.2; done
    die 2 "dnsmasq did not start: see $DIR/logs/boot-dnsmasq.log"
}

# One boot: prints its seconds to the banner and to init's first line ("[rk] RescueKit … rescue system": firmware,
# boot loader and transfers are over, the kernel has started init), or "fail"; the serial console is kept in
# DIR/logs/boot-ROW.log.
boot() { # boot ROW FIRMWARE(bios|uefi)
    local row=$1 firmware=$2 console=$DIR/logs/boot-$1.log t0 t1 ti pid args
    # shellcheck disable=SC2054 # the commas are QEMU's
    args=(-accel tcg -machine pc -m 2048 -display none -no-reboot -nodefaults -vga none -monitor none
          -serial "file:$console" -netdev tap,id=pxe0,ifname=rktap0,script=no,downscript=no)
    if [ "$firmware" = bios ]; then args+=(-boot n -device "virtio-net-pci,netdev=pxe0,mac=$MAC")
    else args+=(-bios "$OVMF" -device "virtio-net-pci,netdev=pxe0,mac=$MAC,romfile="); fi
    rm -f "$console"
    t0=$(date +%s.%N)
    qemu-system-x86_64 "${args[@]}" > "$DIR/logs/boot-$row-qemu.log" 2>&1 &
    pid=$!
    t1="" ti=""
    while kill -0 "$pid" 2>/dev/null; do
        if [ -z "$ti" ] && grep -qE '\[rk\] RescueKit [^ ]+ rescue system' "$console" 2>/dev/null; then ti=$(date +%s.%N); fi
        if grep -qE 'RescueKit [^ ]+ restore \(mode: interactive\)' "$console" 2>/dev/null; then t1=$(date +%s.%N); break; fi
        if [ "$(echo "$(date +%s.%N) - $t0 > $BOOT_TIMEOUT" | bc)" = 1 ]; then break; fi
        sleep 0.2
    done
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    if [ -n "$t1" ] && [ -n "$ti" ] && grep -q "\[rk\] rescue system of $HOST, booted from the network by $MAC" "$console" &&
       ! grep -qE '\[rk\] stage [^:]+: failed' "$console"; then
        echo "$(echo "$t1 - $t0" | bc) $(echo "$ti - $t0" | bc)"
    else
        echo fail
    fi
}

# The initrd's transfer as serve logged it since line FROM: "SECONDS s PROTOCOL", or "?".
initrd_transfer() { # initrd_transfer FROM
    tail -n +"$1" "$SERVE_LOG" | sed -nE "s#.*(tftp|http) [0-9.:]+ /?rescuekit/$HOST/initrd\.img: [0-9]+ bytes in ([0-9.]+) s.*: ok.*#\2 s \1#p" |
        tail -n 1 | grep . || echo "?"
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
declare -A BOOT_S
# Rows: id|firmware|label|dnsmasq boot options (';'-separated)
BOOT_ROWS=("bios-tftp|bios|SeaBIOS, iPXE ROM: pxelinux.0, kernel and initrd over TFTP|--dhcp-boot=pxelinux.0"
           "bios-http|bios|SeaBIOS, iPXE ROM: boot.ipxe, kernel and initrd over HTTP|--dhcp-boot=$SCRIPT_URL"
           "uefi-tftp|uefi|OVMF PXE: rk-grubx64.efi, kernel and initrd over TFTP|--dhcp-boot=rk-grubx64.efi"
           "uefi-http|uefi|OVMF PXE: ipxe.efi over TFTP, then boot.ipxe, kernel and initrd over HTTP|--dhcp-userclass=set:ipxe,iPXE;--dhcp-boot=tag:!ipxe,ipxe.efi;--dhcp-boot=tag:ipxe,$SCRIPT_URL")
BOOT_FAILED=0
echo "PXE power-on to the front-end banner: QEMU TCG, 2 GiB, the tree of $TREE served by rescuekit serve, $ROUNDS round(s) per row," \
     "IPv6 router advertisements $([ "$BOOT_RA" = 1 ] && echo on || echo off)"
echo "  $("$RK" --version 2>/dev/null | head -n1); $(qemu-system-x86_64 --version | head -n1);" \
     "initrd $(stat -c %s "$TREE/rescuekit/$HOST/initrd.img") bytes, kernel $(stat -c %s "$TREE/rescuekit/$HOST/vmlinuz") bytes"
echo "  load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
for row in "${BOOT_ROWS[@]}"; do
    IFS='|' read -r id firmware label options <<< "$row"
    IFS=';' read -r -a opts <<< "$options"
    dhcp "${opts[@]}"
    times=(); inits=(); transfers=()
    for _ in $(seq "$ROUNDS"); do
        from=$(( $(wc -l < "$SERVE_LOG") + 1 ))
        read -r total init <<< "$(boot "$id" "$firmware")"
        times+=("$total"); inits+=("${init:-fail}")
        transfers+=("$(initrd_transfer "$from")")
    done
    if printf '%s\n' "${times[@]}" | grep -q fail; then
        BOOT_S[$id]=fail; BOOT_FAILED=1
        printf '  %-88s  failed (see %s/logs/boot-%s.log)\n' "$label" "$DIR" "$id"
        continue
    fi
    BOOT_S[$id]=$(printf '%s\n' "${times[@]}" | median)
    printf '  %-88s  %6.1f s  (rounds: %s; to init: %s s; initrd: %s)\n' "$label" "${BOOT_S[$id]}" \
        "$(printf '%.1f ' "${times[@]}" | sed 's/ $//')" "$(printf '%.1f ' "${inits[@]}" | sed 's/ $//')" \
        "$(printf '%s, ' "${transfers[@]}" | sed 's/, $//')"
done
echo
echo "Ratios (TFTP row's seconds over the HTTP row's, same firmware):"
for pair in "bios-tftp bios-http SeaBIOS: pxelinux/TFTP over iPXE ROM/HTTP" "uefi-tftp uefi-http OVMF: GRUB/TFTP over ipxe.efi/HTTP"; do
    read -r a b text <<< "$pair"
    if [ "${BOOT_S[$a]}" = fail ] || [ "${BOOT_S[$b]}" = fail ]; then printf '  %-45s  n/a\n' "$text"; continue; fi
    printf '  %-45s  %5.2fx\n' "$text" "$(echo "scale=2; ${BOOT_S[$a]} / ${BOOT_S[$b]}" | bc)"
done
echo "  load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
