#!/bin/bash
# Runs every test project one after another (the boot tests want both cores) and prints one closing line
# "N passed, N failed" summed over all of them from the TRX results.
set -u
cd "$(dirname "$0")/.."
results=$(mktemp -d)
status=0
for proj in tests/*/*.csproj; do
    name=$(basename "$proj" .csproj)
    echo "=== $name"
    dotnet test "$proj" -c Release --nologo -v q --logger "trx;LogFileName=$name.trx" \
        --logger "console;verbosity=normal" --results-directory "$results" || status=1
    # A test that writes to /dev/null as root after something removed it leaves a regular file there, and everything
    # after it misbehaves; this was seen once. Name the project, count it as a failure and put the device back.
    if [ ! -c /dev/null ]; then
        echo "rescuekit: after $name, /dev/null is no longer a character device: restored"
        rm -f /dev/null && mknod -m 0666 /dev/null c 1 3
        broken=$((${broken:-0} + 1))
    fi
done
passed=0; failed=${broken:-0}
for trx in "$results"/*.trx; do
    [ -e "$trx" ] || continue
    counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n1)
    p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
    f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
    e=$(sed -n 's/.* error="\([0-9]*\)".*/\1/p' <<<"$counters")
    passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0} + ${e:-0}))
done
# CI shows only the tail of this output: name each failed test and its message's first lines just before the summary.
for trx in "$results"/*.trx; do
    [ -e "$trx" ] || continue
    python3 - "$trx" <<'PY' 2>/dev/null || grep -o 'testName="[^"]*" [^>]*outcome="Failed"' "$trx" | sed 's/^/FAILED /'
import sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
for r in ET.parse(sys.argv[1]).getroot().iterfind(".//t:UnitTestResult", ns):
    if r.get("outcome") != "Failed":
        continue
    message = r.findtext("t:Output/t:ErrorInfo/t:Message", default="", namespaces=ns).strip().splitlines()
    print("FAILED", r.get("testName"))
    for line in message[:6]:
        print("    " + line[:300])
PY
done
n_trx=$(ls "$results"/*.trx 2>/dev/null | wc -l)
n_proj=$(ls tests/*/*.csproj | wc -l)
if [ "$n_trx" -ne "$n_proj" ]; then
    echo "rescuekit: only $n_trx of $n_proj test projects produced results (a build failed?)"
    failed=$((failed + n_proj - n_trx)); status=1
fi
[ "$failed" -eq 0 ] || status=1
echo "$passed passed, $failed failed"
exit $status
