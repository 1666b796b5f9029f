#!/bin/bash
# A debootstrapped Debian root of SUITE holding the packages a rescue build needs, built once and cached. The boot
# tests (Harness/DebianRoot.cs) and bench/mkrescue.sh both go through this script, so they share one root, one cache
# key and one way of entering it. Needs root and debootstrap; progress goes to stderr.
#
#   tests/debian-root.sh SUITE                              prints the root's path, building it first when absent
#   tests/debian-root.sh SUITE chroot RESCUEKIT COMMAND...  copies RESCUEKIT to the root's /usr/local/bin/rescuekit and
#                                                           runs COMMAND chrooted in it; exits with COMMAND's status
#   tests/debian-root.sh --extra PKG[,PKG...] SUITE ...     the same for a second root: the first plus PKGs, installed
#                                                           with apt-get in a copy of it (the VM source machine needs
#                                                           grub-pc-bin and systemd-sysv, which a rescue build does not)
#
# The packages are the Makefile's DEPS_BUILD, so the root is the machine a user sets up with `make deps`, less gcc and
# libc6-dev (they link the native rescuekit, which is published on the host and copied in), plus the suite's kernel.
set -euo pipefail

# Bumped when the way a root is made changes, so that old roots are not reused for it.
FORMAT=1
CACHE=/var/cache/rescuekit-tests
# The mirror apt uses on this machine (/etc/apt/sources.list.d/debian.sources): the only one reachable here.
MIRROR=http://deb.debian.org/debian

usage() { echo "usage: $0 [--extra PKG[,PKG...]] SUITE [chroot RESCUEKIT COMMAND...]" >&2; exit 1; }
extra=
if [ "${1:-}" = --extra ]; then
    [ $# -ge 2 ] || usage
    extra=$(echo "$2" | tr ', ' '\n\n' | sed '/^$/d' | LC_ALL=C sort -u)
    shift 2
fi
[ $# -eq 1 ] || { [ $# -ge 4 ] && [ "$2" = chroot ]; } || usage
suite=$1
repo=$(cd "$(dirname "$0")/.." && pwd)

[ "$(id -u)" -eq 0 ] || { echo "$0: a Debian root needs root (debootstrap, chroot, mounts)" >&2; exit 3; }
command -v debootstrap >/dev/null || { echo "$0: debootstrap not found: apt-get install debootstrap" >&2; exit 3; }

deps=$(make -s -C "$repo" --no-print-directory --eval 'print-deps-build: ; @echo $(DEPS_BUILD)' print-deps-build)
packages=$(for p in $deps linux-image-amd64; do
    case $p in gcc | libc6-dev) ;; *) echo "$p" ;; esac
done | LC_ALL=C sort -u)

key=$(printf 'format %s\nsuite %s\n%s\n' "$FORMAT" "$suite" "$packages" | sha256sum | cut -c1-12)
base=$CACHE/debian-$suite-$key
# The extras extend the base root's key, so the plain root's key (and cache) stays what it was.
if [ -n "$extra" ]; then
    key=$(printf 'base %s\nextra\n%s\n' "$key" "$extra" | sha256sum | cut -c1-12)
    root=$CACHE/debian-$suite-plus-$key
else
    root=$base
fi

# cached ROOT MESSAGE FILL: makes ROOT once, by FILL TMP into a temporary directory beside it that is renamed into
# place only when FILL succeeds. One build at a time per root: a bench and a test run started together wait for the
# first instead of racing it. The lock is held for the build only, not by the commands later run in the root.
# Leftovers of a killed build were never renamed into place, so they are never mistaken for a root; they only take
# space, and the next build removes them.
cached() {
    target=$1 message=$2 fill=$3
    name=$(basename "$target")
    mkdir -p "$CACHE"
    (
        flock 9
        [ -d "$target" ] && exit 0
        rm -rf "$CACHE/.$name.tmp."*
        tmp=$(mktemp -d "$CACHE/.$name.tmp.XXXXXX")
        chmod 755 "$tmp"
        echo "$0: $message (once; cached)" >&2
        start=$(date +%s)
        "$fill" "$tmp"
        mv "$tmp" "$target"
        echo "$0: $target ready in $(($(date +%s) - start)) s" >&2
    ) 9>"$CACHE/.$name.lock"
}

debootstrap_into() {
    # shellcheck disable=SC2086 # one package a line, joined with commas
    debootstrap --variant=minbase --include="$(echo $packages | tr ' ' ,)" "$suite" "$1" "$MIRROR" >&2 ||
        { echo "$0: debootstrap failed; its log: $1/debootstrap/debootstrap.log" >&2; exit 2; }
    printf '%s\n' "$packages" >"$1/.rescuekit-packages"
}

# apt-get in a copy, so the base root (and every test that reads it) never changes under anyone.
extra_into() {
    cp -a "$base/." "$1/"
    # shellcheck disable=SC2086 # one package a line
    unshare --mount --propagation private sh -ec '
        root=$1; shift
        for fs in proc sys dev dev/pts; do mount --bind "/$fs" "$root/$fs"; done
        chroot "$root" /usr/bin/env -i HOME=/root LC_ALL=C DEBIAN_FRONTEND=noninteractive \
            PATH=/usr/sbin:/usr/bin:/sbin:/bin sh -ec "apt-get update -q; apt-get install -q -y --no-install-recommends $*; apt-get clean"
    ' sh "$1" $extra >&2 || { echo "$0: apt-get install of $(echo $extra) failed in $1" >&2; exit 2; }
    { cat "$base/.rescuekit-packages"; printf '%s\n' "$extra"; } | LC_ALL=C sort -u >"$1/.rescuekit-packages"
}

# A root with extras, once made, no longer needs its base.
[ -d "$root" ] || cached "$base" "debootstrapping Debian $suite into $base" debootstrap_into
[ -z "$extra" ] || cached "$root" "$root: the $suite root plus $(echo $extra)" extra_into
[ $# -eq 1 ] && { echo "$root"; exit 0; }

rescuekit=$3
shift 3
[ -f "$rescuekit" ] || { echo "$0: $rescuekit not found: run 'make publish'" >&2; exit 3; }
install -m 0755 "$rescuekit" "$root/usr/local/bin/rescuekit"
# In a mount namespace of its own the bind mounts go away with the last process in it, however it ends (killed by a
# test timeout included), and never show on the host. The host's environment stays out (the test host's
# LD_LIBRARY_PATH and DOTNET_* among it).
exec unshare --mount --propagation private sh -ec '
    root=$1; shift
    for fs in proc sys dev dev/pts; do mount --bind "/$fs" "$root/$fs"; done
    exec chroot "$root" /usr/bin/env -i HOME=/root LC_ALL=C TERM=dumb \
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$@"
' sh "$root" "$@"
