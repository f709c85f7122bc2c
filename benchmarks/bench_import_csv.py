"""Importing an accounting export: 10,000 invoice rows, in rows per second, beside anchors in
the same process.

The export is generated (Moneybird's shape: semicolons, Dutch numbers ``"€ 12.345,67"`` in
quotes, dd-mm-yyyy dates, a paid date on two rows in three, 1 client per 20 rows, a credit
note every 50 rows), written once; each case reads that same file:

* **csv.reader**: ``csv.reader`` over the file's text (decode + split into fields): the floor of
  any CSV reader in Python (the anchor the ratios are of);
* **naive**: ``csv.reader`` plus ``float()`` of the amount (separators stripped) and
  ``datetime.strptime`` of the dates, nothing checked: a hand-written import's floor;
* **read**: ``importing.read_rows`` (the strict reading: every amount by the number style,
  every date by the profile's format, names checked for control characters, repeated rows);
* **plan**: ``importing.plan_import`` on an empty agency (read + clients matched + invoices
  planned): what ``--dry-run`` does;
* **import**: ``plan_import`` + ``apply_plan`` into a fresh data file holding only the agency
  (the locked, audited, atomic write, planned again under the lock);
* **again**: the same import a second time (every row unchanged: nothing written);
* **cli**: ``tui-advisor import FILE.csv --profile moneybird`` as a child process into a fresh
  data file: what a user waits for (start-up included).

A report, not a test: exit 0. Usage::

    python benchmarks/bench_import_csv.py [--rows 10000] [--repeat 3] [--json]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from tui_advisor import importing, model  # noqa: E402
from tui_advisor.store import Store  # noqa: E402

HEADER = "Factuurnummer;Contact;Factuurdatum;Vervaldatum;Totaalbedrag incl. btw;Betaald op;Status"


def dutch(value: float) -> str:
    text = f"{abs(value):,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
    return ("-" if value < 0 else "") + text


def generate(rows: int, seed: int = 12) -> str:
    rnd = random.Random(seed)
    start = date(2024, 1, 1)
    lines = [HEADER]
    clients = [f"Klant {n:04d} B.V." for n in range(max(1, rows // 20))]
    for n in range(rows):
        issued = start + timedelta(days=n * 900 // rows)
        due = issued + timedelta(days=30)
        amount = round(rnd.uniform(200, 25_000), 2) * (-1 if n % 50 == 49 else 1)
        paid = (issued + timedelta(days=rnd.randint(5, 60))).strftime("%d-%m-%Y") if n % 3 else ""
        lines.append(
            f'2024-{n + 1:05d};{rnd.choice(clients)};{issued:%d-%m-%Y};{due:%d-%m-%Y};"€ {dutch(amount)}";{paid};'
            + ("Betaald" if paid else "Open")
        )
    return "\r\n".join(lines) + "\r\n"


def timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def case_csv_reader(path: Path) -> None:
    text = path.read_bytes().decode("utf-8-sig")
    for _ in csv.reader(io.StringIO(text, newline=""), delimiter=";"):
        pass


def case_naive(path: Path) -> None:
    text = path.read_bytes().decode("utf-8-sig")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    next(reader)
    strptime = datetime.strptime
    for row in reader:
        float(row[4].replace("€", "").strip().replace(".", "").replace(",", "."))
        strptime(row[2], "%d-%m-%Y")
        strptime(row[3], "%d-%m-%Y")
        if row[5]:
            strptime(row[5], "%d-%m-%Y")


def fresh_store(directory: Path) -> Store:
    path = directory / f"agency-{time.perf_counter_ns()}.json"
    store = Store(path, backups=0)
    store.import_document(
        {"format": model.FORMAT, "version": model.VERSION, "agency": {"name": "Bench", "currency": "EUR"}}
    )
    return store


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    profile = importing.load_profile("moneybird")
    as_of = date(2026, 12, 1)
    results: dict[str, list[float]] = {k: [] for k in ("csv.reader", "naive", "read", "plan", "import", "again", "cli")}
    with tempfile.TemporaryDirectory(prefix="bench-import-csv-") as tmp:
        d = Path(tmp)
        src = d / "facturen.csv"
        src.write_bytes(b"\xef\xbb\xbf" + generate(args.rows).encode("utf-8"))
        empty = model.AgencyData(agency=model.Agency(name="Bench"))
        for _ in range(args.repeat):  # the cases take turns: each round sees the same load
            results["csv.reader"].append(timed(lambda: case_csv_reader(src)))
            results["naive"].append(timed(lambda: case_naive(src)))
            results["read"].append(timed(lambda: importing.read_rows(src, profile)))
            results["plan"].append(timed(lambda: importing.plan_import(src, profile, empty, as_of)))
            store = fresh_store(d)

            def full(store: Store = store) -> None:
                snap = store.snapshot()
                plan = importing.plan_import(src, profile, snap.data, as_of, revision=snap.revision)
                assert len(plan.new) == args.rows and not plan.rejected, plan.summary()
                importing.apply_plan(store, plan)

            results["import"].append(timed(full))

            def again(store: Store = store) -> None:
                snap = store.snapshot()
                plan = importing.plan_import(src, profile, snap.data, as_of, revision=snap.revision)
                assert len(plan.unchanged) == args.rows, plan.summary()
                importing.apply_plan(store, plan)

            results["again"].append(timed(again))
            target = fresh_store(d)
            env = dict(os.environ, TUI_ADVISOR_CONFIG=str(d / "none.toml"))
            cmd = [sys.executable, "-m", "tui_advisor", "import", str(src), "--profile", "moneybird"]
            cmd += ["--data", str(target.path), "--as-of", as_of.isoformat()]
            t0 = time.perf_counter()
            proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
            results["cli"].append(time.perf_counter() - t0)
            if proc.returncode != 0:
                print(proc.stdout[-2000:], proc.stderr[-2000:], file=sys.stderr)
                return 2
    med = {k: statistics.median(v) for k, v in results.items()}
    base = med["csv.reader"]
    report = {
        "rows": args.rows,
        "repeat": args.repeat,
        "python": platform.python_version(),
        "load_average": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
        "cases": {
            k: {
                "median_s": round(v, 4),
                "rows_per_s": round(args.rows / v),
                "x_csv_reader": round(v / base, 2),
            }
            for k, v in med.items()
        },
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"{args.rows:,} rows, median of {args.repeat}, Python {report['python']}, load {report['load_average']:.1f}")
    print(f"{'case':<12}{'median s':>10}{'rows/s':>12}{'x csv.reader':>14}")
    for k, c in report["cases"].items():
        print(f"{k:<12}{c['median_s']:>10.3f}{c['rows_per_s']:>12,}{c['x_csv_reader']:>14.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
