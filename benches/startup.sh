#!/bin/bash
# Start-up of `banca serve` on a bank: time from spawning the server to the
# first answered request (`banca whoami`, a new client process polled every
# 5 ms), to the first answered search (the indexes built), and the
# server's VmRSS at each. Run it on a COPY of a bank: a server writes to it.
#
#   cp -a /work/data/bank-100k /tmp/b100k
#   benches/startup.sh target/release/banca /tmp/b100k
set -eu
BIN=$1
DB=$2
# The socket's folder must be the server's own (not /tmp itself).
RUN=$(mktemp -d)
SOCK=$RUN/banca.sock
t0=$(date +%s%N)
"$BIN" --db "$DB" --socket "$SOCK" serve 2>/dev/null &
PID=$!
until "$BIN" --db "$DB" --socket "$SOCK" --no-spawn whoami >/dev/null 2>&1; do
    kill -0 $PID 2>/dev/null || { echo "banca serve exited" >&2; exit 1; }
    sleep 0.005
done
t1=$(date +%s%N)
rss1=$(awk '/VmRSS/ {print $2}' /proc/$PID/status)
until "$BIN" --db "$DB" --socket "$SOCK" --no-spawn find --limit 1 rossi >/dev/null 2>&1; do sleep 0.02; done
t2=$(date +%s%N)
sleep 2
rss2=$(awk '/VmRSS/ {print $2}' /proc/$PID/status)
echo "first answer $(( (t1 - t0) / 1000000 )) ms (RSS $((rss1 / 1024)) MiB)"
echo "first search $(( (t2 - t0) / 1000000 )) ms (indexes built); RSS 2 s later $((rss2 / 1024)) MiB"
"$BIN" --db "$DB" --socket "$SOCK" --no-spawn stop >/dev/null 2>&1
wait $PID
rmdir "$RUN"
