#!/bin/bash
# Memory of an export and of a restore, server and client, with the release
# binary (docs/performance.md, "Export and restore in flat memory").
#
#   cargo build --release
#   benches/export_restore_rss.sh BANK WORKDIR
#
# BANK is copied (never opened in place); WORKDIR gets the copy, the export
# and two restored banks. Needs /usr/bin/time.
set -u
B=${BANCA:-$(dirname "$0")/../target/release/banca}
SRC=$1; W=$2
mkdir -p "$W"; W=$(cd "$W" && pwd)
export XDG_RUNTIME_DIR=$W/rt; mkdir -p "$XDG_RUNTIME_DIR"; chmod 700 "$XDG_RUNTIME_DIR"
export BANCA_CONFIG=$W/none.toml
rss() { grep -E 'VmRSS|VmHWM' /proc/$1/status | tr -s ' \t' ' ' | tr '\n' ' '; }
wait_for_socket() { for _ in $(seq 1 1200); do [ -e "$1/banca.lock" ] && ls "$XDG_RUNTIME_DIR"/banca/*.sock >/dev/null 2>&1 && return; sleep 0.1; done; }
rm -rf "$W/bank" "$W/new" "$W/new2" "$W/e.jsonl" "$W/e2.jsonl" "$XDG_RUNTIME_DIR"/banca/*.sock
cp -a "$SRC" "$W/bank"

"$B" --db "$W/bank" serve --idle-exit 300s > "$W/serve.out" 2>&1 &
SPID=$!
wait_for_socket "$W/bank"; sleep 2
echo "server after start: $(rss $SPID)"
/usr/bin/time -v "$B" --db "$W/bank" export "$W/e.jsonl" 2> "$W/export.time"
grep -E "Maximum resident|Elapsed" "$W/export.time" | sed 's/^/client export: /'
echo "server after export: $(rss $SPID)"
ls -l "$W/e.jsonl"
"$B" --db "$W/bank" stop; wait $SPID

/usr/bin/time -v "$B" --db "$W/new" import "$W/e.jsonl" 2> "$W/import.time"
grep -E "Maximum resident|Elapsed" "$W/import.time" | sed 's/^/import, no server (staging): /'

"$B" --db "$W/new2" serve --create --idle-exit 300s > "$W/serve2.out" 2>&1 &
SPID=$!
wait_for_socket "$W/new2"; sleep 2
echo "empty bank's server after start: $(rss $SPID)"
/usr/bin/time -v "$B" --db "$W/new2" import "$W/e.jsonl" 2> "$W/import2.time"
grep -E "Maximum resident|Elapsed" "$W/import2.time" | sed 's/^/client import through the server: /'
echo "that server after the restore: $(rss $SPID)"
"$B" --db "$W/new2" export "$W/e2.jsonl" 2>/dev/null
"$B" --db "$W/new2" stop; wait $SPID
cmp "$W/e.jsonl" "$W/e2.jsonl" && echo "the restored bank exports the same bytes"
