#!/usr/bin/env bash
# Load and resource measurements of the release binary, on loopback only, on SQLite and
# on PostgreSQL. Not run in CI.
#
#   scripts/load.sh                      # both engines
#   ENGINES=sqlite scripts/load.sh       # one engine
#   DURATION=5s IMPORT_ROWS=20000 scripts/load.sh
#
# Needs: wrk (Debian: apt-get install -y wrk), sqlite3, psql, curl, /usr/bin/time, and
# for PostgreSQL a server at $PG_SERVER (default postgres://postgres@127.0.0.1:5432,
# trust authentication) on which the script creates its databases and drops them at the
# end. Every server it starts listens on 127.0.0.1 and is stopped on exit; all files go
# to a temporary folder that is removed at the end (KEEP=1 keeps it and the databases).
set -euo pipefail
cd "$(dirname "$0")/.."

ENGINES=${ENGINES:-sqlite postgres}
PG_SERVER=${PG_SERVER:-postgres://postgres@127.0.0.1:5432}
DURATION=${DURATION:-10s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-16}
WARDS=${WARDS:-4}             # wards in the database (one city), 21 years each
USERS=${USERS:-8}             # accounts logged in at once; requests rotate their sessions
IMPORT_ROWS=${IMPORT_ROWS:-100000}
EXPORT_PUBLICITY=${EXPORT_PUBLICITY:-0} # SQLite only; 48000 per year × 21 years ≈ 1,000,000 rows
PASSWORD='mat-khau-tai-thu-1'

for tool in wrk sqlite3 psql curl /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 1; }
done

WORK=$(mktemp -d /tmp/qcdc-load.XXXXXX)
PG_PREFIX="qcdc_load_$$"
SERVER=
stop_server() {
  if [ -n "$SERVER" ] && kill -0 "$SERVER" 2>/dev/null; then
    kill "$SERVER"
    wait "$SERVER" 2>/dev/null || true
  fi
  SERVER=
}
# The PostgreSQL databases this run made, asked of the server: `new_db` runs in a
# command substitution (a subshell), so a list kept in a variable there would be lost.
our_pg_databases() {
  command -v psql >/dev/null || return 0
  psql -qAt "$PG_SERVER/postgres" \
    -c "SELECT datname FROM pg_database WHERE datname LIKE '${PG_PREFIX}\_%'" 2>/dev/null || true
}
cleanup() {
  stop_server
  if [ "${KEEP:-0}" = 1 ]; then
    echo "kept $WORK $(our_pg_databases | tr '\n' ' ')"
  else
    rm -rf "$WORK"
    for name in $(our_pg_databases); do
      psql -q "$PG_SERVER/postgres" -c "DROP DATABASE IF EXISTS $name WITH (FORCE)" >/dev/null 2>&1 || true
    done
  fi
}
trap cleanup EXIT

section() { printf '\n=== %s\n' "$*"; }

# A new empty database on ENGINE, named NAME: prints its --db argument.
new_db() { # engine, name
  case $1 in
    sqlite) echo "$WORK/$2.db" ;;
    postgres)
      psql -q "$PG_SERVER/postgres" -c "CREATE DATABASE ${PG_PREFIX}_$2" >/dev/null
      echo "$PG_SERVER/${PG_PREFIX}_$2"
      ;;
  esac
}

# One value from a query on either engine.
sql() { # engine, db, query
  case $1 in
    sqlite) sqlite3 "$2" "$3" ;;
    postgres) psql -qtA "$2" -c "$3" ;;
  esac
}

section "machine"
echo "$(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GB", $2/1048576}' /proc/meminfo), $(uname -sr)"
echo "wrk: $THREADS threads, $CONNECTIONS connections, $DURATION per route; $WARDS wards, $USERS sessions"

section "build"
cargo build --release -p qcdc 2>&1 | tail -1
BIN=target/release/qcdc

SUMMARY="$WORK/summary"
: >"$SUMMARY"

measure() { # engine
  local engine=$1
  section "$engine: data: $WARDS wards × 21 years (1998-2018)"
  local DB
  DB=$(new_db "$engine" city)
  /usr/bin/time -f 'generated in %e s' "$BIN" generate --db "$DB" --wards "$WARDS" --years 21
  # The PostgreSQL here runs with autovacuum off: without statistics and a visibility map,
  # PostgreSQL plans the list's count as a heap walk and its page as a full sort (3-8×
  # slower). A production server's autovacuum does this after a bulk load; here by hand.
  [ "$engine" = postgres ] && psql -q "$DB" -c "VACUUM ANALYZE" >/dev/null
  for i in $(seq "$USERS"); do
    # the sessions belong to the wards in turn (each ward's secretary sees its own)
    printf '%s\n' "$PASSWORD" | "$BIN" user add --db "$DB" --ward "mau-$(( (i - 1) % WARDS + 1 ))" --username "thuky$i" --role secretary >/dev/null
  done
  echo "records of the served ward (the first): $(sql "$engine" "$DB" "SELECT (SELECT COUNT(*) FROM conferences WHERE ward_id = 1) + (SELECT COUNT(*) FROM publicity WHERE ward_id = 1) + (SELECT COUNT(*) FROM dialogues WHERE ward_id = 1) + (SELECT COUNT(*) FROM documents WHERE ward_id = 1) + (SELECT COUNT(*) FROM inspections WHERE ward_id = 1) + (SELECT COUNT(*) FROM commendations WHERE ward_id = 1)"), conferences in all wards: $(sql "$engine" "$DB" "SELECT COUNT(*) FROM conferences")"

  section "$engine: server"
  # Port 0: the system picks a free port, which the server prints on its first line.
  RUST_LOG=warn "$BIN" serve --db "$DB" --addr 127.0.0.1:0 >"$WORK/serve-$engine.log" 2>&1 &
  SERVER=$!
  local ADDR=
  for _ in $(seq 100); do
    ADDR=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$WORK/serve-$engine.log" | head -1 | sed 's|http://||') || true
    [ -n "$ADDR" ] && break
    sleep 0.1
  done
  [ -n "$ADDR" ] && kill -0 "$SERVER" || { cat "$WORK/serve-$engine.log"; exit 1; }
  local BASE="http://${ADDR}"
  curl -fs "$BASE/healthz" >/dev/null || { cat "$WORK/serve-$engine.log"; exit 1; }
  rss() { awk '/VmHWM|VmRSS/ {printf "%s %.1f MB  ", $1, $2/1024} END {print ""}' "/proc/$SERVER/status"; }
  echo "pid $SERVER on $ADDR, memory at start: $(rss)"

  # Log every account in like a browser: the form's token, then the POST; keep each
  # session cookie. wrk's requests go round the sessions.
  token() { grep -o 'name="csrf" value="[0-9a-f]*"' | head -1 | sed 's/.*value="//; s/"//'; }
  local cookies=() JAR TOKEN code
  for i in $(seq "$USERS"); do
    JAR="$WORK/cookies-$engine-$i"
    TOKEN=$(curl -fs -c "$JAR" -b "$JAR" "$BASE/login" | token)
    code=$(curl -s -o /dev/null -w '%{http_code}' -c "$JAR" -b "$JAR" \
      --data-urlencode "username=thuky$i" --data-urlencode "password=$PASSWORD" \
      --data-urlencode "csrf=$TOKEN" "$BASE/login")
    [ "$code" = 303 ] || { echo "login of thuky$i failed: $code" >&2; exit 1; }
    curl -fs -o /dev/null -b "$JAR" "$BASE/" # the page after login shows (and clears) the flash
    cookies+=("\"qcdc_session=$(awk '$6 == "qcdc_session" {print $7}' "$JAR")\"")
  done
  JAR="$WORK/cookies-$engine-1"
  local COOKIE="${cookies[0]//\"/}"
  TOKEN=$(curl -fs -b "$JAR" "$BASE/conferences/new" | token)
  local RECORD
  RECORD=$(curl -fs -b "$JAR" "$BASE/conferences" | grep -o 'href="/conferences/[0-9]*"' | head -1 | sed 's/href="//; s/"//')
  echo "$USERS accounts logged in; record page $RECORD"
  local IFS_=$IFS
  IFS=,
  cat >"$WORK/sessions.lua" <<EOF
local cookies = {${cookies[*]}}
local n = 0
request = function()
  n = n + 1
  return wrk.format(nil, nil, {["Cookie"] = cookies[n % #cookies + 1]})
end
EOF
  IFS=$IFS_

  run() { # name, wrk arguments... (prints the lines, remembers Requests/sec in RPS)
    local name=$1
    shift
    printf '\n--- %s\n' "$name"
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$@" >"$WORK/wrk.out"
    grep -E 'Requests/sec|Latency  |^ +(50|90|99)%|Non-2xx|Socket errors|requests in' "$WORK/wrk.out"
    RPS=$(awk '/Requests\/sec/ {print $2}' "$WORK/wrk.out")
  }

  section "$engine: HTTP (wrk)"
  run "GET /healthz (every layer, no session lookup)" "$BASE/healthz"
  local HEALTHZ=$RPS
  run "GET /conferences (list page, $USERS sessions in turn)" -s "$WORK/sessions.lua" "$BASE/conferences"
  local LIST=$RPS
  run "GET $RECORD (record page, $USERS sessions in turn)" -s "$WORK/sessions.lua" "$BASE$RECORD"
  local RECORD_RPS=$RPS
  run "GET /reports/summary?by=year (21 years + total)" -H "Cookie: $COOKIE" "$BASE/reports/summary?by=year"
  cat >"$WORK/post.lua" <<EOF
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = "date=28%2F06%2F2018&kind=dissemination&title=H%E1%BB%99i+ngh%E1%BB%8B+t%E1%BA%A3i+th%E1%BB%AD&attendees=10&csrf=$TOKEN"
EOF
  run "POST /conferences (create, 303; one transaction + audit + commit each)" -H "Cookie: $COOKIE" -s "$WORK/post.lua" "$BASE/conferences"
  echo
  echo "created by the POST run: $(sql "$engine" "$DB" "SELECT COUNT(*) FROM conferences WHERE title = 'Hội nghị tải thử'")"
  echo "server memory after the runs: $(rss)"
  printf 'one report page request, single client (curl, 20 runs): '
  for _ in $(seq 20); do curl -fs -o /dev/null -w '%{time_total}\n' -b "$JAR" "$BASE/reports/summary?by=year"; done |
    sort -n | awk '{a[NR]=$1} END {printf "median %.1f ms, min %.1f ms\n", a[int((NR+1)/2)]*1000, a[1]*1000}'
  stop_server

  section "$engine: import of $IMPORT_ROWS conference rows (qcdc import, one transaction)"
  local IDB
  IDB=$(new_db "$engine" import)
  "$BIN" init --db "$IDB" --ward "Phường thử" >/dev/null
  [ -f "$WORK/conferences.csv" ] || awk -v n="$IMPORT_ROWS" 'BEGIN {
    print "date,kind,title,attendees,organiser,topics,notes"
    split("dissemination training review residents_meeting briefing other", k, " ")
    for (i = 0; i < n; i++)
      printf "%04d-%02d-%02d,%s,Hội nghị số %d,%d,steering_committee,qcdc;law2022,Ghi chú dòng %d\n",
        1998 + i % 21, 1 + i % 12, 1 + i % 28, k[1 + i % 6], i, 10 + i % 300, i
  }' >"$WORK/conferences.csv"
  ls -l "$WORK/conferences.csv" | awk '{printf "file: %.1f MB\n", $5/1048576}'
  /usr/bin/time -f '%e %M' -o "$WORK/import.time" "$BIN" import --db "$IDB" conferences "$WORK/conferences.csv"
  local SECS KB IMPORTED
  read -r SECS KB <"$WORK/import.time"
  IMPORTED=$(sql "$engine" "$IDB" "SELECT COUNT(*) FROM conferences")
  echo "$IMPORTED rows in $SECS s (whole command: read, check, write), peak RSS $((KB / 1024)) MB"

  printf '%s|%s|%s|%s|%s|%s\n' "$engine" "$HEALTHZ" "$LIST" "$RECORD_RPS" \
    "$(awk -v n="$IMPORTED" -v s="$SECS" 'BEGIN {printf "%.0f", n / s}')" "$SECS" >>"$SUMMARY"

  if [ "$engine" = sqlite ]; then
    section "sqlite: the report's aggregates as raw SQL (sqlite3 shell, same file)"
    GRID=$(for y in $(seq 1998 2018); do printf "(%d,'%d-01-01','%d-12-31')," $((y - 1998)) "$y" "$y"; done)
    GRID="${GRID}(21,'1998-01-01','2018-12-31')"
    sqlite3 "$DB" <<EOF
.timer on
.output /dev/null
WITH p(i, s, e) AS (VALUES $GRID) SELECT p.i, x.channel, x.topic, COUNT(*), SUM(x.count) FROM p JOIN publicity x ON x.ward_id = 1 AND x.deleted_at IS NULL AND x.date BETWEEN p.s AND p.e GROUP BY p.i, x.channel, x.topic;
WITH p(i, s, e) AS (VALUES $GRID) SELECT p.i, c.kind, COUNT(*), SUM(c.attendees) FROM p JOIN conferences c ON c.ward_id = 1 AND c.deleted_at IS NULL AND c.date BETWEEN p.s AND p.e GROUP BY p.i, c.kind;
EOF
  fi
}

for engine in $ENGINES; do
  measure "$engine"
done

if [ "$EXPORT_PUBLICITY" -gt 0 ]; then
  section "CSV export of $((EXPORT_PUBLICITY * 21)) publicity rows (SQLite, qcdc export, streamed)"
  BDB="$WORK/big.db"
  /usr/bin/time -v "$BIN" generate --db "$BDB" --wards 1 --years 21 --publicity "$EXPORT_PUBLICITY" 2>"$WORK/gen.time"
  grep -E 'Elapsed' "$WORK/gen.time"
  /usr/bin/time -v "$BIN" export --db "$BDB" publicity 2>"$WORK/export.time" | wc -lc | awk '{printf "exported %d lines, %.1f MB\n", $1, $2/1048576}'
  grep -E 'Elapsed|Maximum resident' "$WORK/export.time"
  printf 'the report over it (qcdc report --by year, whole history): '
  /usr/bin/time -f '%e s, max RSS %M KB' "$BIN" report --db "$BDB" --by year >/dev/null
fi

section "summary"
printf '%-9s %12s %12s %9s %12s %14s\n' engine "/healthz/s" "list/s" "list %" "record/s" "import rows/s"
while IFS='|' read -r engine healthz list record import secs; do
  printf '%-9s %12s %12s %8.1f%% %12s %14s\n' "$engine" "$healthz" "$list" \
    "$(awk -v l="$list" -v h="$healthz" 'BEGIN {print 100 * l / h}')" "$record" "$import"
done <"$SUMMARY"
echo "goals: list page ≥ 10% of /healthz; import ≥ 30,000 rows/s"
