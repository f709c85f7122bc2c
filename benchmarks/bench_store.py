"""Saving and importing: one saved record and a whole import, each beside its anchors, in one run.

Cases (each a fresh child process; the save cases and their anchors take turns, one of each
per round, so they see the same load):

* **save M**, **save L**: a store made by ``tui-advisor import`` of ``agency-SIZE.json``; the
  child opens it as the app does (``Store(path)``, the default backups), takes a
  ``snapshot()`` (what the app holds), then saves one client ``--saves`` times, timing each
  ``Store.put`` (what the app's save runs in its thread: the lock, the checks, the audit
  log, the backup when due, the atomic write with fsync). Reported: the *first* save after
  the snapshot (the file unchanged since: no parse under the lock), the *next* saves, and
  *cold* saves by a fresh ``Store`` each time (nothing held: the file is parsed under the
  lock, as after a teammate's write or when the app read the file in a child process).
* **bare**: a bare Python process's ``json.load``, ``json.dump``, fsync and rename of a copy
  of the same store file (the same directory): the anchor of the issue's target.
* **sqlite**: a single-row ``UPDATE`` of one client in an SQLite copy of the same records
  (one row per record, its JSON as text), committed with ``PRAGMA synchronous=FULL``, in
  ``journal_mode=DELETE`` (the rollback journal, fsyncs of journal and database: the floor
  for a durable save of one record in place) and in ``journal_mode=WAL`` (one fsync of
  the log).
* **import L**: ``tui-advisor import agency-L.json --data EMPTY`` (the whole L file into an
  empty data file): wall time and peak RSS of that child, from
  ``resource.getrusage(RUSAGE_CHILDREN)`` in a process that runs only it. Also M.

Targets (issue 11, "Fast on years of history"): save M (first after the snapshot, median)
at most 0.5x bare M; save L under 2 s; import L under 10 s and 600 MiB. A report, not a
test: exit 0 whatever the targets say (2 when a case cannot run).

Usage::

    python benchmarks/bench_store.py [--repeat 3] [--saves 5] [--sizes M L] [--json] [--dir DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "data"

TARGET_SAVE_RATIO = 0.5  # save M / bare M, medians
TARGET_SAVE_L = 2.0  # s
TARGET_IMPORT_L = (10.0, 600)  # s, MiB

SAVE_CODE = r"""
import json, sys, time
from dataclasses import replace
from pathlib import Path
from tui_advisor.store import Store
path, saves = Path(sys.argv[1]), int(sys.argv[2])
store = Store(path, user="bench")
t = time.perf_counter(); snap = store.snapshot(); t_snapshot = time.perf_counter() - t
client = snap.data.clients[0]
rev = snap.meta.get(("clients", client.id)).rev
warm = []
for i in range(saves):
    edited = replace(client, name=f"Bench client {i}")
    t = time.perf_counter()
    rev = store.put("clients", edited, replace_key=client.id, expected_rev=rev)
    warm.append(time.perf_counter() - t)
    client = edited
cold = []
for i in range(saves):
    edited = replace(client, name=f"Bench client cold {i}")
    fresh = Store(path, user="bench")  # holds nothing: the save parses the file under the lock
    t = time.perf_counter()
    rev = fresh.put("clients", edited, replace_key=client.id, expected_rev=rev)
    cold.append(time.perf_counter() - t)
    client = edited
print(json.dumps({"snapshot": t_snapshot, "first": warm[0], "next": warm[1:], "cold": cold}))
"""

BARE_CODE = r"""
import json, os, sys, time
path, saves = sys.argv[1], int(sys.argv[2])
times = []
for _ in range(saves):
    t = time.perf_counter()
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(data, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    times.append(time.perf_counter() - t)
    del data
print(json.dumps(times))
"""

SQLITE_CODE = r"""
import json, sqlite3, sys, time
path, mode, saves = sys.argv[1], sys.argv[2], int(sys.argv[3])
db = sqlite3.connect(path, isolation_level=None)
db.execute(f"PRAGMA journal_mode={mode}")
db.execute("PRAGMA synchronous=FULL")
(cid, doc), = db.execute("SELECT id, doc FROM records WHERE kind = 'clients' LIMIT 1")
record = json.loads(doc)
times = []
for i in range(saves):
    record["name"] = f"Bench client {i}"
    t = time.perf_counter()
    db.execute("BEGIN")
    db.execute("UPDATE records SET doc = ? WHERE kind = 'clients' AND id = ?", (json.dumps(record), cid))
    db.execute("COMMIT")
    times.append(time.perf_counter() - t)
print(json.dumps(times))
"""

# a process that runs only the import: its RUSAGE_CHILDREN is that one child's
IMPORT_CODE = r"""
import json, resource, subprocess, sys, time
t = time.perf_counter()
proc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
wall = time.perf_counter() - t
kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"wall": wall, "rc": proc.returncode, "stderr": proc.stderr[-2000:],
                  "rss_mib": kib / (1024 * 1024 if sys.platform == "darwin" else 1024)}))
"""


def cli() -> list[str]:
    script = Path(sys.executable).parent / "tui-advisor"
    return [str(script)] if script.exists() else [sys.executable, "-m", "tui_advisor"]


def child(code: str, *args: Any) -> Any:
    env = {**os.environ, "HOME": os.environ.get("BENCH_HOME", os.environ.get("HOME", ""))}
    out = subprocess.run(
        [sys.executable, "-c", code, *map(str, args)], capture_output=True, text=True, cwd=ROOT, env=env
    )
    if out.returncode != 0:
        raise RuntimeError(f"a benchmark child failed:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def interchange(size: str) -> Path:
    path = DATA / f"agency-{size}.json"
    if not path.exists():
        subprocess.run([sys.executable, str(HERE / "generate.py"), size], check=True, cwd=ROOT)
    return path


def make_sqlite(store_file: Path, out: Path) -> None:
    """One row per record of the store file (kind, id, the document as JSON text)."""
    import sqlite3

    tables = json.loads(store_file.read_text(encoding="utf-8"))
    db = sqlite3.connect(out)
    db.execute("CREATE TABLE records (kind TEXT, id TEXT, doc TEXT, PRIMARY KEY (kind, id))")
    db.executemany(
        "INSERT INTO records VALUES (?, ?, ?)",
        ((kind, doc_id, json.dumps(doc)) for kind, docs in tables.items() for doc_id, doc in docs.items()),
    )
    db.commit()
    db.close()


def med(xs: list[float]) -> float:
    return statistics.median(xs)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=3, help="rounds of the save cases (default 3)")
    ap.add_argument("--saves", type=int, default=5, help="saves per child process (default 5)")
    ap.add_argument("--sizes", nargs="+", default=["M", "L"], choices=["S", "M", "L"])
    ap.add_argument("--json", action="store_true", help="print the results as JSON")
    ap.add_argument(
        "--dir",
        type=Path,
        default=None,
        help="where the data files are written (default: the system's temporary directory; "
        "its file system decides what an fsync costs)",
    )
    args = ap.parse_args(argv)

    results: dict[str, Any] = {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load": os.getloadavg(),
        "sizes": {},
    }
    with tempfile.TemporaryDirectory(prefix="bench-store-", dir=args.dir) as tmp:
        home = Path(tmp) / "home"
        home.mkdir()
        os.environ["BENCH_HOME"] = str(home)  # no config file of the user's
        for size in args.sizes:
            src = interchange(size)
            folder = Path(tmp) / size
            folder.mkdir()
            store = folder / "agency.json"
            imp = child(IMPORT_CODE, *cli(), "import", src, "--data", store)
            if imp["rc"] != 0:
                print(f"tui-advisor import {src} failed ({imp['rc']}):\n{imp['stderr']}", file=sys.stderr)
                return 2
            bare_file = folder / "bare.json"
            shutil.copyfile(store, bare_file)
            sqlite_file = folder / "agency.sqlite"
            make_sqlite(store, sqlite_file)
            r: dict[str, Any] = {
                "store_mb": store.stat().st_size / 1e6,
                "import": imp,
                "first": [],
                "next": [],
                "cold": [],
                "snapshot": [],
                "bare": [],
                "sqlite_delete": [],
                "sqlite_wal": [],
            }
            for _ in range(args.repeat):
                s = child(SAVE_CODE, store, args.saves)
                r["first"].append(s["first"])
                r["next"] += s["next"]
                r["cold"] += s["cold"]
                r["snapshot"].append(s["snapshot"])
                r["bare"] += child(BARE_CODE, bare_file, max(1, args.saves // 2))
                r["sqlite_delete"] += child(SQLITE_CODE, sqlite_file, "DELETE", args.saves)
                r["sqlite_wal"] += child(SQLITE_CODE, sqlite_file, "WAL", args.saves)
            results["sizes"][size] = r
    results["load_after"] = os.getloadavg()

    if args.json:
        print(json.dumps(results, indent=1))
        return 0
    print(
        f"Saving and importing, Python {results['python']}, {results['cpus']} CPUs, load average "
        f"{results['load'][0]:.1f} before, {results['load_after'][0]:.1f} after; {args.repeat} rounds, "
        f"{args.saves} saves per child"
    )
    print()
    print(
        "size  store MB  save: first   next    cold |  bare  sqlite DELETE  WAL | first/bare  cold/bare  "
        "sqlite-DELETE/first | import s  RSS MiB"
    )
    print("-" * 134)
    for size, r in results["sizes"].items():
        first, nxt, cold, bare = med(r["first"]), med(r["next"] or r["first"]), med(r["cold"]), med(r["bare"])
        sd, sw = med(r["sqlite_delete"]), med(r["sqlite_wal"])
        print(
            f"{size:4}  {r['store_mb']:8.1f}  {first * 1e3:9.0f} {nxt * 1e3:6.0f} {cold * 1e3:7.0f} | "
            f"{bare * 1e3:5.0f}  {sd * 1e3:13.1f} {sw * 1e3:4.1f} | {first / bare:10.2f} {cold / bare:10.2f}  "
            f"{sd / first:19.2f} | {r['import']['wall']:8.2f} {r['import']['rss_mib']:8.0f}"
        )
    print(
        "(ms unless said; medians. first: the first save after the snapshot the app holds (nothing parsed under "
        "the lock); next: the saves after it;\n cold: a fresh Store (the file parsed under the lock); bare: "
        "json.load + json.dump + fsync + rename of the same file; sqlite: one-row UPDATE, synchronous=FULL)"
    )
    print()
    sizes = results["sizes"]
    if "M" in sizes:
        ratio = med(sizes["M"]["first"]) / med(sizes["M"]["bare"])
        verdict = "PASS" if ratio <= TARGET_SAVE_RATIO else "MISS"
        print(
            f"save M / bare M: {ratio:.2f} (target <= {TARGET_SAVE_RATIO})  {verdict}"
            f"   [cold: {med(sizes['M']['cold']) / med(sizes['M']['bare']):.2f}]"
        )
    if "L" in sizes:
        first = med(sizes["L"]["first"])
        print(
            f"save L: {first:.2f} s (target < {TARGET_SAVE_L} s)  {'PASS' if first < TARGET_SAVE_L else 'MISS'}"
            f"   [cold: {med(sizes['L']['cold']):.2f} s]"
        )
        imp = sizes["L"]["import"]
        ok = imp["wall"] < TARGET_IMPORT_L[0] and imp["rss_mib"] < TARGET_IMPORT_L[1]
        print(
            f"import L: {imp['wall']:.1f} s, {imp['rss_mib']:.0f} MiB (target < {TARGET_IMPORT_L[0]:.0f} s, "
            f"< {TARGET_IMPORT_L[1]} MiB)  {'PASS' if ok else 'MISS'}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
