#!/usr/bin/env bash
# Benchmark of `rescuekit serve` (issue 11): not a test, it prints figures and ratios against its peers.
#
# One file of BENCH_SIZE_MIB (default 200) served from one directory, on the loopback of a network namespace of the
# script's own (unshare -n: dnsmasq's TFTP listens on port 69 only, and nothing else on the machine is reached), to the
# same client by each server in turn, round by round (A B C D A B C D ...), so the machine's drift falls on all alike:
#   TFTP: rescuekit serve, tftpd-hpa (in.tftpd), atftpd, dnsmasq (--enable-tftp)
#   HTTP: rescuekit serve, nginx
# Rows (client, setting): curl, tftp-hpa's tftp and atftp at 512-byte blocks (no options); curl and atftp at blksize
# 1468; atftp at blksize 1468 and windowsize 16 (RFC 7440; a server that does not know windowsize answers without it
# and the transfer is lock-step); curl over HTTP; then BENCH_PARALLEL (default 20) curls at once, TFTP at blksize 1468
# and HTTP. Each single transfer is written to /dev/shm and compared with the file (outside the timing); the parallel
# ones go to /dev/null and curl's byte count must equal the size.
#
# Run as root on Debian 12 after `make publish`:  bench/pxe.sh
# Environment:
#   BENCH_SIZE_MIB=200     size of the file (the targets are set for >= 200)
#   BENCH_ROUNDS=1         runs per row and server; the median is printed
#   BENCH_PARALLEL=20      clients of the parallel rows
#   BENCH_DIR=/var/tmp/rescuekit-bench-pxe   the file, peer binaries unpacked from their .deb, logs (kept)
#   BENCH_ONLY=tftp|http   one protocol only
#   BENCH_ROWS=ID,...      only these rows (ids: curl512 hpa512 atftp512 curl1468 atftp1468 atftpw16 par1468 http parhttp)
#   BENCH_ONLY=boot        instead, PXE power-on to the front-end banner under QEMU TCG, pxelinux and GRUB over TFTP
#                          against iPXE over HTTP, from rescuekit serve (bench/lib/pxe-boot.sh; minutes per round: run
#                          it under the machine's VM lock). Not part of the default run.
#   BENCH_BOOT_TIMEOUT=600 with boot: seconds a boot may take to reach the banner
#   BENCH_BOOT_RA=1        with boot: dnsmasq sends IPv6 router advertisements (0: none, and iPXE waits for one)
# Exit status: 0 all measured (targets met or not), 1 a figure could not be measured, 2 it could not start.
set -euo pipefail
cd "$(dirname "$0")/.."
RK=${RESCUEKIT:-$PWD/out/publish/rescuekit}
SIZE_MIB=${BENCH_SIZE_MIB:-200}
ROUNDS=${BENCH_ROUNDS:-1}
PARALLEL=${BENCH_PARALLEL:-20}
DIR=${BENCH_DIR:-/var/tmp/rescuekit-bench-pxe}
ONLY=${BENCH_ONLY:-}
RUN_TIMEOUT=600
die() { echo "pxe bench: $2" >&2; exit "$1"; }
[ "$(id -u)" -eq 0 ] || die 2 "run as root (a network namespace of its own; dnsmasq's TFTP needs port 69)"
[ -x "$RK" ] || die 2 "$RK is missing: run make publish first"
if [ "$ONLY" = boot ]; then
    # shellcheck source-path=SCRIPTDIR source=lib/pxe-boot.sh
    source bench/lib/pxe-boot.sh
    exit "$BOOT_FAILED"
fi

mkdir -p "$DIR/root" "$DIR/debs" "$DIR/logs"
ROOT=$DIR/root
FILE=big.bin
SIZE=$((SIZE_MIB * 1048576))
OUT=/dev/shm/rk-pxe-bench-$$
PIDS=()
cleanup() {
    local p
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
    rm -f "$OUT"
}
trap cleanup EXIT

# tftpd-hpa and atftpd conflict as Debian packages (both provide tftpd): each peer that is not installed is taken from
# its .deb (apt-get download) and unpacked under DIR/debs, never installed.
peer() { # peer PACKAGE PATH: prints the path of PATH from PACKAGE, installed or unpacked
    local pkg=$1 path=$2
    # Installed means dpkg says so: atftpd also ships an in.tftpd, so a path alone does not tell the peers apart.
    if dpkg-query -W -f '${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed'; then echo "$path"; return; fi
    if [ ! -x "$DIR/debs/$pkg$path" ]; then
        (cd "$DIR/debs" && rm -f "$pkg"_*.deb && timeout 300 apt-get download -qq "$pkg" >/dev/null 2>&1 </dev/null &&
            dpkg-deb -x "$pkg"_*.deb "$DIR/debs/$pkg") || die 2 "cannot get $pkg (apt-get download $pkg)"
    fi
    echo "$DIR/debs/$pkg$path"
}
need=()
for p in curl:curl atftp:atftp tftp:tftp-hpa dnsmasq:dnsmasq-base nginx:nginx; do
    command -v "${p%%:*}" >/dev/null 2>&1 || need+=("${p##*:}")
done
if [ ${#need[@]} -gt 0 ]; then
    DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null ||
        die 2 "cannot install ${need[*]}"
fi
TFTPD_HPA=$(peer tftpd-hpa /usr/sbin/in.tftpd)
ATFTPD=$(peer atftpd /usr/sbin/atftpd)

# Into a network namespace of our own with only a loopback (after the downloads, which need the network); the rest runs
# there again from the top, finding everything fetched, and its servers die with it.
if [ -z "${RK_PXE_BENCH_NETNS:-}" ]; then
    exec unshare --net env RK_PXE_BENCH_NETNS=1 bash "$0" "$@"
fi
ip link set lo up
# tftpd-hpa resolves its -a address with AI_ADDRCONFIG, which counts no loopback address: without another IPv4
# address it exits 66 at once. A veth pair with a documentation address (RFC 5737) gives it one; nothing is sent there.
ip link add rkbench0 type veth peer name rkbench1
ip addr add 192.0.2.1/24 dev rkbench0
ip link set rkbench0 up
ip link set rkbench1 up

if [ "$(stat -c %s "$ROOT/$FILE" 2>/dev/null || echo 0)" != "$SIZE" ]; then
    echo "making $ROOT/$FILE ($SIZE_MIB MiB, random)"
    head -c "$SIZE" /dev/urandom > "$ROOT/$FILE.tmp" && mv "$ROOT/$FILE.tmp" "$ROOT/$FILE"
fi
chmod 0644 "$ROOT/$FILE"
cat "$ROOT/$FILE" > /dev/null   # in the page cache for every server alike

# The servers, each on its own ports of 127.0.0.1 (dnsmasq's TFTP: 69).
declare -A TPORT=([rescuekit]=6901 [tftpd-hpa]=6902 [atftpd]=6903 [dnsmasq]=69)
declare -A HPORT=([rescuekit]=8091 [nginx]=8092)
start() { # start NAME COMMAND...: in the background, log in DIR/logs
    local name=$1; shift
    "$@" > "$DIR/logs/$name.log" 2>&1 &
    PIDS+=($!)
}
start rescuekit "$RK" serve --root "$ROOT" --bind 127.0.0.1 --tftp-port "${TPORT[rescuekit]}" --http-port "${HPORT[rescuekit]}"
start tftpd-hpa "$TFTPD_HPA" -L -a "127.0.0.1:${TPORT[tftpd-hpa]}" -u root -s "$ROOT"
start atftpd "$ATFTPD" --daemon --no-fork --user root.root --bind-address 127.0.0.1 --port "${TPORT[atftpd]}" \
    --maxthread 200 --logfile /dev/null "$ROOT"
start dnsmasq dnsmasq --no-daemon --conf-file=/dev/null --port=0 --user=root --group=root --listen-address=127.0.0.1 \
    --bind-interfaces --enable-tftp --tftp-root="$ROOT" --tftp-max=200 --pid-file="$DIR/logs/dnsmasq.pid"
mkdir -p "$DIR/nginx"
cat > "$DIR/nginx/nginx.conf" <<EOF
worker_processes auto;
pid $DIR/nginx/nginx.pid;
error_log $DIR/logs/nginx-error.log;
daemon off;
events { worker_connections 1024; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    client_body_temp_path $DIR/nginx/body;
    proxy_temp_path $DIR/nginx/proxy;
    fastcgi_temp_path $DIR/nginx/fastcgi;
    uwsgi_temp_path $DIR/nginx/uwsgi;
    scgi_temp_path $DIR/nginx/scgi;
    server { listen 127.0.0.1:${HPORT[nginx]}; root $ROOT; }
}
EOF
start nginx nginx -p "$DIR/nginx" -c "$DIR/nginx/nginx.conf"
sleep 2
for p in "${PIDS[@]}"; do kill -0 "$p" 2>/dev/null || die 2 "a server did not start: see $DIR/logs"; done

now() { date +%s.%N; }
FAILED=0
# One transfer: prints its seconds, or "fail".
fetch() { # fetch CLIENT SETTING PROTO SERVER
    local client=$1 setting=$2 server=$4 url t0 t1 ok=1
    local tport=${TPORT[$server]:-} hport=${HPORT[$server]:-}
    rm -f "$OUT"
    t0=$(now)
    case $client/$setting in
        curl/512) timeout "$RUN_TIMEOUT" curl -sf -o "$OUT" "tftp://127.0.0.1:$tport/$FILE" || ok=0 ;;
        curl/1468) timeout "$RUN_TIMEOUT" curl -sf --tftp-blksize 1468 -o "$OUT" "tftp://127.0.0.1:$tport/$FILE" || ok=0 ;;
        tftp-hpa/512) timeout "$RUN_TIMEOUT" tftp -m binary 127.0.0.1 "$tport" -c get "$FILE" "$OUT" >/dev/null 2>&1 || ok=0 ;;
        atftp/512) timeout "$RUN_TIMEOUT" atftp -g -r "$FILE" -l "$OUT" 127.0.0.1 "$tport" >/dev/null 2>&1 || ok=0 ;;
        atftp/1468) timeout "$RUN_TIMEOUT" atftp --option "blksize 1468" -g -r "$FILE" -l "$OUT" 127.0.0.1 "$tport" >/dev/null 2>&1 || ok=0 ;;
        atftp/1468w16) timeout "$RUN_TIMEOUT" atftp --option "blksize 1468" --option "windowsize 16" -g -r "$FILE" -l "$OUT" \
                           127.0.0.1 "$tport" >/dev/null 2>&1 || ok=0 ;;
        curl/http) timeout "$RUN_TIMEOUT" curl -sf -o "$OUT" "http://127.0.0.1:$hport/$FILE" || ok=0 ;;
        curl/par1468|curl/parhttp)
            local i url n bad=0
            if [ "$setting" = par1468 ]; then url="tftp://127.0.0.1:$tport/$FILE"; else url="http://127.0.0.1:$hport/$FILE"; fi
            for i in $(seq "$PARALLEL"); do
                timeout "$RUN_TIMEOUT" curl -sf --tftp-blksize 1468 -o /dev/null -w '%{size_download}\n' "$url" > "$OUT.$i" &
            done
            wait
            for i in $(seq "$PARALLEL"); do
                n=$(cat "$OUT.$i" 2>/dev/null || true); rm -f "$OUT.$i"
                [ "$n" = "$SIZE" ] || bad=1
            done
            t1=$(now)
            [ $bad -eq 0 ] && echo "$t1 - $t0" | bc || echo fail
            return ;;
    esac
    t1=$(now)
    if [ $ok -eq 1 ] && cmp -s "$OUT" "$ROOT/$FILE"; then echo "$t1 - $t0" | bc; else echo fail; fi
    rm -f "$OUT"
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
declare -A RATE
# Rows: id|client|setting|proto|label
ROWS=()
if [ "$ONLY" != http ]; then
    ROWS+=("curl512|curl|512|tftp|TFTP 512 B, curl" "hpa512|tftp-hpa|512|tftp|TFTP 512 B, tftp-hpa tftp"
           "atftp512|atftp|512|tftp|TFTP 512 B, atftp" "curl1468|curl|1468|tftp|TFTP blksize 1468, curl"
           "atftp1468|atftp|1468|tftp|TFTP blksize 1468, atftp" "atftpw16|atftp|1468w16|tftp|TFTP blksize 1468 windowsize 16, atftp"
           "par1468|curl|par1468|tftp|TFTP blksize 1468, $PARALLEL curls at once")
fi
if [ "$ONLY" != tftp ]; then
    ROWS+=("http|curl|http|http|HTTP, curl" "parhttp|curl|parhttp|http|HTTP, $PARALLEL curls at once")
fi

echo "rescuekit serve vs peers, $SIZE_MIB MiB file, loopback of a private network namespace, $ROUNDS round(s) per cell"
echo "  $("$RK" --version 2>/dev/null | head -n1); tftpd-hpa $(dpkg-deb -f "$DIR"/debs/tftpd-hpa_*.deb Version 2>/dev/null || dpkg-query -W -f '${Version}' tftpd-hpa);" \
     "atftpd $(dpkg-deb -f "$DIR"/debs/atftpd_*.deb Version 2>/dev/null || dpkg-query -W -f '${Version}' atftpd);" \
     "$(dnsmasq --version | head -n1 | cut -d' ' -f1-3); $(nginx -v 2>&1); $(curl --version | head -n1 | cut -d' ' -f1-2)"
echo "  load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -n "${BENCH_ROWS:-}" ]; then
    picked=()
    for row in "${ROWS[@]}"; do [[ ",$BENCH_ROWS," == *",${row%%|*},"* ]] && picked+=("$row"); done
    [ ${#picked[@]} -gt 0 ] || die 2 "BENCH_ROWS=$BENCH_ROWS names no row"
    ROWS=("${picked[@]}")
fi
PAIRED=()
for row in "${ROWS[@]}"; do
    IFS='|' read -r id client setting proto label <<< "$row"
    if [ "$proto" = tftp ]; then servers=(rescuekit tftpd-hpa atftpd dnsmasq); else servers=(rescuekit nginx); fi
    copies=1; case $setting in par*) copies=$PARALLEL ;; esac
    printf '%s\n' "$label"
    # The servers take turns round by round (A B C D A B C D ...), so a drift in the machine's speed during the row
    # falls on every server alike instead of on the one measured then.
    declare -A TIMES=()
    for _ in $(seq "$ROUNDS"); do
        for server in "${servers[@]}"; do
            TIMES[$server]+="$(fetch "$client" "$setting" "$proto" "$server") "
            # The windowsize target is a ratio of two rows; each windowed transfer from rescuekit is followed at once
            # by a 512-byte one, and the ratio taken pair by pair holds when the machine's speed drifts between rows.
            if [ "$id" = atftpw16 ] && [ "$server" = rescuekit ]; then
                w=${TIMES[$server]% }; w=${w##* }
                b=$(fetch atftp 512 tftp rescuekit)
                if [ "$w" = fail ] || [ "$b" = fail ]; then PAIRED+=(fail); else PAIRED+=("$(echo "scale=3; $b / $w" | bc)"); fi
            fi
        done
    done
    for server in "${servers[@]}"; do
        read -r -a times <<< "${TIMES[$server]}"
        if printf '%s\n' "${times[@]}" | grep -q fail; then
            RATE[$id/$server]=fail
            printf '  %-10s  failed (see %s/logs/%s.log)\n' "$server" "$DIR" "$server"
            [ "$server" = rescuekit ] && FAILED=1
            continue
        fi
        t=$(printf '%s\n' "${times[@]}" | median)
        RATE[$id/$server]=$(echo "scale=1; $copies * $SIZE / 1000000 / $t" | bc)
        printf '  %-10s  %8.2f s  %8.1f MB/s\n' "$server" "$t" "${RATE[$id/$server]}"
    done
done

verdict() { # verdict VALUE TARGET: PASS or MISS
    if [ "$(echo "$1 >= $2" | bc)" = 1 ]; then echo PASS; else echo MISS; fi
}
echo
echo "Ratios (rescuekit serve's MB/s over the best peer's in the same row):"
for row in "${ROWS[@]}"; do
    IFS='|' read -r id client setting proto label <<< "$row"
    rk=${RATE[$id/rescuekit]:-fail}
    best=0; bestname=""
    for key in "${!RATE[@]}"; do
        [ "${key%%/*}" = "$id" ] || continue
        name=${key#*/}; r=${RATE[$key]}
        [ "$name" = rescuekit ] || [ "$r" = fail ] && continue
        if [ "$(echo "$r > $best" | bc)" = 1 ]; then best=$r; bestname=$name; fi
    done
    target=1.0; [ "$proto" = http ] && target=0.9
    if [ "$rk" = fail ] || [ -z "$bestname" ]; then
        printf '  %-50s  n/a\n' "$label"; FAILED=1; continue
    fi
    ratio=$(echo "scale=2; $rk / $best" | bc)
    printf '  %-50s  %5.2fx %-9s (target >= %s: %s)\n' "$label" "$ratio" "$bestname" "$target" "$(verdict "$ratio" "$target")"
done
if [ -n "${RATE[atftpw16/rescuekit]:-}" ] && [ -n "${RATE[atftp512/rescuekit]:-}" ] &&
   [ "${RATE[atftpw16/rescuekit]}" != fail ] && [ "${RATE[atftp512/rescuekit]}" != fail ]; then
    w=$(echo "scale=2; ${RATE[atftpw16/rescuekit]} / ${RATE[atftp512/rescuekit]}" | bc)
    printf "  %-50s  %5.2fx           (from the two rows' medians)\n" "rescuekit: windowsize 16 over 512 B (atftp)" "$w"
fi
if [ ${#PAIRED[@]} -gt 0 ]; then
    if printf '%s\n' "${PAIRED[@]}" | grep -q fail; then
        printf '  %-50s  failed\n' "rescuekit: windowsize 16 over 512 B, paired"; FAILED=1
    else
        w=$(printf '%s\n' "${PAIRED[@]}" | median)
        printf '  %-50s  %5.2fx           (target >= 10: %s; per pair: %s)\n' "rescuekit: windowsize 16 over 512 B, paired" \
            "$w" "$(verdict "$w" 10)" "${PAIRED[*]}"
    fi
fi
echo "  load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
exit $FAILED
