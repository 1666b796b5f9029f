#!/usr/bin/env bash
# Benchmark of a restore (issue 9), in two parts.
#
# Part 1, extraction speed: `rescuekit restore --files-only` against `cat CHUNK... | zstd -dc | tar -x` (what
# docs/backup.md's "Restoring by hand" does) on one backup of backup.sh's generated tree (the same image, reused),
# alternating, each into a fresh ext4 filesystem, with the same xattrs and ACLs restored. Then checks that both
# extracted the same tree (content, modes, owners, mtimes, xattrs): a ratio over different work would mean nothing.
# Prints wall time, throughput (MB/s of file content), CPU time (user+sys) and peak RSS per row, and the throughput
# ratio rescuekit / zstd|tar against its target ≥ 1.0×.
#
# Part 2, with BENCH_VM=1 (20-30 minutes): the time of a whole restore in the VM lab, phase by phase, from the restore
# end-to-end test (tests/RescueKit.Boot.Tests, Nuke_OntoTwoBlankDisks...), and the ratio of the total to its
# irreducible part (rescue boot + extraction + restored boot) against its target ≤ 1.5.
#
# A benchmark, not a test: a missed target still exits 0.
#
# Run as root on Debian 12:  bench/restore.sh
# Environment:
#   BENCH_TREE_DIR=/var/tmp/rescuekit-bench-backup   where the tree image (shared with backup.sh), the backup and the
#                           scratch image go
#   BENCH_KEEP=1            keep the tree image for the next run (default); 0 removes it at the end (the backup and
#                           the scratch image are always removed)
#   BENCH_SEED=20261201     the generator's seed (a different seed or generator version regenerates the tree)
#   BENCH_SCALE=1           scales the number of files (below 1 the tree is under 2 GiB: only to try the script)
#   BENCH_ROUNDS=3          the two rows run this many times, alternating; their figures are the means over the
#                           rounds, their ratios those of the sums
#   BENCH_RUN_TIMEOUT=3600  seconds allowed for one measured run (and for the VM test)
#   BENCH_VM=0              1 also runs part 2 (the VM restore test, 20-30 minutes)
#   BENCH_VM_TIMINGS=FILE   part 2 reads FILE (lines "PHASE SECONDS") instead of running the test: to check the report
#   BENCH_ONLY=files|vm     run only part 1, or only part 2 (vm implies BENCH_VM=1; it needs no tree)
# Exit codes: 0 measured (targets met or not), 1 a row could not be measured (a tool failed or timed out, the two
# extracted trees differ, no VM timings), 2 cannot start (not root, rescuekit not on PATH, packages not
# installable, no loop device, not enough space).
set -uo pipefail
export LC_ALL=C

readonly BENCH_NAME=restore
# shellcheck source-path=SCRIPTDIR source=lib/tree.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/tree.sh"

readonly ROUNDS=${BENCH_ROUNDS:-3}
readonly ONLY=${BENCH_ONLY:-}
readonly VM_TIMINGS=${BENCH_VM_TIMINGS:-}
VM=${BENCH_VM:-0}
[[ $ONLY == vm || -n $VM_TIMINGS ]] && VM=1
readonly VM
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
readonly REPO
readonly WORK=$TREE_DIR/restore
readonly BACKUP_TO=$WORK/backup
readonly SCRATCH_IMAGE=$WORK/scratch.img
readonly SCRATCH=$WORK/scratch
readonly DEST=$SCRATCH/dest
readonly LISTS=$WORK/lists
readonly LEVEL=3
# The VM test's phases, in order, as RK_RESTORE_TIMINGS lines "PHASE SECONDS".
readonly VM_PHASES=(rescue_boot preflight disks extraction boot_loader restored_boot)
declare -A VM_PHASE_TEXT=(
    [rescue_boot]="QEMU start → restore front-end"
    [preflight]="front-end → first plan step"
    [disks]="first step → first extract step"
    [extraction]="the extract steps"
    [boot_loader]="after the extracts → \"The restore is complete\""
    [restored_boot]="restored disks' QEMU start → login prompt (SeaBIOS)"
)
readonly VM_TEST_FILTER="FullyQualifiedName~Nuke_OntoTwoBlankDisks"

TREE_USED=0
SCRATCH_LOOP=""
VM_DIR=""
BACKUP=""
MOUNT_POINT=""
CHUNKS=()
ROUND_RATIOS=()
CHECK=""
CHECK_DETAILS=()
declare -A LISTED
WARM_WHAT="backup's chunks"

# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
    if mountpoint -q "$SCRATCH" 2>/dev/null; then umount "$SCRATCH" || warn "could not unmount $SCRATCH"; fi
    if [[ -n $SCRATCH_LOOP ]]; then losetup -d "$SCRATCH_LOOP" || warn "could not detach $SCRATCH_LOOP"; fi
    rm -rf "$WORK"
    [[ -n $VM_DIR ]] && rm -rf "$VM_DIR"
    ((TREE_USED)) && release_tree
    return 0
}

# The scratch filesystem: a second loop image as big as the tree's, made again before every run (outside the timed
# command), so that each run extracts into the same fresh, empty ext4. Inode tables and journal are written by mkfs
# itself, so that no lazy initialisation runs in the background of a measured run.
# shellcheck disable=SC2317 # called by measure
prepare_run() {
    if mountpoint -q "$SCRATCH"; then umount "$SCRATCH" || die 1 "cannot unmount $SCRATCH"; fi
    mkfs.ext4 -q -F -N 131072 -E lazy_itable_init=0,lazy_journal_init=0 -L benchscratch "$SCRATCH_LOOP" \
        || die 1 "mkfs.ext4 of the scratch image failed"
    mount -o noatime "$SCRATCH_LOOP" "$SCRATCH" || die 1 "cannot mount $SCRATCH_LOOP"
    mkdir "$DEST" || die 1 "cannot create $DEST"
}

# After a successful run, lists what it extracted (and hashes every file's content after the row's first run).
# shellcheck disable=SC2317 # called by measure
finish_run() {
    local row=$1 rc=$2 root=$DEST n
    ((rc == 0)) || return 0
    [[ $row == rescuekit ]] && root=$DEST$MOUNT_POINT
    n=$((${LISTED[$row]:-0} + 1))
    LISTED[$row]=$n
    if ((n == 1)); then
        list_tree "$root" "$LISTS/$row.$n" "$LISTS/$row.sha256" >"$LISTS/$row.$n.counts"
    else
        list_tree "$root" "$LISTS/$row.$n" >"$LISTS/$row.$n.counts"
    fi || die 1 "listing $root failed"
}

# list_tree ROOT LISTING [HASHES]: one sorted line per entry (path, type, mode, uid, gid, mtime in ns; size, link
# count and symlink target for non-directories; every xattr in hex: user, security, trusted, and the POSIX ACLs as
# system.posix_acl_*), and with HASHES the SHA-256 of every regular file. Prints "<entries> <files> <allocated bytes>".
list_tree() {
    python3 - "$@" <<'PY'
import hashlib, os, stat, sys

root, listing = sys.argv[1], sys.argv[2]
hashes = sys.argv[3] if len(sys.argv) > 3 else ""
KIND = {stat.S_IFDIR: "d", stat.S_IFREG: "f", stat.S_IFLNK: "l", stat.S_IFIFO: "p", stat.S_IFCHR: "c",
        stat.S_IFBLK: "b", stat.S_IFSOCK: "s"}
rows, files, allocated = [], [], 0

def entry(path, rel):
    global allocated
    st = os.lstat(path)
    allocated += st.st_blocks * 512
    kind = KIND[stat.S_IFMT(st.st_mode)]
    fields = [rel, kind, "%04o" % stat.S_IMODE(st.st_mode), str(st.st_uid), str(st.st_gid), str(st.st_mtime_ns)]
    if kind != "d":
        fields += [str(st.st_size), str(st.st_nlink)]
    if kind == "l":
        fields.append(os.readlink(path))
    if kind in "cb":
        fields.append("%d,%d" % (os.major(st.st_rdev), os.minor(st.st_rdev)))
    names = sorted(os.listxattr(path, follow_symlinks=False))
    fields.append(" ".join("%s=%s" % (n, os.getxattr(path, n, follow_symlinks=False).hex()) for n in names))
    if kind == "f":
        files.append(rel)
    rows.append("\t".join(fields))

entry(root, ".")
for directory, subdirs, names in os.walk(root):
    subdirs.sort()
    for name in sorted(subdirs + names):
        path = os.path.join(directory, name)
        entry(path, os.path.relpath(path, root))
with open(listing, "w", errors="surrogateescape") as f:
    f.write("\n".join(rows) + "\n")
if hashes:
    with open(hashes, "w", errors="surrogateescape") as f:
        for rel in files:
            h = hashlib.sha256()
            with open(os.path.join(root, rel), "rb") as g:
                while block := g.read(1 << 20):
                    h.update(block)
            f.write("%s  %s\n" % (h.hexdigest(), rel))
print(len(rows), len(files), allocated)
PY
}

# first_difference A B: the first differing lines of two listings, for the report.
first_difference() {
    diff "$1" "$2" | grep '^[<>]' | head -n 4 | cut -c 1-200 | sed 's/^/    /'
}

# One backup of the tree, untimed, with an empty configuration so that the host's /etc/rescuekit is not read; then
# its set's mount point and chunk files (in order) from manifest.json.
make_backup() {
    : >"$WORK/empty.yaml"
    local rc=0 t0=$EPOCHREALTIME manifests info
    echo "making the backup (untimed): rescuekit backup --device $LOOP --to $BACKUP_TO --compression zstd" \
        "--level $LEVEL --config $WORK/empty.yaml"
    timeout "$RUN_TIMEOUT" rescuekit backup --device "$LOOP" --to "$BACKUP_TO" --compression zstd --level "$LEVEL" \
        --config "$WORK/empty.yaml" >"$WORK/backup.log" 2>&1 || rc=$?
    ((rc == 6)) && warn "the backup completed with warnings (exit 6): $(grep -m 1 -i warn "$WORK/backup.log")"
    ((rc == 0 || rc == 6)) || die 1 "rescuekit backup failed (exit $rc): $(tail -n 1 "$WORK/backup.log")"
    manifests=("$BACKUP_TO"/*/*/manifest.json)
    [[ ${#manifests[@]} == 1 && -f ${manifests[0]} ]] || die 1 "expected one backup under $BACKUP_TO"
    BACKUP=$(dirname "${manifests[0]}")
    info=$(python3 - "${manifests[0]}" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
if m["compression"]["algorithm"] != "zstd" or m.get("encryption"):
    sys.exit("the backup is not zstd without encryption")
if len(m["sets"]) != 1:
    sys.exit("expected one set, found %d" % len(m["sets"]))
s = m["sets"][0]
print(s["mountPoint"])
for c in s["chunks"]:
    print(c["file"])
PY
    ) || die 1 "cannot read ${manifests[0]}"
    local lines=() chunk bytes=0
    mapfile -t lines <<<"$info"
    MOUNT_POINT=${lines[0]}
    for chunk in "${lines[@]:1}"; do
        CHUNKS+=("$BACKUP/$chunk")
        bytes=$((bytes + $(stat -c %s "$BACKUP/$chunk")))
    done
    ((${#CHUNKS[@]} > 0)) || die 1 "the backup's set has no chunks"
    BACKUP_SUMMARY=$(awk -v n="${#CHUNKS[@]}" -v b="$bytes" -v a="$t0" -v z="$EPOCHREALTIME" 'BEGIN {
        printf "%d chunk%s, %.1f MiB, made in %.1f s", n, n == 1 ? "" : "s", b / 2^20, z - a }')
    WARM_FILES=("${CHUNKS[@]}")
}

# The rows alternate, A then B, so that a change in the other jobs' load falls on both; each round's ratio is kept.
extraction_rounds() {
    local round a_wall
    for ((round = 1; round <= ROUNDS; round++)); do
        measure rescuekit "" rescuekit restore --files-only --backup "$BACKUP" --to "$DEST"
        a_wall=$LAST_WALL
        # shellcheck disable=SC2016 # expanded by the inner shell
        measure zstd-tar "" bash -c 'set -o pipefail; dest=$1; shift
            cat -- "$@" | zstd -dc | tar -x --xattrs --xattrs-include="*" --acls --numeric-owner -p -C "$dest"' \
            zstd-tar "$DEST" "${CHUNKS[@]}"
        if [[ -n $a_wall && -n $LAST_WALL ]]; then
            ROUND_RATIOS+=("$(awk -v a="$LAST_WALL" -v b="$a_wall" 'BEGIN { printf "%.2f", a / b }')")
        fi
    done
}

# Compares every listing with rescuekit's first, and the two rows' file hashes; sets CHECK to ok or mismatch.
check_trees() {
    local ref=$LISTS/rescuekit.1 row n counts
    if [[ ! -f $ref || ! -f $LISTS/zstd-tar.1 ]]; then
        CHECK="not done"
        return
    fi
    CHECK=ok
    for row in rescuekit zstd-tar; do
        for ((n = 1; n <= ${LISTED[$row]:-0}; n++)); do
            [[ $row == rescuekit && $n == 1 ]] && continue
            if ! cmp -s "$ref" "$LISTS/$row.$n"; then
                CHECK=mismatch
                CHECK_DETAILS+=("  $row run $n differs from rescuekit run 1 (< rescuekit, > $row):")
                mapfile -t -O "${#CHECK_DETAILS[@]}" CHECK_DETAILS < <(first_difference "$ref" "$LISTS/$row.$n")
            fi
        done
    done
    if ! cmp -s "$LISTS/rescuekit.sha256" "$LISTS/zstd-tar.sha256"; then
        CHECK=mismatch
        CHECK_DETAILS+=("  file contents differ (< rescuekit, > zstd|tar):")
        mapfile -t -O "${#CHECK_DETAILS[@]}" CHECK_DETAILS \
            < <(first_difference "$LISTS/rescuekit.sha256" "$LISTS/zstd-tar.sha256")
    fi
    read -r CHECK_ENTRIES CHECK_FILES _ <"$LISTS/rescuekit.1.counts"
    # Not part of the check, for the report: the space each tree takes (both should write sparse files sparse),
    # and whether rescuekit's tree is the source's.
    ALLOCATED=""
    for row in rescuekit zstd-tar; do
        read -r _ _ counts <"$LISTS/$row.1.counts"
        ALLOCATED+="${ALLOCATED:+, }$row $(awk -v b="$counts" 'BEGIN { printf "%.1f MiB", b / 2^20 }')"
    done
    read -r _ _ counts <"$LISTS/source.counts"
    ALLOCATED+=", the source $(awk -v b="$counts" 'BEGIN { printf "%.1f MiB", b / 2^20 }')"
    if cmp -s "$ref" "$LISTS/source"; then
        SOURCE_CHECK="the same (without contents)"
    else
        SOURCE_CHECK="differs (< source, > rescuekit):
$(first_difference "$LISTS/source" "$ref")"
    fi
}

extraction_report() {
    echo
    echo "host: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 2^20 }' /proc/meminfo), kernel $(uname -r)"
    echo "tools: rescuekit $(rescuekit --version 2>/dev/null | head -n 1), $(tar --version | head -n 1), $(zstd --version)"
    awk -v b="$INPUT" -v f="$(tree_files)" 'BEGIN {
        printf "tree: %.2f GiB of file content in %d files", b / 2^30, f }'
    echo "; backup: $BACKUP_SUMMARY (zstd -$LEVEL)"
    echo "A: rescuekit restore --files-only --backup BACKUP --to DEST"
    echo "B: cat CHUNK... | zstd -dc | tar -x --xattrs --xattrs-include='*' --acls --numeric-owner -p -C DEST"
    echo "DEST: an empty directory on a freshly made ext4 (loop image) each run; neither command syncs"
    echo "page cache: $CACHE_MODE before each run; MB = 10^6 bytes of file content per second of wall time;" \
        "CPU = user+sys seconds, per GiB of file content too; wall, MB/s and CPU are means over the row's runs"
    echo "load average (1 min) at the start of each run: ${LOADS[*]}"
    echo
    case $CHECK in
        ok) echo "tree check: A and B extracted the same tree ($CHECK_ENTRIES entries: modes, owners, mtimes," \
            "sizes, link targets and xattrs of every run; SHA-256 of the $CHECK_FILES regular files of the first run): PASS" ;;
        mismatch)
            echo "tree check: A and B extracted different trees: FAILED"
            printf '%s\n' "${CHECK_DETAILS[@]}" ;;
        *) echo "tree check: not done (a row has no successful run)" ;;
    esac
    if [[ $CHECK != "not done" ]]; then
        echo "  allocated on disk: $ALLOCATED"
        echo "  rescuekit's tree against the source tree: $SOURCE_CHECK"
    fi
    echo
    echo "| row                                |   runs | wall (s) |     MB/s | CPU (s) | CPU s/GiB | RSS (MiB) |"
    echo "| ---------------------------------- | ------ | -------- | -------- | ------- | --------- | --------- |"
    row_line rescuekit "rescuekit restore --files-only"
    row_line zstd-tar 'cat chunks \| zstd -dc \| tar -x'
    echo
    if [[ $CHECK == mismatch ]]; then
        printf '%-44s n/a: the trees differ (target ≥ 1.0×)\n' "rescuekit / zstd|tar (throughput):"
        FAILED=1
        return
    fi
    ratio_line zstd-tar "rescuekit / zstd|tar (throughput):" 1.0
    if ((${#ROUND_RATIOS[@]} > 1)); then printf '%-44s %s\n' "  the same, round by round:" "${ROUND_RATIOS[*]}"; fi
    cpu_ratio_line zstd-tar "zstd|tar CPU time / rescuekit CPU time:"
    if [[ ${STATUS[rescuekit]:-} == ok ]]; then
        awk -v r="${RSS[rescuekit]}" 'BEGIN { printf "%-44s %.1f MiB (no target)\n", "rescuekit peak RSS:", r / 1024 }'
    fi
}

extraction() {
    TREE_USED=1
    prepare_tree
    INPUT=$(tree_content_bytes)
    mkdir -p "$WORK" "$LISTS" "$SCRATCH" || die 2 "cannot create $WORK"
    local free_kib
    free_kib=$(df -Pk "$TREE_DIR" | awk 'NR == 2 { print $4 }')
    # The backup (at most the content) and one extracted tree (the content and its metadata).
    ((free_kib > (INPUT * 2 + 512 * 2 ** 20) / 1024)) \
        || die 2 "$TREE_DIR needs about $(((INPUT * 2 / 2 ** 30) + 1)) GiB free (the backup and one extracted tree)"
    truncate -s "${IMAGE_MIB}M" "$SCRATCH_IMAGE" || die 2 "cannot create $SCRATCH_IMAGE"
    SCRATCH_LOOP=$(losetup -f --show "$SCRATCH_IMAGE") || die 2 "losetup failed (no free loop device?)"
    make_backup
    list_tree "$MNT" "$LISTS/source" >"$LISTS/source.counts" || die 1 "listing $MNT failed"
    choose_cache_mode
    extraction_rounds
    check_trees
    extraction_report
}

# Part 2: runs the restore end-to-end test with RK_RESTORE_TIMINGS (or reads BENCH_VM_TIMINGS) and reports its phases.
vm_recovery() {
    local timings rc=0
    VM_DIR=$(mktemp -d /tmp/rescuekit-bench-restore-vm.XXXXXX) || die 2 "mktemp failed"
    echo
    if [[ -n $VM_TIMINGS ]]; then
        timings=$VM_TIMINGS
        echo "VM recovery: reading $timings (BENCH_VM_TIMINGS; the test is not run)"
    else
        timings=$VM_DIR/timings
        echo "VM recovery: running the restore end-to-end test (20-30 minutes): RK_RESTORE_TIMINGS=$timings" \
            "dotnet test tests/RescueKit.Boot.Tests -c Release --nologo -v q --filter \"$VM_TEST_FILTER\""
        if ! command -v dotnet >/dev/null 2>&1; then
            vm_not_measured "dotnet is not on PATH"
            return
        fi
        (cd "$REPO" && RK_RESTORE_TIMINGS=$timings timeout "$RUN_TIMEOUT" dotnet test tests/RescueKit.Boot.Tests \
            -c Release --nologo -v q --filter "$VM_TEST_FILTER") >"$VM_DIR/test.log" 2>&1 || rc=$?
        if ((rc != 0)); then
            tail -n 20 "$VM_DIR/test.log" | sed 's/^/  | /'
            vm_not_measured "the test failed (exit $rc$( ((rc == 124)) && echo ": timed out after $RUN_TIMEOUT s"))"
            return
        fi
    fi
    if [[ ! -f $timings ]]; then
        if [[ -n $VM_TIMINGS ]]; then vm_not_measured "no timings file $timings"; else
            vm_not_measured "the test wrote no timings file ($timings; did the filter match the test?)"; fi
        return
    fi
    local -A seconds=()
    local phase value rest line=0
    while read -r phase value rest; do
        line=$((line + 1))
        [[ -z $phase || $phase == \#* ]] && continue
        if [[ -z ${VM_PHASE_TEXT[$phase]+set} ]]; then
            warn "$timings line $line: unknown phase $phase, left out"
            continue
        fi
        if [[ -n $rest || ! $value =~ ^[0-9]+([.][0-9]+)?$ ]]; then
            vm_not_measured "$timings line $line is not \"PHASE SECONDS\": $phase $value $rest"
            return
        fi
        seconds[$phase]=$value
    done <"$timings"
    for phase in "${VM_PHASES[@]}"; do
        if [[ -z ${seconds[$phase]+set} ]]; then
            vm_not_measured "$timings has no $phase line"
            return
        fi
    done
    echo
    echo "| phase         | seconds | from → to |"
    echo "| ------------- | ------- | --------- |"
    local total=0
    for phase in "${VM_PHASES[@]}"; do
        PHASE_TEXT=${VM_PHASE_TEXT[$phase]} awk -v p="$phase" -v s="${seconds[$phase]}" \
            'BEGIN { printf "| %-13s | %7.1f | %s |\n", p, s, ENVIRON["PHASE_TEXT"] }'
        total=$(awk -v a="$total" -v b="${seconds[$phase]}" 'BEGIN { print a + b }')
    done
    awk -v s="$total" 'BEGIN { printf "| %-13s | %7.1f | QEMU start of the rescue system → login prompt of the restored one |\n", "total", s }'
    echo
    awk -v t="$total" -v a="${seconds[rescue_boot]}" -v b="${seconds[extraction]}" -v c="${seconds[restored_boot]}" \
        'BEGIN { r = t / (a + b + c); printf "%-62s %.2f (target ≤ 1.5: %s)\n",
            "restore total / (rescue_boot + extraction + restored_boot):", r, r <= 1.5 ? "PASS" : "MISS" }'
}

vm_not_measured() {
    echo "VM recovery: not measured: $1"
    printf '%-62s n/a (target ≤ 1.5)\n' "restore total / (rescue_boot + extraction + restored_boot):"
    FAILED=1
}

main() {
    [[ -z $ONLY || $ONLY == files || $ONLY == vm ]] || die 2 "BENCH_ONLY must be files or vm, not $ONLY"
    trap cleanup EXIT
    trap 'exit 130' INT TERM
    if [[ $ONLY != vm ]]; then
        ((EUID == 0)) || die 2 "run as root (loop devices, mount, mkfs, drop_caches)"
        if ! command -v rescuekit >/dev/null 2>&1 || ! rescuekit restore --help >/dev/null 2>&1; then
            die 2 "rescuekit is not on PATH: run make install first"
        fi
        ensure_tools zstd=zstd /usr/bin/time=time python3=python3 mkfs.ext4=e2fsprogs losetup=mount tar=tar
        extraction
    fi
    if [[ $VM == 1 && $ONLY != files ]]; then
        vm_recovery
    fi
    return "$FAILED"
}

main "$@"
