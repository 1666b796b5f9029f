# shellcheck shell=bash disable=SC2034 # its variables are read by the scripts that source it
# Shared by bench/backup.sh and bench/restore.sh (sourced, never run): the generated tree on its loop-mounted ext4
# image, the page-cache policy, and measuring one run under /usr/bin/time.
#
# The sourcing script sets BENCH_NAME (the word its messages start with) before sourcing, and defines
#   prepare_run ROW        called before each measured run, before the cache is dropped or warmed
#   finish_run ROW RC      called after it, with the command's exit status
# Environment read here (documented in bench/README.md): BENCH_TREE_DIR, BENCH_KEEP, BENCH_SEED, BENCH_SCALE,
# BENCH_RUN_TIMEOUT.

readonly TREE_DIR=${BENCH_TREE_DIR:-/var/tmp/rescuekit-bench-backup}
readonly KEEP=${BENCH_KEEP:-1}
readonly SEED=${BENCH_SEED:-20261201}
readonly SCALE=${BENCH_SCALE:-1}
readonly RUN_TIMEOUT=${BENCH_RUN_TIMEOUT:-3600}
readonly APT_TIMEOUT=900
# Bump when the generator changes what it writes: a cached image with another version is regenerated.
readonly GENERATOR_VERSION=2
readonly IMAGE_MIB=3584
readonly IMAGE=$TREE_DIR/tree.img
readonly STAMP=$TREE_DIR/tree.stamp
readonly MNT=$TREE_DIR/mnt

LOOP=""
CACHE_MODE=""
FAILED=0
# Per row, summed over its rounds: wall and CPU seconds; RSS is the largest of any round.
declare -A WALL CPU RSS SIZE STATUS RUNS
LOADS=()
# What a warm run reads into the cache first; empty: the whole tree.
WARM_FILES=()

die() { # die CODE MESSAGE
    echo "$BENCH_NAME bench: $2" >&2
    exit "$1"
}

warn() { echo "$BENCH_NAME bench: $*" >&2; }

# ensure_tools COMMAND=PACKAGE...: installs the Debian packages of the commands that are missing.
ensure_tools() {
    local -A need=()
    local missing=() c pair
    for pair in "$@"; do need[${pair%%=*}]=${pair#*=}; done
    for c in "${!need[@]}"; do
        command -v "$c" >/dev/null 2>&1 || missing+=("${need[$c]}")
    done
    ((${#missing[@]} == 0)) && return 0
    echo "installing ${missing[*]}"
    timeout "$APT_TIMEOUT" apt-get update -qq >/dev/null 2>&1 || warn "apt-get update failed; trying the install anyway"
    DEBIAN_FRONTEND=noninteractive timeout "$APT_TIMEOUT" apt-get install -y -qq --no-install-recommends "${missing[@]}" \
        >/dev/null || die 2 "cannot install ${missing[*]}"
}

# Unmounts the tree and detaches its loop device; with BENCH_KEEP=0 also removes the image (the caller removes its
# own files in TREE_DIR first, so that the directory can go too).
release_tree() {
    if mountpoint -q "$MNT" 2>/dev/null; then umount "$MNT" || warn "could not unmount $MNT"; fi
    if [[ -n $LOOP ]]; then losetup -d "$LOOP" || warn "could not detach $LOOP"; fi
    LOOP=""
    if [[ $KEEP == 0 ]]; then
        rm -f "$IMAGE" "$STAMP"
        rmdir "$MNT" "$TREE_DIR" 2>/dev/null
    fi
    return 0
}

# The tree: deterministic for a given seed and scale. Text comes from a 32 MiB corpus of Zipf-distributed pseudo-words
# drawn once; each file takes slices at random offsets, so neither gzip's 32 KiB window nor zstd's few MiB see
# repeats across files that a real tree would not have. Prints "<content bytes> <files>" (holes not counted).
generate_tree() {
    python3 - "$MNT" "$SEED" "$SCALE" <<'PY'
import os, random, struct, sys

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

def acl(*entries):
    # The kernel's POSIX ACL xattr: version 2, then (tag, perm, id) entries sorted by tag and id.
    return struct.pack("<I", 2) + b"".join(struct.pack("<HHI", tag, perm, uid) for tag, perm, uid in entries)

ANY = 0xFFFFFFFF  # the id of the *_OBJ, MASK and OTHER entries
# Many small files: 1-16 KiB of text each, in a source-tree-like hierarchy. Some carry metadata a restore must put
# back (none of it draws from rng, so the bytes are those of generator 1): other owners and modes, user xattrs,
# POSIX ACLs (a default ACL that the files of src/pkg00/mod1 inherit, access ACLs), a file capability.
top = max(1, int(60 * scale))
for d in range(top):
    for s in range(10):
        directory = os.path.join(root, "src", f"pkg{d:02d}", f"mod{s}")
        os.makedirs(directory)
        if d == 0 and s == 1:
            os.setxattr(directory, "system.posix_acl_default",
                        acl((0x01, 7, ANY), (0x02, 7, 1000), (0x04, 5, ANY), (0x10, 7, ANY), (0x20, 5, ANY)))
        for n in range(80):
            name = os.path.join(directory, f"file{n:03d}.txt")
            write(name, f"# {name[len(root):]}\n".encode() + text(rng.randint(1024, 16384)))
            k = (d * 10 + s) * 80 + n
            if k % 25 == 7:
                os.chown(name, 1001, 100)
                os.chmod(name, 0o600)
            if k % 40 == 5:
                os.setxattr(name, "user.rk.origin", name[len(root):].encode())
                os.setxattr(name, "user.rk.index", str(k).encode())
            if k % 200 == 13:
                os.setxattr(name, "system.posix_acl_access",
                            acl((0x01, 6, ANY), (0x02, 6, 1000), (0x04, 4, ANY), (0x08, 6, 100), (0x10, 6, ANY), (0x20, 0, ANY)))
            if k == 0:
                os.chmod(name, 0o755)
                os.setxattr(name, "security.capability", struct.pack("<5I", 0x02000001, 1 << 10, 0, 0, 0))
                os.setxattr(name, "user.rk.blob", bytes(range(256)) * 8)
        if (d * 10 + s) % 7 == 3:
            os.chown(directory, 1000, 1000)
            os.chmod(directory, 0o750)
os.setxattr(os.path.join(root, "src"), "user.rk.role", b"sources")
# A symlink, a hard link and a fifo (not counted as files).
os.symlink("mod0", os.path.join(root, "src", "pkg00", "current"))
os.link(os.path.join(root, "src", "pkg00", "mod0", "file001.txt"), os.path.join(root, "src", "pkg00", "mod0", "file001.link"))
os.mkfifo(os.path.join(root, "src", "pkg00", "queue"))
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

# The tree's file content in bytes (holes not counted) and its number of files, from the stamp.
tree_content_bytes() { awk -F'[= ]' 'NR == 2 { print $2 }' "$STAMP"; }
tree_files() { awk -F'[= ]' 'NR == 2 { print $4 }' "$STAMP"; }

# Decides once whether the page cache can be dropped before each run; where it cannot (a container without write
# access to /proc/sys), every run instead starts with what it reads (the tree, or WARM_FILES) in the cache.
choose_cache_mode() {
    sync
    if echo 3 2>/dev/null >/proc/sys/vm/drop_caches; then
        CACHE_MODE=cold
        echo "page cache: dropped before each run (echo 3 > /proc/sys/vm/drop_caches)"
    else
        CACHE_MODE=warm
        echo "page cache: cannot drop it here (/proc/sys/vm/drop_caches not writable); the ${WARM_WHAT:-tree} is read" \
            "into the cache before each run instead, so every run starts warm"
    fi
}

before_run() {
    sync
    if [[ $CACHE_MODE == cold ]]; then
        echo 3 >/proc/sys/vm/drop_caches
    elif ((${#WARM_FILES[@]} > 0)); then
        cat -- "${WARM_FILES[@]}" >/dev/null
    else
        # Through cat: GNU tar does not read file data when its archive is /dev/null itself.
        tar --create --sparse -C "$MNT" -f - . | cat >/dev/null
    fi
}

# measure ROW OUTPUT COMMAND...: runs COMMAND under /usr/bin/time and adds its wall time and CPU time (user+sys of
# the process and its waited-for children: tar's includes zstd's) to the row, keeps the peak RSS (the largest process
# of the tree, in KiB: GNU time reports getrusage's ru_maxrss of the waited-for children) and, when OUTPUT is not
# empty, OUTPUT's size, and notes the 1-minute load average at the start. A row that fails once stays failed.
# LAST_WALL is the run's wall time, or empty when it failed.
measure() {
    local row=$1 output=$2
    shift 2
    prepare_run "$row"
    before_run
    echo "running $row"
    local tf="$TREE_DIR/time.$row" log="$TREE_DIR/log.$row"
    local rc=0 wall rss user sys
    LAST_WALL=""
    LOADS+=("$(cut -d ' ' -f 1 /proc/loadavg)")
    /usr/bin/time -f '%e %M %U %S' -o "$tf" timeout "$RUN_TIMEOUT" "$@" >"$log" 2>&1 || rc=$?
    if ((rc == 0)) && [[ ${STATUS[$row]:-ok} == ok ]]; then
        read -r wall rss user sys <"$tf"
        LAST_WALL=$wall
        WALL[$row]=$(awk -v a="${WALL[$row]:-0}" -v b="$wall" 'BEGIN { print a + b }')
        CPU[$row]=$(awk -v a="${CPU[$row]:-0}" -v u="$user" -v s="$sys" 'BEGIN { print a + u + s }')
        ((rss > ${RSS[$row]:-0})) && RSS[$row]=$rss
        RUNS[$row]=$((${RUNS[$row]:-0} + 1))
        [[ -n $output ]] && SIZE[$row]=$(du -sb "$output" | awk '{ print $1 }')
        STATUS[$row]=ok
    elif ((rc != 0)); then
        STATUS[$row]="failed (exit $rc: $(grep -v '^Command exited' "$log" | tail -n 1))"
        FAILED=1
    fi
    rm -f "$tf" "$log"
    finish_run "$row" "$rc"
}

# row_line ROW LABEL: one table row of the means over the row's runs, over INPUT bytes of file content; the output
# columns only for a row that has an OUTPUT size.
row_line() {
    local row=$1 label=$2
    if [[ ${STATUS[$row]:-} != ok ]]; then
        printf '| %-34s | %s |\n' "$label" "${STATUS[$row]:-not run}"
        return
    fi
    # The label through the environment: awk -v would take a backslash (as in "\|") for an escape.
    LABEL=$label awk -v w="${WALL[$row]}" -v c="${CPU[$row]}" -v n="${RUNS[$row]}" -v r="${RSS[$row]}" \
        -v s="${SIZE[$row]:-}" -v input="$INPUT" 'BEGIN { w /= n; c /= n; l = ENVIRON["LABEL"]
        printf "| %-34s | %6d | %8.1f | %8.1f | %7.1f | %9.2f | %9.1f |", l, n, w, input / 1e6 / w, c,
            c / (input / 2^30), r / 1024
        if (s != "") printf " %9.1f | %6.3f |", s / 2^20, s / input
        printf "\n" }'
}

# ratio_line ROW LABEL TARGET: the throughput of the rescuekit row over ROW's (ROW's mean wall time over rescuekit's).
ratio_line() {
    local row=$1 label=$2 target=$3
    if [[ ${STATUS[rescuekit]:-} != ok || ${STATUS[$row]:-} != ok ]]; then
        printf '%-44s n/a (target ≥ %s×)\n' "$label" "$target"
        return
    fi
    awk -v l="$label" -v a="${WALL[$row]}" -v na="${RUNS[$row]}" -v b="${WALL[rescuekit]}" -v nb="${RUNS[rescuekit]}" \
        -v t="$target" 'BEGIN { r = (a / na) / (b / nb); printf "%-44s %.2f× (target ≥ %s×: %s)\n", l, r, t, r >= t ? "PASS" : "MISS" }'
}

# cpu_ratio_line ROW LABEL: ROW's mean CPU time over the rescuekit row's.
cpu_ratio_line() {
    local row=$1 label=$2
    [[ ${STATUS[rescuekit]:-} == ok && ${STATUS[$row]:-} == ok ]] || return 0
    awk -v l="$label" -v a="${CPU[$row]}" -v na="${RUNS[$row]}" -v b="${CPU[rescuekit]}" -v nb="${RUNS[rescuekit]}" 'BEGIN {
        printf "%-44s %.2f× (no target; above 1 rescuekit needs less CPU)\n", l, (a / na) / (b / nb) }'
}
