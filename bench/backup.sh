#!/usr/bin/env bash
# Benchmark: `rescuekit backup` against GNU tar with gzip (ReaR's default), pigz and zstd -T0, all reading the same
# generated tree (≥ 2 GiB on a loop-mounted ext4 image: many small text-like files, large compressible logs, large
# incompressible blobs, sparse files). Prints wall time, throughput (MB/s of input), CPU time (user+sys), peak RSS
# and output size per tool, and the ratios against the targets of issue 3: ≥ 5× tar+gzip, ≥ 1.0× tar|zstd -T0 at
# the same level, peak RSS well under 512 MiB; and the CPU-time ratio against tar|zstd, which on a machine shared
# with other jobs says more than the wall times. A benchmark, not a test: a missed target still exits 0.
#
# Run as root on Debian 12:  bench/backup.sh
# Environment:
#   BENCH_TREE_DIR=/var/tmp/rescuekit-bench-backup   where the tree image (tree.img), its stamp and the outputs go
#   BENCH_KEEP=1            keep the tree image for the next run (default); 0 removes it at the end
#   BENCH_LEVEL=3           zstd level for tar|zstd and rescuekit
#   BENCH_SEED=20261201     the generator's seed (a different seed or generator version regenerates the tree)
#   BENCH_SCALE=1           scales the number of files (below 1 the tree is under 2 GiB: only to try the script)
#   BENCH_RUN_TIMEOUT=3600  seconds allowed for one measured run
#   BENCH_ROUNDS=1          the tar|zstd and rescuekit rows run this many times, alternating; their figures are the
#                           means over the rounds, their ratios those of the sums
#   BENCH_GZIP=1            0 leaves out the tar+gzip and tar+pigz rows (minutes each; their ratio reads n/a)
# Exit codes: 0 measured (targets met or not), 1 a row could not be measured (a tool failed or timed out; an
# unavailable `rescuekit backup` is not a failure), 2 cannot start (not root, packages
# not installable, no loop device, not enough space).
set -uo pipefail
export LC_ALL=C

readonly BENCH_NAME=backup
# shellcheck source-path=SCRIPTDIR source=lib/tree.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/tree.sh"

readonly LEVEL=${BENCH_LEVEL:-3}
readonly ROUNDS=${BENCH_ROUNDS:-1}
readonly GZIP_ROWS=${BENCH_GZIP:-1}
readonly OUT=$TREE_DIR/out
# The options every tar row uses: what ReaR 2.7 passes (--sparse, --one-file-system) plus the metadata RescueKit
# keeps too (xattrs, ACLs), so all rows archive the same content.
readonly TAR_OPTS=(--create --sparse --one-file-system --xattrs '--xattrs-include=*' --acls -C "$MNT")

ROUND_RATIOS=()

# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
    rm -rf "$OUT"
    release_tree
}

# Each run writes into an empty OUT, removed after it.
# shellcheck disable=SC2317 # called by measure
prepare_run() {
    rm -rf "$OUT"
    mkdir -p "$OUT"
}

# shellcheck disable=SC2317 # called by measure
finish_run() { rm -rf "$OUT"; }

rescuekit_available() {
    command -v rescuekit >/dev/null 2>&1 && rescuekit backup --help >/dev/null 2>&1
}

# The zstd rows alternate, so that a change in the other jobs' load falls on both; each round's ratio is kept.
zstd_rounds() {
    local round tar_wall
    for ((round = 1; round <= ROUNDS; round++)); do
        measure tar-zstd "$OUT/tree.tar.zst" tar "${TAR_OPTS[@]}" -I "zstd -T0 -$LEVEL" -f "$OUT/tree.tar.zst" .
        tar_wall=$LAST_WALL
        [[ $RESCUEKIT == yes ]] || continue
        measure rescuekit "$OUT/rescuekit" \
            rescuekit backup --device "$LOOP" --to "$OUT/rescuekit" --compression zstd --level "$LEVEL"
        if [[ -n $tar_wall && -n $LAST_WALL ]]; then
            ROUND_RATIOS+=("$(awk -v a="$tar_wall" -v b="$LAST_WALL" 'BEGIN { printf "%.2f", a / b }')")
        fi
    done
}

main() {
    ((EUID == 0)) || die 2 "run as root (loop devices, mount, drop_caches)"
    ensure_tools pigz=pigz zstd=zstd /usr/bin/time=time python3=python3 mkfs.ext4=e2fsprogs losetup=mount tar=tar \
        gzip=gzip
    trap cleanup EXIT
    trap 'exit 130' INT TERM
    prepare_tree
    INPUT=$(tree_content_bytes)
    local files apparent
    files=$(tree_files)
    apparent=$(du -sb --apparent-size "$MNT" | awk '{ print $1 }')
    choose_cache_mode

    if [[ $GZIP_ROWS != 0 ]]; then
        measure tar-gzip "$OUT/tree.tar.gz" tar "${TAR_OPTS[@]}" -z -f "$OUT/tree.tar.gz" .
        measure tar-pigz "$OUT/tree.tar.gz" tar "${TAR_OPTS[@]}" -I pigz -f "$OUT/tree.tar.gz" .
    fi
    RESCUEKIT=no
    if rescuekit_available; then
        RESCUEKIT=yes
    else
        STATUS[rescuekit]="rescuekit backup: not available"
    fi
    zstd_rounds

    echo
    echo "host: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 2^20 }' /proc/meminfo), kernel $(uname -r)"
    echo "tools: $(tar --version | head -n 1), $(gzip --version | head -n 1), $(pigz --version 2>&1), $(zstd --version)"
    awk -v b="$INPUT" -v a="$apparent" -v f="$files" 'BEGIN {
        printf "tree: %.2f GiB of file content (%.2f GiB apparent, sparse holes included) in %d files\n", b / 2^30, a / 2^30, f }'
    echo "page cache: $CACHE_MODE before each run; MB = 10^6 bytes of file content per second of wall time;" \
        "CPU = user+sys seconds, per GiB of file content too; wall, MB/s and CPU are means over the row's runs"
    echo "load average (1 min) at the start of each run: ${LOADS[*]}"
    echo
    echo "| row                                |   runs | wall (s) |     MB/s | CPU (s) | CPU s/GiB | RSS (MiB) | out (MiB) | out/in |"
    echo "| ---------------------------------- | ------ | -------- | -------- | ------- | --------- | --------- | --------- | ------ |"
    row_line tar-gzip "tar -czf (ReaR's default)"
    row_line tar-pigz "tar -I pigz -cf"
    row_line tar-zstd "tar -I 'zstd -T0 -$LEVEL' -cf"
    row_line rescuekit "rescuekit backup (zstd -$LEVEL)"
    echo
    ratio_line tar-gzip "rescuekit / tar+gzip (throughput):" 5
    ratio_line tar-zstd "rescuekit / tar|zstd -T0 -$LEVEL (throughput):" 1.0
    if ((${#ROUND_RATIOS[@]} > 1)); then printf '%-44s %s\n' "  the same, round by round:" "${ROUND_RATIOS[*]}"; fi
    cpu_ratio_line tar-zstd "tar|zstd CPU time / rescuekit CPU time:"
    if [[ ${STATUS[rescuekit]:-} == ok ]]; then
        awk -v r="${RSS[rescuekit]}" 'BEGIN { printf "%-44s %.1f MiB (target well under 512 MiB: %s)\n",
            "rescuekit peak RSS:", r / 1024, r < 512 * 1024 ? "PASS" : "MISS" }'
    else
        printf '%-44s n/a\n' "rescuekit peak RSS:"
    fi
    return "$FAILED"
}

main "$@"
