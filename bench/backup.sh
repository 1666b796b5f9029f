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

readonly TREE_DIR=${BENCH_TREE_DIR:-/var/tmp/rescuekit-bench-backup}
readonly KEEP=${BENCH_KEEP:-1}
readonly LEVEL=${BENCH_LEVEL:-3}
readonly SEED=${BENCH_SEED:-20261201}
readonly SCALE=${BENCH_SCALE:-1}
readonly RUN_TIMEOUT=${BENCH_RUN_TIMEOUT:-3600}
readonly ROUNDS=${BENCH_ROUNDS:-1}
readonly GZIP_ROWS=${BENCH_GZIP:-1}
readonly APT_TIMEOUT=900
# Bump when the generator changes what it writes: a cached image with another version is regenerated.
readonly GENERATOR_VERSION=1
readonly IMAGE_MIB=3584
readonly IMAGE=$TREE_DIR/tree.img
readonly STAMP=$TREE_DIR/tree.stamp
readonly MNT=$TREE_DIR/mnt
readonly OUT=$TREE_DIR/out
# The options every tar row uses: what ReaR 2.7 passes (--sparse, --one-file-system) plus the metadata RescueKit
# keeps too (xattrs, ACLs), so all rows archive the same content.
readonly TAR_OPTS=(--create --sparse --one-file-system --xattrs '--xattrs-include=*' --acls -C "$MNT")

LOOP=""
CACHE_MODE=""
FAILED=0
# Per row, summed over its rounds: wall and CPU seconds; RSS is the largest of any round.
declare -A WALL CPU RSS SIZE STATUS RUNS
LOADS=()
ROUND_RATIOS=()

die() { # die CODE MESSAGE
    echo "backup bench: $2" >&2
    exit "$1"
}

warn() { echo "backup bench: $*" >&2; }

# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
    rm -rf "$OUT"
    if mountpoint -q "$MNT" 2>/dev/null; then umount "$MNT" || warn "could not unmount $MNT"; fi
    if [[ -n $LOOP ]]; then losetup -d "$LOOP" || warn "could not detach $LOOP"; fi
    if [[ $KEEP == 0 ]]; then
        rm -f "$IMAGE" "$STAMP"
        rmdir "$MNT" "$TREE_DIR" 2>/dev/null
    fi
    return 0
}

ensure_tools() {
    # command -> Debian package
    local -A need=([pigz]=pigz [zstd]=zstd [/usr/bin/time]=time [python3]=python3 [mkfs.ext4]=e2fsprogs
        [losetup]=mount [tar]=tar [gzip]=gzip)
    local missing=() c
    for c in "${!need[@]}"; do
        command -v "$c" >/dev/null 2>&1 || missing+=("${need[$c]}")
    done
    ((${#missing[@]} == 0)) && return 0
    echo "installing ${missing[*]}"
    timeout "$APT_TIMEOUT" apt-get update -qq >/dev/null 2>&1 || warn "apt-get update failed; trying the install anyway"
    DEBIAN_FRONTEND=noninteractive timeout "$APT_TIMEOUT" apt-get install -y -qq --no-install-recommends "${missing[@]}" \
        >/dev/null || die 2 "cannot install ${missing[*]}"
}

# The tree: deterministic for a given seed and scale. Text comes from a 32 MiB corpus of Zipf-distributed pseudo-words
# drawn once; each file takes slices at random offsets, so neither gzip's 32 KiB window nor zstd's few MiB see
# repeats across files that a real tree would not have. Prints "<content bytes> <files>" (holes not counted).
generate_tree() {
    python3 - "$MNT" "$SEED" "$SCALE" <<'PY'
import os, random, sys

root, seed, scale = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
rng = random.Random(seed)
MiB = 1 << 20
letters = "etaoinshrdlcumwfgypbvkjxqz"
vocab = ["".join(rng.choices(letters, weights=range(26, 0, -1), k=rng.randint(2, 10))) for _ in range(8192)]
cum, total = [], 0.0
for i in range(len(vocab)):
    total += 1.0 / (i + 1)
    cum.append(total)
parts, size = [], 0
while size < 32 * MiB:
    line = " ".join(rng.choices(vocab, cum_weights=cum, k=rng.randint(4, 16)))
    line = line.capitalize() + (". " if rng.random() < 0.8 else ",\n")
    parts.append(line)
    size += len(line)
corpus = "".join(parts).encode()
content = files = 0

def text(n):
    at = rng.randrange(len(corpus) - n)
    return corpus[at:at + n]

def write(path, data):
    global content, files
    with open(path, "wb") as f:
        f.write(data)
    content += len(data)
    files += 1

# Many small files: 1-16 KiB of text each, in a source-tree-like hierarchy.
top = max(1, int(60 * scale))
for d in range(top):
    for s in range(10):
        directory = os.path.join(root, "src", f"pkg{d:02d}", f"mod{s}")
        os.makedirs(directory)
        for n in range(80):
            name = os.path.join(directory, f"file{n:03d}.txt")
            write(name, f"# {name[len(root):]}\n".encode() + text(rng.randint(1024, 16384)))
# Large compressible files: log lines, 128 MiB each.
os.makedirs(os.path.join(root, "logs"))
for n in range(max(1, int(9 * scale))):
    path = os.path.join(root, "logs", f"app{n}.log")
    with open(path, "wb") as f:
        written, t = 0, 1767225600 + n * 86400
        while written < 128 * MiB:
            lines = []
            for _ in range(1000):
                t += rng.randint(0, 3)
                lines.append(b"%d.%06d host%d svc[%d]: %s\n" % (t, rng.randrange(10**6), n, rng.randint(100, 9999),
                                                              text(rng.randint(40, 200)).replace(b"\n", b" ")))
            chunk = b"".join(lines)
            f.write(chunk)
            written += len(chunk)
    content += written
    files += 1
# Large incompressible files: 128 MiB of seeded pseudo-random bytes each (deterministic, unlike /dev/urandom).
os.makedirs(os.path.join(root, "media"))
for n in range(max(1, int(5 * scale))):
    path = os.path.join(root, "media", f"blob{n}.bin")
    with open(path, "wb") as f:
        for _ in range(128):
            f.write(rng.randbytes(MiB))
    content += 128 * MiB
    files += 1
# Sparse files: 1 GiB apparent, eight 1 MiB extents of data (text or random) at seeded offsets, the rest holes.
os.makedirs(os.path.join(root, "vm"))
for n in range(4):
    path = os.path.join(root, "vm", f"disk{n}.img")
    with open(path, "wb") as f:
        f.truncate(1 << 30)
        for at in sorted(rng.sample(range(1023), 8)):
            f.seek(at * MiB)
            f.write(text(MiB) if rng.random() < 0.5 else rng.randbytes(MiB))
            content += MiB
    files += 1
print(content, files)
PY
}

# Reuses tree.img when its stamp says it was made by this generator version with this seed and scale.
prepare_tree() {
    local want="generator=$GENERATOR_VERSION seed=$SEED scale=$SCALE"
    mkdir -p "$TREE_DIR" "$MNT" || die 2 "cannot create $TREE_DIR"
    if [[ -f $IMAGE && -f $STAMP && $(head -n 1 "$STAMP") == "$want" ]]; then
        echo "reusing the tree in $IMAGE ($want)"
        LOOP=$(losetup -f --show "$IMAGE") || die 2 "losetup failed (no free loop device?)"
        mount -o noatime "$LOOP" "$MNT" || die 2 "cannot mount $LOOP"
        return 0
    fi
    local free_kib
    free_kib=$(df -Pk "$TREE_DIR" | awk 'NR == 2 { print $4 }')
    ((free_kib > 7 * 1024 * 1024)) || die 2 "$TREE_DIR needs about 7 GiB free (tree image and the largest output)"
    echo "generating the tree in $IMAGE ($want; a few minutes)"
    rm -f "$IMAGE" "$STAMP"
    truncate -s "${IMAGE_MIB}M" "$IMAGE" || die 2 "cannot create $IMAGE"
    mkfs.ext4 -q -F -N 131072 -L benchtree "$IMAGE" || die 2 "mkfs.ext4 failed"
    LOOP=$(losetup -f --show "$IMAGE") || die 2 "losetup failed (no free loop device?)"
    mount -o noatime "$LOOP" "$MNT" || die 2 "cannot mount $LOOP"
    local t0=$EPOCHREALTIME counts content files
    counts=$(generate_tree) || die 2 "generating the tree failed"
    read -r content files <<<"$counts"
    sync
    printf '%s\ncontent_bytes=%s files=%s\n' "$want" "$content" "$files" >"$STAMP"
    echo "generated $(awk -v b="$content" 'BEGIN { printf "%.2f GiB", b / 2^30 }') in $files files" \
        "in $(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }') s"
}

# Decides once whether the page cache can be dropped before each run; where it cannot (a container without write
# access to /proc/sys), every run instead starts with the whole tree read into the cache.
choose_cache_mode() {
    sync
    if echo 3 2>/dev/null >/proc/sys/vm/drop_caches; then
        CACHE_MODE=cold
        echo "page cache: dropped before each run (echo 3 > /proc/sys/vm/drop_caches)"
    else
        CACHE_MODE=warm
        echo "page cache: cannot drop it here (/proc/sys/vm/drop_caches not writable); the tree is read into the cache" \
            "before each run instead, so every run starts warm"
    fi
}

before_run() {
    sync
    if [[ $CACHE_MODE == cold ]]; then
        echo 3 >/proc/sys/vm/drop_caches
    else
        # Through cat: GNU tar does not read file data when its archive is /dev/null itself.
        tar --create --sparse -C "$MNT" -f - . | cat >/dev/null
    fi
}

# measure ROW OUTPUT COMMAND...: runs COMMAND under /usr/bin/time and adds its wall time and CPU time (user+sys of
# the process and its waited-for children: tar's includes zstd's) to the row, keeps the peak RSS (the largest process
# of the tree, in KiB: GNU time reports getrusage's ru_maxrss of the waited-for children) and OUTPUT's size, and
# notes the 1-minute load average at the start. A row that fails once stays failed.
measure() {
    local row=$1 output=$2
    shift 2
    rm -rf "$OUT"
    mkdir -p "$OUT"
    before_run
    echo "running $row"
    local tf="$TREE_DIR/time.$row" log="$TREE_DIR/log.$row"
    local rc=0 wall rss user sys
    LOADS+=("$(cut -d ' ' -f 1 /proc/loadavg)")
    /usr/bin/time -f '%e %M %U %S' -o "$tf" timeout "$RUN_TIMEOUT" "$@" >"$log" 2>&1 || rc=$?
    if ((rc == 0)) && [[ ${STATUS[$row]:-ok} == ok ]]; then
        read -r wall rss user sys <"$tf"
        LAST_WALL=$wall
        WALL[$row]=$(awk -v a="${WALL[$row]:-0}" -v b="$wall" 'BEGIN { print a + b }')
        CPU[$row]=$(awk -v a="${CPU[$row]:-0}" -v u="$user" -v s="$sys" 'BEGIN { print a + u + s }')
        ((rss > ${RSS[$row]:-0})) && RSS[$row]=$rss
        RUNS[$row]=$((${RUNS[$row]:-0} + 1))
        SIZE[$row]=$(du -sb "$output" | awk '{ print $1 }')
        STATUS[$row]=ok
    elif ((rc != 0)); then
        STATUS[$row]="failed (exit $rc: $(grep -v '^Command exited' "$log" | tail -n 1))"
        FAILED=1
    fi
    rm -f "$tf" "$log"
    rm -rf "$OUT"
}

rescuekit_available() {
    command -v rescuekit >/dev/null 2>&1 && rescuekit backup --help >/dev/null 2>&1
}

row_line() { # row_line ROW LABEL
    local row=$1 label=$2
    if [[ ${STATUS[$row]:-} != ok ]]; then
        printf '| %-34s | %s |\n' "$label" "${STATUS[$row]:-not run}"
        return
    fi
    awk -v l="$label" -v w="${WALL[$row]}" -v c="${CPU[$row]}" -v n="${RUNS[$row]}" -v r="${RSS[$row]}" \
        -v s="${SIZE[$row]}" -v input="$INPUT" 'BEGIN { w /= n; c /= n
        printf "| %-34s | %6d | %8.1f | %8.1f | %7.1f | %9.2f | %9.1f | %9.1f | %6.3f |\n", l, n, w, input / 1e6 / w, c,
            c / (input / 2^30), r / 1024, s / 2^20, s / input }'
}

ratio_line() { # ratio_line ROW LABEL TARGET
    local row=$1 label=$2 target=$3
    if [[ ${STATUS[rescuekit]:-} != ok || ${STATUS[$row]:-} != ok ]]; then
        printf '%-44s n/a (target ≥ %s×)\n' "$label" "$target"
        return
    fi
    awk -v l="$label" -v a="${WALL[$row]}" -v na="${RUNS[$row]}" -v b="${WALL[rescuekit]}" -v nb="${RUNS[rescuekit]}" \
        -v t="$target" 'BEGIN { r = (a / na) / (b / nb); printf "%-44s %.2f× (target ≥ %s×: %s)\n", l, r, t, r >= t ? "PASS" : "MISS" }'
}

# The zstd rows alternate, so that a change in the other jobs' load falls on both; each round's ratio is kept.
zstd_rounds() {
    local round tar_wall
    for ((round = 1; round <= ROUNDS; round++)); do
        LAST_WALL=""
        measure tar-zstd "$OUT/tree.tar.zst" tar "${TAR_OPTS[@]}" -I "zstd -T0 -$LEVEL" -f "$OUT/tree.tar.zst" .
        tar_wall=$LAST_WALL
        [[ $RESCUEKIT == yes ]] || continue
        LAST_WALL=""
        measure rescuekit "$OUT/rescuekit" \
            rescuekit backup --device "$LOOP" --to "$OUT/rescuekit" --compression zstd --level "$LEVEL"
        if [[ -n $tar_wall && -n $LAST_WALL ]]; then
            ROUND_RATIOS+=("$(awk -v a="$tar_wall" -v b="$LAST_WALL" 'BEGIN { printf "%.2f", a / b }')")
        fi
    done
}

main() {
    ((EUID == 0)) || die 2 "run as root (loop devices, mount, drop_caches)"
    ensure_tools
    trap cleanup EXIT
    trap 'exit 130' INT TERM
    prepare_tree
    INPUT=$(awk -F'[= ]' 'NR == 2 { print $2 }' "$STAMP")
    local files apparent
    files=$(awk -F'[= ]' 'NR == 2 { print $4 }' "$STAMP")
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
    if [[ ${STATUS[rescuekit]:-} == ok && ${STATUS[tar-zstd]:-} == ok ]]; then
        awk -v a="${CPU[tar-zstd]}" -v na="${RUNS[tar-zstd]}" -v b="${CPU[rescuekit]}" -v nb="${RUNS[rescuekit]}" 'BEGIN {
            printf "%-44s %.2f× (no target; above 1 rescuekit needs less CPU)\n",
                "tar|zstd CPU time / rescuekit CPU time:", (a / na) / (b / nb) }'
    fi
    if [[ ${STATUS[rescuekit]:-} == ok ]]; then
        awk -v r="${RSS[rescuekit]}" 'BEGIN { printf "%-44s %.1f MiB (target well under 512 MiB: %s)\n",
            "rescuekit peak RSS:", r / 1024, r < 512 * 1024 ? "PASS" : "MISS" }'
    else
        printf '%-44s n/a\n' "rescuekit peak RSS:"
    fi
    return "$FAILED"
}

main "$@"
