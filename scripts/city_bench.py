#!/usr/bin/env python3
"""The city roll-up against the same aggregates as raw SQL, on one engine's database.

    scripts/city_bench.py --db city.db [--runs 7] [--from 1998-01-01 --to 2018-12-31]
    scripts/city_bench.py --db postgres://postgres@127.0.0.1:5432/qcdc_city
    scripts/city_bench.py --db city.db --one-ward one.db --ward mau-1

Times, each the median of --runs runs after one warm-up run, whole processes:

- `qcdc report --db DB --wards all --by year` (the roll-up: every ward's report over
  one year grid, then the city's total, as CSV to /dev/null), and `qcdc ward list` on
  the same database (process start, open, migrations checked, one query: the fixed
  cost, subtracted to give the roll-up's own time);
- the same aggregate statements the store runs for each ward
  (`crates/store/src/report.rs`, `report/law.rs`), with the grid and the ward's id as
  literals, one script for every ward, through `sqlite3` or `psql` in one session; and
  `SELECT 1` through the same shell (its fixed cost);
- with --one-ward: `qcdc report --ward CODE --by year` in the city database and in a
  database that holds that ward alone (their CSV must be identical).

Nothing is written to the databases. Python 3 standard library only; needs the release
binary (`cargo build --release -p qcdc`), `sqlite3`, `psql`.
"""

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHANNELS = ["radio", "posting", "portal", "meeting", "group_leader", "written"]
TOPICS = [
    "qcdc", "land_certificate", "site_clearance", "ordinance34", "decree04", "law2022",
    "budget", "group_finance", "fund_drive", "admin_procedure", "election", "convention",
    "planning", "other",
]
LAW_IN_FORCE = "2023-07-01"


def is_pg(db):
    return db.startswith("postgres://") or db.startswith("postgresql://")


def years(a, b):
    """The year grid of the report from a to b (ISO dates), as (start, end) pairs."""
    y0, y1 = int(a[:4]), int(b[:4])
    out = []
    for y in range(y0, y1 + 1):
        s = a if y == y0 else f"{y}-01-01"
        e = b if y == y1 else f"{y}-12-31"
        out.append((s, e))
    return out


def cte(grid):
    values = ", ".join(f"({i}, '{s}', '{e}')" for i, (s, e) in enumerate(grid))
    return f"WITH p(i, s, e) AS (VALUES {values})"


def live(t, date, ward):
    return f"{t}.ward_id = {ward} AND {t}.deleted_at IS NULL AND {t}.{date} BETWEEN p.s AND p.e"


def ward_statements(ward, grid, pg):
    """The statements `Store::report_facts` runs for one ward over a tiled year grid:
    additive families over the years (`sums`), the others over years + total (`rows`)."""
    sums, rows = cte(grid[:-1]), cte(grid)
    pairs = ", ".join(f"('{c}', '{t}')" for c in CHANNELS for t in TOPICS)
    indexed = "" if pg else " INDEXED BY publicity_channel_topic"
    return [
        f"{sums} SELECT p.i, c.kind, COUNT(*), CAST(SUM(c.attendees) AS BIGINT) FROM p JOIN conferences c ON {live('c', 'date', ward)} GROUP BY p.i, c.kind;",
        f"{sums}, ct(channel, topic) AS (VALUES {pairs}) SELECT p.i, ct.channel, ct.topic, (SELECT CAST(SUM(x.count) AS BIGINT) FROM publicity x{indexed} "
        f"WHERE x.ward_id = {ward} AND x.deleted_at IS NULL AND x.channel = ct.channel AND x.topic = ct.topic AND x.date BETWEEN p.s AND p.e) FROM p CROSS JOIN ct;",
        f"{sums} SELECT p.i, COUNT(*), CAST(SUM(d.participants) AS BIGINT) FROM p JOIN dialogues d ON {live('d', 'date', ward)} GROUP BY p.i;",
        f"{rows} SELECT p.i, COUNT(*), CAST(SUM(CASE WHEN o.status = 'resolved' AND o.resolved_on <= p.e THEN 1 ELSE 0 END) AS BIGINT) FROM p JOIN dialogues d ON {live('d', 'date', ward)} "
        f"JOIN opinions o ON o.dialogue_id = d.id AND o.deleted_at IS NULL GROUP BY p.i;",
        f"{rows} SELECT p.i, COUNT(*) FROM p JOIN opinions o ON o.deleted_at IS NULL AND o.status = 'resolved' AND o.resolved_on BETWEEN p.s AND p.e "
        f"JOIN dialogues d ON d.id = o.dialogue_id AND d.ward_id = {ward} AND d.deleted_at IS NULL GROUP BY p.i;",
        f"{sums} SELECT p.i, x.kind, COUNT(*) FROM p JOIN documents x ON {live('x', 'date', ward)} GROUP BY p.i, x.kind;",
        f"{sums} SELECT p.i, x.kind, COUNT(*) FROM p JOIN inspections x ON {live('x', 'date', ward)} GROUP BY p.i, x.kind;",
        f"{sums} SELECT p.i, x.level, x.recipient_kind, COUNT(*) FROM p JOIN commendations x ON {live('x', 'date', ward)} GROUP BY p.i, x.level, x.recipient_kind;",
        f"{rows} SELECT p.i, COUNT(g.id) FROM p JOIN residential_groups g ON g.ward_id = {ward} AND g.deleted_at IS NULL "
        f"AND (g.established IS NULL OR g.established <= p.e) AND (g.dissolved IS NULL OR g.dissolved > p.e) GROUP BY p.i;",
        f"{rows} SELECT p.i, CAST(SUM(CASE WHEN h.opened >= p.s THEN 1 ELSE 0 END) AS BIGINT), CAST(SUM(CASE WHEN h.resolved_on IS NULL OR h.resolved_on > p.e THEN 1 ELSE 0 END) AS BIGINT) FROM p JOIN hot_spots h "
        f"ON h.ward_id = {ward} AND h.deleted_at IS NULL AND h.opened <= p.e AND (h.opened >= p.s OR h.resolved_on IS NULL OR h.resolved_on > p.e) GROUP BY p.i;",
        f"{sums} SELECT p.i, x.form, COUNT(*), CAST(SUM(CASE WHEN x.in_favour * 2 > x.households THEN 1 ELSE 0 END) AS BIGINT) FROM p JOIN community_decisions x ON {live('x', 'date', ward)} GROUP BY p.i, x.form;",
        f"{sums} SELECT p.i, COUNT(*), CAST(SUM(x.responses) AS BIGINT), CAST(SUM(x.taken_up) AS BIGINT) FROM p JOIN consultations x ON {live('x', 'consulted_from', ward)} GROUP BY p.i;",
        f"{sums} SELECT p.i, x.kind, COUNT(*) FROM p JOIN inspection_board_activities x ON {live('x', 'date', ward)} GROUP BY p.i, x.kind;",
        f"{sums} SELECT p.i, COUNT(*) FROM p JOIN supervision_boards x ON {live('x', 'established', ward)} GROUP BY p.i;",
        f"{sums} SELECT p.i, COUNT(*) FROM p JOIN supervision_activities x ON {live('x', 'date', ward)} GROUP BY p.i;",
        f"SELECT posting_days, broadcast_days FROM wards WHERE id = {ward};",
        f"{sums} SELECT p.i, x.date, x.channel, x.topic, x.count, x.posted_from, x.posted_until FROM p JOIN publicity x ON {live('x', 'date', ward)} "
        f"AND ((x.channel = 'posting' AND x.posted_from IS NOT NULL AND x.posted_until IS NOT NULL) OR (x.channel = 'radio' AND x.date >= '{LAW_IN_FORCE}'));",
    ]


def citywide_statements(grid, pg):
    """The additive families for every ward at once, grouped by ward (what a city-wide
    query could be; not what the application runs): one statement per family."""
    sums = cte(grid[:-1])
    on = "x.deleted_at IS NULL AND x.date BETWEEN p.s AND p.e"
    return [
        f"{sums} SELECT x.ward_id, p.i, x.kind, COUNT(*), CAST(SUM(x.attendees) AS BIGINT) FROM p JOIN conferences x ON {on} GROUP BY x.ward_id, p.i, x.kind;",
        f"{sums} SELECT x.ward_id, p.i, x.channel, x.topic, CAST(SUM(x.count) AS BIGINT) FROM p JOIN publicity x ON {on} GROUP BY x.ward_id, p.i, x.channel, x.topic;",
        f"{sums} SELECT x.ward_id, p.i, COUNT(*), CAST(SUM(x.participants) AS BIGINT) FROM p JOIN dialogues x ON {on} GROUP BY x.ward_id, p.i;",
        f"{sums} SELECT x.ward_id, p.i, x.kind, COUNT(*) FROM p JOIN documents x ON {on} GROUP BY x.ward_id, p.i, x.kind;",
        f"{sums} SELECT x.ward_id, p.i, x.kind, COUNT(*) FROM p JOIN inspections x ON {on} GROUP BY x.ward_id, p.i, x.kind;",
        f"{sums} SELECT x.ward_id, p.i, x.level, x.recipient_kind, COUNT(*) FROM p JOIN commendations x ON {on} GROUP BY x.ward_id, p.i, x.level, x.recipient_kind;",
    ]


def shell(db):
    if is_pg(db):
        return ["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", db]
    return ["sqlite3", db]


def query(db, sql):
    out = subprocess.run(shell(db) + ["-c" if is_pg(db) else sql] + ([sql] if is_pg(db) else []),
                         check=True, capture_output=True, text=True).stdout
    return [line for line in out.splitlines() if line.strip()]


def timed(cmd, stdin=None):
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdin=stdin, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t


def median(cmd, runs, stdin_file=None):
    times = []
    for n in range(runs + 1):
        if stdin_file:
            with open(stdin_file, "rb") as f:
                t = timed(cmd, stdin=f)
        else:
            t = timed(cmd)
        if n:  # the first run warms the caches
            times.append(t)
    return statistics.median(times), min(times)


def ms(x):
    return f"{x * 1000:.0f} ms"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", required=True)
    ap.add_argument("--qcdc", default=str(ROOT / "target/release/qcdc"))
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--from", dest="start", default="1998-01-01")
    ap.add_argument("--to", dest="end", default="2018-12-31")
    ap.add_argument("--one-ward", help="a database holding --ward alone")
    ap.add_argument("--ward", default="mau-1")
    ap.add_argument("--citywide", action="store_true",
                    help="also time the additive families as one GROUP BY ward_id statement each")
    ap.add_argument("--script", default="/tmp/qcdc-city-raw.sql", help="where the raw SQL is written")
    a = ap.parse_args()

    db, pg = a.db, is_pg(a.db)
    ward_ids = [int(x) for x in query(db, "SELECT id FROM wards ORDER BY code, id")]
    records = sum(int(query(db, f"SELECT COUNT(*) FROM {t}")[0]) for t in [
        "conferences", "publicity", "dialogues", "opinions", "documents", "inspections",
        "commendations", "residential_groups", "party_cells", "hot_spots"])
    grid = years(a.start, a.end) + [(a.start, a.end)]
    with open(a.script, "w") as f:
        for w in ward_ids:
            f.write("\n".join(ward_statements(w, grid, pg)) + "\n")
    statements = len(ward_statements(0, grid, pg)) * len(ward_ids)
    engine = "PostgreSQL" if pg else "SQLite"
    print(f"{engine}: {len(ward_ids)} wards, {records:,} records; {a.start} to {a.end} by year")

    rng = ["--from", a.start, "--to", a.end, "--by", "year"]
    app, app_min = median([a.qcdc, "report", "--db", db, "--wards", "all"] + rng, a.runs)
    fixed, fixed_min = median([a.qcdc, "ward", "list", "--db", db], a.runs)
    raw_cmd = shell(db) + (["-f", a.script] if pg else [])
    raw, raw_min = median(raw_cmd, a.runs, None if pg else a.script)
    raw_fixed, raw_fixed_min = median(shell(db) + (["-c", "SELECT 1"] if pg else ["SELECT 1"]), a.runs)
    app_own, raw_own = app - fixed, raw - raw_fixed
    print(f"  qcdc report --wards all:   {ms(app)} (min {ms(app_min)}); fixed cost (qcdc ward list) {ms(fixed)}; roll-up {ms(app_own)}")
    print(f"  raw SQL, {statements:,} statements: {ms(raw)} (min {ms(raw_min)}); fixed cost (SELECT 1) {ms(raw_fixed)}; aggregates {ms(raw_own)}")
    print(f"  ratio, whole commands {app / raw:.2f}; without the fixed costs {app_own / raw_own:.2f}"
          f" (of the fastest runs: {app_min / raw_min:.2f}; {(app_min - fixed_min) / (raw_min - raw_fixed_min):.2f})")

    if a.citywide:
        wide = a.script + ".citywide.sql"
        with open(wide, "w") as f:
            f.write("\n".join(citywide_statements(grid, pg)) + "\n")
        t, t_min = median(shell(db) + (["-f", wide] if pg else []), a.runs, None if pg else wide)
        print(f"  city-wide GROUP BY ward_id, additive families only (6 statements): {ms(t)} (min {ms(t_min)}); aggregates {ms(t - raw_fixed)}")

    if a.one_ward:
        one = [a.qcdc, "report", "--ward", a.ward] + rng
        in_city = subprocess.run(one[:2] + ["--db", db] + one[2:], check=True, capture_output=True).stdout
        alone = subprocess.run(one[:2] + ["--db", a.one_ward] + one[2:], check=True, capture_output=True).stdout
        same = "identical" if in_city == alone else "DIFFERENT"
        t_city, c_min = median(one[:2] + ["--db", db] + one[2:], a.runs)
        t_alone, a_min = median(one[:2] + ["--db", a.one_ward] + one[2:], a.runs)
        print(f"  {a.ward} in the city db: {ms(t_city)} (min {ms(c_min)}); alone: {ms(t_alone)} (min {ms(a_min)});"
              f" ratio {t_city / t_alone:.2f} (of the fastest: {c_min / a_min:.2f}); CSV {same}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
