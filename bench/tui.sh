#!/usr/bin/env bash
# Benchmark of the restore's terminal UI (issue 10): not a test, it prints figures.
#
# 1. First screen: seconds from starting `rescuekit restore --mode interactive --dry-run` (the lab's raid1 layout onto
#    two disks) on a tmux pseudo-terminal of 80x24 until the disk mapping page is on the screen, natively and under
#    TCG (qemu-x86_64, the same emulator the rescue system runs under in the boot tests, in user mode here), over
#    BENCH_ROUNDS runs each (minimum / median / maximum).
# 2. The file picker over a backup of 1,000,000 entries (1,000 directories of 1,000 empty files on an ext4 image):
#    seconds to the first screen (the catalog read and its tree made), seconds to page through one directory of 1,000
#    entries (PageDown until its last line is on the screen, then Backspace and into the next directory, 10
#    directories), and the picker's peak RSS (VmHWM). The tree and its backup are kept in BENCH_DIR for the next run.
#
# Run as root on Debian 12 after `make publish`:  bench/tui.sh
# Environment:
#   BENCH_DIR=/var/tmp/rescuekit-bench-tui   where the 1M-entry image and its backup go (kept)
#   BENCH_ROUNDS=5                           runs of part 1 per row
#   BENCH_ONLY=screen|catalog                one part only
set -euo pipefail
cd "$(dirname "$0")/.."
RK=${RESCUEKIT:-$PWD/out/publish/rescuekit}
DIR=${BENCH_DIR:-/var/tmp/rescuekit-bench-tui}
ROUNDS=${BENCH_ROUNDS:-5}
ONLY=${BENCH_ONLY:-}
[ "$(id -u)" -eq 0 ] || { echo "bench/tui.sh: run as root (it mounts a loop image)" >&2; exit 2; }
[ -x "$RK" ] || { echo "bench/tui.sh: $RK is missing: run make publish first" >&2; exit 2; }
need=()
for p in tmux:tmux qemu-x86_64:qemu-user e2fsprogs:e2fsprogs; do
    command -v "${p%%:*}" >/dev/null 2>&1 || [ "${p%%:*}" = e2fsprogs ] || need+=("${p##*:}")
done
[ ${#need[@]} -eq 0 ] || apt-get install -y --no-install-recommends "${need[@]}" >/dev/null
mkdir -p "$DIR"
SOCK=rk-bench-$$
tm() { tmux -L "$SOCK" -f /dev/null "$@"; }
trap 'tm kill-server 2>/dev/null || true; umount "$DIR/mnt" 2>/dev/null || true; [ -n "${LOOP:-}" ] && losetup -d "$LOOP" 2>/dev/null || true' EXIT
now() { date +%s.%N; }

# Seconds from starting COMMAND in a fresh 80x24 pane until TEXT is on its screen.
until_screen() {
    local text=$1 command=$2 start
    start=$(now)
    tm new-session -d -s b -x 80 -y 24 "env TERM=linux $command; sleep 600"
    until tm capture-pane -t b -p | grep -qF -- "$text"; do sleep 0.01; done
    echo "$(now) - $start" | bc
}

stats() { sort -n | awk '{a[NR]=$1} END {printf "min %.3f  median %.3f  max %.3f s (%d runs)\n", a[1], a[int((NR+1)/2)], a[NR], NR}'; }

if [ "$ONLY" != catalog ]; then
    cat > "$DIR/disks.json" <<'J'
{"blockdevices":[{"name":"sda","path":"/dev/sda","type":"disk","size":134217728},{"name":"sdb","path":"/dev/sdb","type":"disk","size":134217728}]}
J
    layout=$PWD/tests/RescueKit.Restore.Tests/Fixtures/raid1-layout.json
    cmd="$RK restore --mode interactive --dry-run --layout $layout --disks $DIR/disks.json --out $DIR/plan"
    echo "First screen (disk mapping page), 80x24, TERM=linux:"
    once() { SOCK=rk-bench-$$-$RANDOM; until_screen "Disk mapping" "$1"; tm kill-server; }
    printf '  native:              '; for _ in $(seq "$ROUNDS"); do once "$cmd"; done | stats
    printf '  TCG (qemu-x86_64):   '; for _ in $(seq "$ROUNDS"); do once "qemu-x86_64 $cmd"; done | stats
fi

if [ "$ONLY" != screen ]; then
    if [ ! -f "$DIR/backup.done" ]; then
        echo "Making the 1,000,000-entry tree and its backup (once; kept in $DIR)..."
        rm -rf "$DIR/target" "$DIR/tree.img"
        truncate -s 3G "$DIR/tree.img"
        mkfs.ext4 -q -F -N 1100000 "$DIR/tree.img"
        mkdir -p "$DIR/mnt"
        LOOP=$(losetup --find --show "$DIR/tree.img")
        mount "$LOOP" "$DIR/mnt"
        (cd "$DIR/mnt" && for d in $(seq -w 0 999); do mkdir "d$d"; (cd "d$d" && seq -w 0 999 | sed 's/^/f/' | xargs touch); done)
        : > "$DIR/empty.yaml"
        "$RK" backup --device "$LOOP" --to "$DIR/target" --config "$DIR/empty.yaml" >/dev/null
        umount "$DIR/mnt"; losetup -d "$LOOP"; LOOP=
        touch "$DIR/backup.done"
    fi
    backup=$(ls -d "$DIR"/target/*/* | head -n1)
    rm -rf "$DIR/out"
    SOCK=rk-bench-$$-picker
    first=$(until_screen "Files of the backup: /" "$RK restore --files-only --mode interactive --backup $backup --to $DIR/out")
    pid=$(pgrep -n -f "restore --files-only --mode interactive --backup $backup")
    # Down to the set's mount point, whatever it was.
    mp=$(sed -n 's/.*"mountPoint": *"\([^"]*\)".*/\1/p' "$backup/manifest.json" | head -n1)
    # Each directory on the way holds just the next one; below / the first line is [..].
    at=/
    for part in ${mp//\// }; do
        if [ "$at" = / ]; then tm send-keys -t b Enter; else tm send-keys -t b Down Enter; fi
        at=$at$part/
        until tm capture-pane -t b -p | grep -qF "Files of the backup: ${at%/}"; do sleep 0.01; done
    done
    start=$(now)
    for i in $(seq 0 9); do
        # From [..] down to d00i, open it, page to its last entry, and back up.
        for _ in $(seq 0 "$i"); do tm send-keys -t b Down; done
        tm send-keys -t b Enter
        until tm capture-pane -t b -p | grep -qF "Files of the backup: $mp/d00$i"; do sleep 0.01; done
        until tm capture-pane -t b -p | grep -qF "f999"; do tm send-keys -t b PageDown; sleep 0.01; done
        tm send-keys -t b BSpace
        until tm capture-pane -t b -p | grep -qE "Files of the backup: $mp +│"; do sleep 0.01; done
    done
    paging=$(echo "($(now) - $start) / 10" | bc -l)
    hwm=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
    entries=$(grep -o '"entryCount": *[0-9]*' "$backup/manifest.json" | head -n1 | grep -o '[0-9]*$')
    echo "File picker over a catalog of $entries entries:"
    printf '  first screen (catalog read, tree made): %.2f s\n' "$first"
    printf '  one directory of 1,000 entries opened and paged to its end: %.3f s (mean of 10)\n' "$paging"
    printf '  peak RSS: %d MiB\n' $((hwm / 1024))
fi
