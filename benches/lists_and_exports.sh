#!/usr/bin/env bash
# 8 whole-bank family lists and 4 exports at the same moment; the server's peak VmRSS.
set -u
BIN=${BANCA_BIN:-$(dirname "$0")/../target/release/banca}
DB=${1:?usage: benches/lists_and_exports.sh BANK-COPY}
W=$(mktemp -d /tmp/banca-mix.XXXXXX)
export BANCA_CONFIG=$W/none.toml XDG_STATE_HOME=$W/state
touch $W/none.toml
b() { $BIN --db "$DB" --socket $W/s.sock "$@"; }
b --no-spawn serve >/dev/null 2>&1 &
until b --no-spawn whoami >/dev/null 2>&1; do sleep 0.05; done
PID=$(pgrep -f "$W/s.sock --no-spawn serve" | head -1)
rss() { awk '/VmRSS/{print int($2/1024)}' /proc/$PID/status; }
echo "after start-up: $(rss) MiB"
b --no-spawn find "rossi" >/dev/null 2>&1   # waits for the indexes
echo "indexes built: $(rss) MiB"
echo 0 > $W/peak
( while kill -0 $PID 2>/dev/null; do r=$(rss); p=$(cat $W/peak); [ -n "$r" ] && [ "$r" -gt "$p" ] && echo $r > $W/peak; sleep 0.01; done ) &
SAMPLER=$!
start=$(date +%s.%N)
pids=()
for i in 1 2 3 4 5 6 7 8; do ( b --no-spawn family list | wc -l > $W/list$i ) & pids+=($!); done
for i in 1 2 3 4; do ( b --no-spawn export - | wc -l > $W/export$i ) & pids+=($!); done
wait "${pids[@]}"
end=$(date +%s.%N)
echo "8 lists + 4 exports at once: $(echo "$end - $start" | bc) s; rows: $(cat $W/list* | tr '\n' ' '); export lines: $(cat $W/export* | tr '\n' ' ')"
echo "server peak during them: $(cat $W/peak) MiB; after: $(rss) MiB"
b --no-spawn stop >/dev/null 2>&1
kill $SAMPLER 2>/dev/null
rm -rf "$W"
