#!/usr/bin/env bash
# Load and resource measurements of the release binary, on loopback only. Not run in CI.
#
#   scripts/load.sh            # everything (about 4 minutes after the release build)
#   DURATION=5s scripts/load.sh
#
# Needs: wrk (Debian: apt-get install -y wrk), sqlite3, curl, /usr/bin/time.
# Every server it starts listens on 127.0.0.1 and is stopped on exit; all files go to a
# temporary folder that is removed at the end (KEEP=1 keeps it).
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-16}
IMPORT_ROWS=${IMPORT_ROWS:-100000}
EXPORT_PUBLICITY=${EXPORT_PUBLICITY:-48000} # per year × 21 years ≈ 1,000,000 rows
PASSWORD='mat-khau-tai-thu-1'

for tool in wrk sqlite3 curl /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 1; }
done

WORK=$(mktemp -d /tmp/qcdc-load.XXXXXX)
SERVER=
cleanup() {
  if [ -n "$SERVER" ] && kill -0 "$SERVER" 2>/dev/null; then
    kill "$SERVER"
    wait "$SERVER" 2>/dev/null || true
  fi
  if [ "${KEEP:-0}" = 1 ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

section() { printf '\n=== %s\n' "$*"; }

section "machine"
echo "$(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GB", $2/1048576}' /proc/meminfo), $(uname -sr)"
echo "wrk: $THREADS threads, $CONNECTIONS connections, $DURATION per route"

section "build"
cargo build --release -p qcdc 2>&1 | tail -1
BIN=target/release/qcdc

section "data: one ward, 21 years (1998-2018), realistic volume"
DB="$WORK/ward.db"
"$BIN" generate --db "$DB" --wards 1 --years 21
printf '%s\n' "$PASSWORD" | "$BIN" user add --db "$DB" --username thuky --role secretary
sqlite3 "$DB" "SELECT 'records: ' || ((SELECT COUNT(*) FROM conferences) + (SELECT COUNT(*) FROM publicity) + (SELECT COUNT(*) FROM dialogues) + (SELECT COUNT(*) FROM opinions) + (SELECT COUNT(*) FROM documents) + (SELECT COUNT(*) FROM inspections) + (SELECT COUNT(*) FROM commendations)) || ', publicity: ' || (SELECT COUNT(*) FROM publicity);"

section "server"
# Port 0: the system picks a free port, which the server prints on its first line.
RUST_LOG=warn "$BIN" serve --db "$DB" --addr 127.0.0.1:0 >"$WORK/serve.log" 2>&1 &
SERVER=$!
ADDR=
for _ in $(seq 100); do
  ADDR=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$WORK/serve.log" | head -1 | sed 's|http://||') || true
  [ -n "$ADDR" ] && break
  sleep 0.1
done
[ -n "$ADDR" ] && kill -0 "$SERVER" || { cat "$WORK/serve.log"; exit 1; }
BASE="http://${ADDR}"
curl -fs "$BASE/healthz" >/dev/null || { cat "$WORK/serve.log"; exit 1; }
rss() { awk '/VmHWM|VmRSS/ {printf "%s %.1f MB  ", $1, $2/1024} END {print ""}' "/proc/$SERVER/status"; }
echo "pid $SERVER on $ADDR, memory at start: $(rss)"

# Log in like a browser: the form's token, then the POST; keep the session cookie.
JAR="$WORK/cookies"
token() { grep -o 'name="csrf" value="[0-9a-f]*"' | head -1 | sed 's/.*value="//; s/"//'; }
TOKEN=$(curl -fs -c "$JAR" -b "$JAR" "$BASE/login" | token)
code=$(curl -s -o /dev/null -w '%{http_code}' -c "$JAR" -b "$JAR" \
  --data-urlencode username=thuky --data-urlencode "password=$PASSWORD" \
  --data-urlencode "csrf=$TOKEN" "$BASE/login")
[ "$code" = 303 ] || { echo "login failed: $code" >&2; exit 1; }
SESSION=$(awk '$6 == "qcdc_session" {print $7}' "$JAR")
COOKIE="qcdc_session=$SESSION"
TOKEN=$(curl -fs -b "$JAR" "$BASE/conferences/new" | token)
RECORD=$(curl -fs -b "$JAR" "$BASE/conferences" | grep -o 'href="/conferences/[0-9]*"' | head -1 | sed 's/href="//; s/"//')
echo "logged in; record page $RECORD"

run() { # name, wrk arguments...
  local name=$1
  shift
  printf '\n--- %s\n' "$name"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -H "Cookie: $COOKIE" "$@" |
    grep -E 'Requests/sec|Latency  |^ +(50|90|99)%|Non-2xx|Socket errors|requests in'
}

section "HTTP (wrk)"
run "GET /healthz (every layer, no session lookup)" "$BASE/healthz"
run "GET /conferences (list page, logged in)" "$BASE/conferences"
run "GET $RECORD (record page)" "$BASE$RECORD"
run "GET /reports/summary?by=year (21 years + total)" "$BASE/reports/summary?by=year"
cat >"$WORK/post.lua" <<EOF
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = "date=28%2F06%2F2018&kind=dissemination&title=H%E1%BB%99i+ngh%E1%BB%8B+t%E1%BA%A3i+th%E1%BB%AD&attendees=10&csrf=$TOKEN"
EOF
run "POST /conferences (create, 303; one transaction + audit + fsync each)" -s "$WORK/post.lua" "$BASE/conferences"
echo
echo "created by the POST run: $(sqlite3 "$DB" "SELECT COUNT(*) FROM conferences WHERE title = 'Hội nghị tải thử'")"
echo "server memory after the runs: $(rss)"

section "the same report aggregate as raw SQL (sqlite3 shell, same file)"
GRID=$(for y in $(seq 1998 2018); do printf "(%d,'%d-01-01','%d-12-31')," $((y - 1998)) "$y" "$y"; done)
GRID="${GRID}(21,'1998-01-01','2018-12-31')"
sqlite3 "$DB" <<EOF
.timer on
.output /dev/null
WITH p(i, s, e) AS (VALUES $GRID) SELECT p.i, x.channel, x.topic, COUNT(*), SUM(x.count) FROM p JOIN publicity x ON x.ward_id = 1 AND x.deleted_at IS NULL AND x.date BETWEEN p.s AND p.e GROUP BY p.i, x.channel, x.topic;
WITH p(i, s, e) AS (VALUES $GRID) SELECT p.i, x.channel, x.topic, COUNT(*), SUM(x.count) FROM p JOIN publicity x ON x.ward_id = 1 AND x.deleted_at IS NULL AND x.date BETWEEN p.s AND p.e GROUP BY p.i, x.channel, x.topic;
WITH p(i, s, e) AS (VALUES $GRID) SELECT p.i, c.kind, COUNT(*), SUM(c.attendees) FROM p JOIN conferences c ON c.ward_id = 1 AND c.deleted_at IS NULL AND c.date BETWEEN p.s AND p.e GROUP BY p.i, c.kind;
EOF
printf 'one report page request, single client (curl, 20 runs): '
for _ in $(seq 20); do curl -fs -o /dev/null -w '%{time_total}\n' -b "$JAR" "$BASE/reports/summary?by=year"; done |
  sort -n | awk '{a[NR]=$1} END {printf "median %.1f ms, min %.1f ms\n", a[int((NR+1)/2)]*1000, a[1]*1000}'

kill "$SERVER"
wait "$SERVER" 2>/dev/null || true
SERVER=

section "import of $IMPORT_ROWS conference rows (qcdc import, one transaction)"
IDB="$WORK/import.db"
"$BIN" init --db "$IDB" --ward "Phường thử" >/dev/null
awk -v n="$IMPORT_ROWS" 'BEGIN {
  print "date,kind,title,attendees,organiser,topics,notes"
  split("dissemination training review residents_meeting briefing other", k, " ")
  for (i = 0; i < n; i++)
    printf "%04d-%02d-%02d,%s,Hội nghị số %d,%d,steering_committee,qcdc;law2022,Ghi chú dòng %d\n",
      1998 + i % 21, 1 + i % 12, 1 + i % 28, k[1 + i % 6], i, 10 + i % 300, i
}' >"$WORK/conferences.csv"
ls -l "$WORK/conferences.csv" | awk '{printf "file: %.1f MB\n", $5/1048576}'
/usr/bin/time -v "$BIN" import --db "$IDB" conferences "$WORK/conferences.csv" 2>"$WORK/import.time"
grep -E 'Elapsed|Maximum resident' "$WORK/import.time"

section "CSV export of about 1,000,000 publicity rows (qcdc export, streamed)"
BDB="$WORK/big.db"
/usr/bin/time -v "$BIN" generate --db "$BDB" --wards 1 --years 21 --publicity "$EXPORT_PUBLICITY" 2>"$WORK/gen.time"
grep -E 'Elapsed' "$WORK/gen.time"
echo "publicity rows: $(sqlite3 "$BDB" 'SELECT COUNT(*) FROM publicity')"
/usr/bin/time -v "$BIN" export --db "$BDB" publicity 2>"$WORK/export.time" | wc -lc | awk '{printf "exported %d lines, %.1f MB\n", $1, $2/1048576}'
grep -E 'Elapsed|Maximum resident' "$WORK/export.time"
printf 'the report over it (qcdc report --by year, whole history): '
/usr/bin/time -f '%e s, max RSS %M KB' "$BIN" report --db "$BDB" --by year >/dev/null
