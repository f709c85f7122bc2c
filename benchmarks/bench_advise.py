"""Time ``tui-advisor advise`` end to end on synthetic agencies, each number beside its anchors.

For each size (S, M, L; see ``generate.py``; M is the 200-client agency) the whole process
``tui-advisor advise --input FILE --as-of 2026-11-26 --format json`` is run ``--repeat``
times (after one untimed warm-up run that also checks the exit code and that the output is
JSON), and the min and median wall times and the peak RSS are reported beside two anchors
measured in the same run:

* **json.load**: a bare ``python -c "import json; json.load(open(FILE))"`` of the same
  file, run in turn with ``advise`` (one of each per round, so both see the same load):
  the floor for any Python program that reads the file. Target: advise on L at most
  1.5x its median, and at most 300 MiB.
* **hledger**: ``hledger -f JOURNAL bal -% revenue`` on the same invoices (one transaction
  per invoice, ``revenue:<client>`` against ``assets:receivable``; the journal is written
  from the data file before the runs, in a child process): what a plain-text accounting
  tool pays for the revenue share per client, the heart of the key-client check. On
  ``--hledger-sizes`` (default L), ``--hledger-repeat`` runs (default 1: ~15 s each on L).

Also: a bare ``python -c pass`` (the interpreter's start-up), the cost per record, the
marginal cost of one more record and the growth from M to L (no faster than linear, 15%
tolerance). ``--phases`` adds where the time of one in-process run goes (read and decode,
validation, metrics, rules, JSON output; CPU time, best of three, which a loaded host
disturbs less than wall time), in a child process per size.

Targets: advise/json.load on L <= 1.5 and RSS <= 300 MiB (the issue's "Fast on years of
history"); median L < 2 s, M < 0.5 s. This is a report, not a test: the exit code is 0
whatever the targets say (2 only when ``advise`` cannot be run).

Usage::

    python benchmarks/bench_advise.py [--repeat 5] [--sizes S M L] [--json] [--regenerate]
                                      [--phases] [--hledger-sizes L] [--hledger-repeat 1] [--no-hledger]
                                      [--against OTHER_TREE ...]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402  (benchmarks/generate.py)

AS_OF = "2026-11-26"
TARGETS = {"L": 2.0, "M": 0.5}  # seconds, compared with the median
RATIO_TARGET = {"L": 1.5}  # advise / json.load, medians
RSS_TARGET_MIB = {"L": 300}
GROWTH_TOLERANCE = 1.15
JSON_LOAD = "import json, sys; json.load(open(sys.argv[1], encoding='utf-8'))"


def advise_command() -> list[str]:
    script = Path(sys.executable).parent / "tui-advisor"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "tui_advisor"]


# The children's environment (main() sets it): by default with bytecode cached in a temporary
# directory, as an installed app has it (the dev container's PYTHONDONTWRITEBYTECODE would make
# every run compile the editable sources again: ~0.1 s of each run).
CHILD_ENV: dict[str, str] | None = None


def run_once(
    cmd: list[str], capture: bool = False, env: dict[str, str] | None = None
) -> tuple[float, int, int, bytes, bytes]:
    """Run ``cmd`` (in ``env``, else CHILD_ENV); return (wall seconds, exit code, peak RSS in KiB or -1,
    stdout, stderr)."""
    out = subprocess.PIPE if capture else subprocess.DEVNULL
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=out, stderr=out, stdin=subprocess.DEVNULL, cwd=ROOT, env=env or CHILD_ENV)
    if capture:
        stdout, stderr = proc.communicate()
        wall = time.perf_counter() - t0
        return wall, proc.returncode, -1, stdout, stderr
    if hasattr(os, "wait4"):
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        rss = usage.ru_maxrss // (1024 if sys.platform == "darwin" else 1)
        return wall, proc.returncode, rss, b"", b""
    proc.wait()
    return time.perf_counter() - t0, proc.returncode, -1, b"", b""


def count_records(path: Path) -> tuple[int, int]:
    """(records, clients) of a data file, counted in a child process (see above)."""
    code = (
        "import json, sys; sys.path.insert(0, sys.argv[1]); import generate; "
        "d = json.load(open(sys.argv[2], encoding='utf-8')); print(generate.record_count(d), len(d['clients']))"
    )
    out = subprocess.run([sys.executable, "-c", code, str(HERE), str(path)], check=True, capture_output=True, text=True)
    records, clients = out.stdout.split()
    return int(records), int(clients)


def summary(times: list[float], rss: list[int]) -> dict[str, Any]:
    return {"min": min(times), "median": statistics.median(times), "times": times, "max_rss_kib": max(rss)}


def timed(cmd: list[str], repeat: int) -> dict[str, Any]:
    times, rss = [], []
    for _ in range(repeat):
        wall, rc, peak, _o, _e = run_once(cmd)
        if rc != 0:
            raise RuntimeError(f"{' '.join(cmd)} exited with {rc}")
        times.append(wall)
        rss.append(peak)
    return summary(times, rss)


def timed_in_turn(
    cmds: dict[str, list[str]], repeat: int, envs: dict[str, dict[str, str]] | None = None
) -> dict[str, dict[str, Any]]:
    """Each command once per round, ``repeat`` rounds: commands compared see the same load.
    ``envs``: the environment of some of them (another source tree on PYTHONPATH)."""
    times: dict[str, list[float]] = {k: [] for k in cmds}
    rss: dict[str, list[int]] = {k: [] for k in cmds}
    for _ in range(repeat):
        for k, cmd in cmds.items():
            wall, rc, peak, _o, _e = run_once(cmd, env=(envs or {}).get(k))
            if rc != 0:
                raise RuntimeError(f"{' '.join(cmd)} exited with {rc}")
            times[k].append(wall)
            rss[k].append(peak)
    return {k: summary(times[k], rss[k]) for k in cmds}


# ---------------------------------------------------------------------------- hledger


def _account(name: str) -> str:
    """A client name as an hledger account name: no ':' (a sub-account), ';' (a comment),
    brackets (virtual postings) or runs of spaces (two spaces end the account name)."""
    return re.sub(r"\s+", " ", re.sub(r"[:;()\[\]]", " ", name)).strip()


def write_journal(data_path: Path, out: Path) -> int:
    """One hledger transaction per invoice of the data file: ``revenue:<client>`` (credited)
    against ``assets:receivable``. Returns the number of transactions."""
    doc = json.loads(data_path.read_text(encoding="utf-8"))
    currency = doc["agency"].get("currency") or "EUR"
    names: dict[str, str] = {}
    count: dict[str, int] = {}
    for c in doc["clients"]:
        n = _account(c.get("name") or "") or c["id"]
        names[c["id"]] = n
        count[n] = count.get(n, 0) + 1
    for cid, n in names.items():
        if count[n] > 1:  # two clients of one name stay two accounts
            names[cid] = f"{n} {cid}"
    lines = []
    for inv in doc["invoices"]:
        amount = inv["amount"]
        client = names.get(inv["client"]) or _account(inv["client"])
        lines.append(
            f"{inv['issued']} {inv['id']}\n    revenue:{client}  {-amount:.2f} {currency}\n"
            f"    assets:receivable  {amount:.2f} {currency}\n"
        )
    out.write_text("\n".join(lines), encoding="utf-8")
    return len(lines)


# ---------------------------------------------------------------------------- phases

PHASES_CODE = r"""
import gc, json, sys, time
from datetime import date
t0 = time.process_time()
gc.disable()  # as `advise` runs: a one-shot process
from tui_advisor import metrics, model, report
from tui_advisor.engine import advise as advise_mod
try:
    from tui_advisor.workspace import load_input, load_rulebook, read_document
    run = load_rulebook().advise
except ImportError:  # a tree from before the workspace package (service.py)
    from tui_advisor.service import load_input, load_settings, read_document, run_advice
    settings = load_settings()
    run = lambda data, as_of: run_advice(data, as_of, settings)
t_import = time.process_time() - t0
path, as_of = sys.argv[1], date.fromisoformat(sys.argv[2])
out = {"import": t_import}
def best(label, fn, n=3):
    times = []
    for _ in range(n):
        t = time.process_time(); value = fn(); times.append(time.process_time() - t)
    out[label] = min(times)
    return value
best("json.load", lambda: json.load(open(path, encoding="utf-8")))
doc = best("read_document", lambda: read_document(path))
best("from_document", lambda: model.from_document(doc))
del doc
data = best("load_input", lambda: load_input(path))
result = best("metrics", lambda: metrics.compute(data, as_of))
advice = best("advise", lambda: run(data, as_of))
best("render_json", lambda: report.render_json(advice))
out["rules"] = max(0.0, out["advise"] - out["metrics"])
print(json.dumps(out))
"""


def phases(path: Path) -> dict[str, float] | None:
    # -P: not the current directory first on sys.path, so that PYTHONPATH can point at another tree
    proc = subprocess.run(
        [sys.executable, "-P", "-c", PHASES_CODE, str(path), AS_OF],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=CHILD_ENV,
    )
    if proc.returncode != 0:
        print(f"phases of {path.name}: failed:\n{proc.stderr[-1500:]}", file=sys.stderr)
        return None
    result: dict[str, float] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


# ---------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time `tui-advisor advise` on synthetic agencies, beside its anchors.")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per size (default 5)")
    parser.add_argument(
        "--sizes", nargs="+", default=list(generate.SIZES), type=str.upper, choices=list(generate.SIZES)
    )
    parser.add_argument("--json", action="store_true", help="print machine-readable results instead of the table")
    parser.add_argument("--regenerate", action="store_true", help="regenerate the data files even if present")
    parser.add_argument("--phases", action="store_true", help="also time the phases of one in-process run per size")
    parser.add_argument(
        "--hledger-sizes",
        nargs="*",
        default=["L"],
        type=str.upper,
        choices=list(generate.SIZES),
        help="sizes to run hledger's bal -%% on (default L)",
    )
    parser.add_argument("--hledger-repeat", type=int, default=1, help="hledger runs per size (default 1)")
    parser.add_argument("--no-hledger", action="store_true", help="skip the hledger anchor")
    parser.add_argument(
        "--against",
        action="append",
        default=[],
        metavar="DIR",
        help="also advise with the source tree DIR first on PYTHONPATH (a checkout or `git archive` of another "
        "commit), in the same rounds as this tree and the json.load anchor: before and after under one load",
    )
    parser.add_argument(
        "--no-pyc-cache",
        action="store_true",
        help="keep the inherited PYTHONDONTWRITEBYTECODE / PYTHONPYCACHEPREFIX (by default the "
        "children cache bytecode in a temporary directory, as an installed app has it)",
    )
    args = parser.parse_args(argv)
    global CHILD_ENV
    pyc_dir = None
    if not args.no_pyc_cache:
        pyc_dir = tempfile.TemporaryDirectory(prefix="bench-advise-pyc-")
        CHILD_ENV = dict(os.environ)
        CHILD_ENV.pop("PYTHONDONTWRITEBYTECODE", None)
        CHILD_ENV["PYTHONPYCACHEPREFIX"] = pyc_dir.name
    repeat = max(1, args.repeat)
    log = (lambda *a: print(*a, file=sys.stderr)) if args.json else print

    base = advise_command()
    hledger = None if args.no_hledger else shutil.which("hledger")
    results: dict[str, Any] = {
        "as_of": AS_OF,
        "command": base + ["advise", "--input", "FILE", "--as-of", AS_OF, "--format", "json"],
        "json_load_command": [sys.executable, "-c", JSON_LOAD, "FILE"],
        "repeat": repeat,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
        "bytecode": "from source on every run (PYTHONDONTWRITEBYTECODE)"
        if (CHILD_ENV or os.environ).get("PYTHONDONTWRITEBYTECODE")
        else "cached (PYTHONPYCACHEPREFIX)",
        "targets_s": TARGETS,
        "ratio_targets": RATIO_TARGET,
        "rss_targets_mib": RSS_TARGET_MIB,
        "sizes": {},
    }

    # The data files.
    paths: dict[str, Path] = {}
    for s in args.sizes:
        path = generate.default_path(s)
        if args.regenerate or not path.exists():
            # In a child process, so that this one stays small (a child inherits the
            # parent's peak RSS in its rusage on Linux).
            t0 = time.perf_counter()
            subprocess.run(
                [sys.executable, str(HERE / "generate.py"), s, "-o", str(path)], check=True, stdout=subprocess.DEVNULL
            )
            log(f"generated {path.relative_to(ROOT)} in {time.perf_counter() - t0:.2f} s")
        paths[s] = path

    # Baseline: the interpreter's start-up.
    baseline = timed([sys.executable, "-c", "pass"], repeat)
    results["python_startup"] = {k: baseline[k] for k in ("min", "median", "times")}

    for s in args.sizes:
        path = paths[s]
        records, clients = count_records(path)
        cmd = base + ["advise", "--input", str(path), "--as-of", AS_OF, "--format", "json"]
        wall, rc, _rss, out, err = run_once(cmd, capture=True)  # warm-up and sanity check
        if rc != 0:
            log(f"{s}: `{' '.join(cmd)}` exited with {rc}:\n{err.decode(errors='replace')[-2000:]}")
            return 2
        try:
            json.loads(out)
            out_ok = True
        except ValueError:
            out_ok = False
            log(f"{s}: warning: the output is not valid JSON (first bytes: {out[:80]!r})")
        cmds = {"json_load": [sys.executable, "-c", JSON_LOAD, str(path)], "advise": cmd}
        envs = {}
        for tree in args.against:
            envs[tree] = dict(CHILD_ENV or os.environ, PYTHONPATH=str(Path(tree).resolve()))
            if run_once(cmd, env=envs[tree])[1] != 0:  # a warm-up (its bytecode cached) and a check
                log(f"{s}: advise with {tree} first on PYTHONPATH failed")
                return 2
            cmds[tree] = cmd
        both = timed_in_turn(cmds, repeat, envs)
        r = both["advise"]
        anchor = both["json_load"]
        r["against"] = {
            tree: dict(
                both[tree],
                ratio_median=both[tree]["median"] / anchor["median"],
                ratio_min=both[tree]["min"] / anchor["min"],
            )
            for tree in args.against
        }
        r.update(
            records=records,
            clients=clients,
            file_bytes=path.stat().st_size,
            output_bytes=len(out),
            output_is_json=out_ok,
            us_per_record=(r["median"] - baseline["median"]) / records * 1e6,
            json_load=anchor,
            ratio_median=r["median"] / anchor["median"],
            ratio_min=r["min"] / anchor["min"],
        )
        if s in TARGETS:
            r["target_s"] = TARGETS[s]
            r["pass"] = r["median"] < TARGETS[s]
        if s in RATIO_TARGET:
            r["ratio_target"] = RATIO_TARGET[s]
            r["ratio_pass"] = r["ratio_median"] <= RATIO_TARGET[s]
        if s in RSS_TARGET_MIB and r["max_rss_kib"] >= 0:
            r["rss_target_mib"] = RSS_TARGET_MIB[s]
            r["rss_pass"] = r["max_rss_kib"] / 1024 <= RSS_TARGET_MIB[s]
        if args.phases:
            r["phases_s"] = phases(path)
        results["sizes"][s] = r

    # The hledger anchor: bal -% on the same invoices.
    results["hledger"] = {}
    if hledger and args.hledger_sizes:
        version = subprocess.run([hledger, "--version"], capture_output=True, text=True).stdout.strip()
        results["hledger_version"] = version
        with tempfile.TemporaryDirectory(prefix="bench-hledger-") as tmp:
            for s in args.hledger_sizes:
                if s not in results["sizes"]:
                    continue
                journal = Path(tmp) / f"agency-{s}.journal"
                t0 = time.perf_counter()
                subprocess.run(
                    [sys.executable, str(Path(__file__).resolve()), "--write-journal", str(paths[s]), str(journal)],
                    check=True,
                    stdout=subprocess.DEVNULL,
                )
                log(
                    f"wrote the hledger journal of {s} ({journal.stat().st_size / 1e6:.1f} MB) in "
                    f"{time.perf_counter() - t0:.1f} s"
                )
                hcmd = [hledger, "-f", str(journal), "bal", "-%", "revenue"]
                h = timed(hcmd, max(1, args.hledger_repeat))
                h["command"] = ["hledger", "-f", f"agency-{s}.journal", "bal", "-%", "revenue"]
                h["journal_bytes"] = journal.stat().st_size
                a = results["sizes"][s]
                h["advise_vs_hledger_median"] = a["median"] / h["median"]
                h["advise_vs_hledger_rss"] = a["max_rss_kib"] / h["max_rss_kib"] if h["max_rss_kib"] > 0 else None
                results["hledger"][s] = h
    elif not args.no_hledger:
        log("hledger not found: no hledger anchor (install hledger, or pass --no-hledger)")

    sz = results["sizes"]
    if all(k in sz for k in ("S", "M", "L")):
        dn_m = sz["M"]["records"] - sz["S"]["records"]
        dn_l = sz["L"]["records"] - sz["S"]["records"]
        dt_m = sz["M"]["min"] - sz["S"]["min"]
        dt_l = sz["L"]["min"] - sz["S"]["min"]
        record_ratio = dn_l / dn_m
        # Below 5 ms the difference M - S is noise and the ratio meaningless.
        time_ratio = dt_l / dt_m if dt_m > 0.005 else None
        results["marginal_us_per_record"] = dt_l / dn_l * 1e6
        results["growth"] = {
            "time_ratio": time_ratio,
            "record_ratio": record_ratio,
            "tolerance": GROWTH_TOLERANCE,
            "pass": None if time_ratio is None else time_ratio <= record_ratio * GROWTH_TOLERANCE,
        }

    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    print_table(results, baseline, repeat)
    return 0


def _mib(kib: int) -> str:
    return f"{kib / 1024:.0f}" if kib >= 0 else "-"


def print_table(results: dict[str, Any], baseline: dict[str, Any], repeat: int) -> None:
    sz = results["sizes"]
    load = results.get("load_average")
    print()
    print(
        f"tui-advisor advise --input FILE --as-of {AS_OF} --format json   ({repeat} runs per size, in turn with a "
        f"bare json.load of FILE; Python {results['python']}, {results['cpus']} CPUs"
        + (f", load {load[0]:.1f} at the start)" if load else ")")
    )
    print(
        f"python -c pass: min {baseline['min'] * 1000:.0f} ms, median {baseline['median'] * 1000:.0f} ms; "
        f"bytecode {results.get('bytecode', '?')}"
    )
    print()
    head = (
        f"{'size':<5}{'clients':>8}{'records':>10}{'MB':>6}{'advise min':>12}{'median':>8}{'RSS MiB':>9}"
        f"{'json.load min':>15}{'median':>8}{'RSS MiB':>9}{'ratio':>7}   targets"
    )
    print(head)
    print("-" * (len(head) + 36))
    for s, r in sz.items():
        j = r["json_load"]
        notes = []
        if "ratio_target" in r:
            notes.append(f"ratio <= {r['ratio_target']:g} {'PASS' if r['ratio_pass'] else 'MISS'}")
        if "rss_target_mib" in r:
            notes.append(f"RSS <= {r['rss_target_mib']} MiB {'PASS' if r['rss_pass'] else 'MISS'}")
        if "target_s" in r:
            notes.append(f"median < {r['target_s']:g} s {'PASS' if r['pass'] else 'MISS'}")
        print(
            f"{s:<5}{r['clients']:>8,}{r['records']:>10,}{r['file_bytes'] / 1e6:>6.1f}{r['min']:>12.3f}"
            f"{r['median']:>8.3f}{_mib(r['max_rss_kib']):>9}{j['min']:>15.3f}{j['median']:>8.3f}"
            f"{_mib(j['max_rss_kib']):>9}{r['ratio_median']:>7.2f}   {', '.join(notes)}"
        )
    of_mins = ", ".join(f"{s} {r['ratio_min']:.2f}" for s, r in sz.items())
    print(
        f"(seconds, wall time of the whole process; ratio = advise median / json.load median [of the minimums: "
        f"{of_mins}])"
    )
    for s, r in sz.items():
        for tree, t in r.get("against", {}).items():
            print(
                f"{s:<5} against {tree}: advise min {t['min']:.3f} median {t['median']:.3f} s, "
                f"{_mib(t['max_rss_kib'])} MiB, ratio {t['ratio_median']:.2f} (of the minimums {t['ratio_min']:.2f}); "
                f"this tree {r['ratio_median']:.2f} ({r['ratio_min']:.2f}), in the same rounds"
            )
    for s, h in results.get("hledger", {}).items():
        a = sz[s]
        print()
        print(
            f"anchor, {s}: {' '.join(h['command'])}   ({len(h['times'])} run{'s' if len(h['times']) != 1 else ''}, "
            f"{results.get('hledger_version', 'hledger')}, journal {h['journal_bytes'] / 1e6:.1f} MB)"
        )
        print(f"  hledger  min {h['min']:.2f} s, median {h['median']:.2f} s, RSS {_mib(h['max_rss_kib'])} MiB")
        print(
            f"  advise   median {a['median']:.2f} s, RSS {_mib(a['max_rss_kib'])} MiB: "
            f"{a['median'] / h['median']:.2f}x hledger's time"
            + (f", {h['advise_vs_hledger_rss']:.2f}x its memory" if h.get("advise_vs_hledger_rss") else "")
        )
    for s, r in sz.items():
        ph = r.get("phases_s")
        if ph:
            print()
            print(
                f"phases, {s} (in-process CPU time, best of 3, ms): import {ph['import'] * 1000:.0f}; "
                f"bare json.load {ph['json.load'] * 1000:.0f}; read_document {ph['read_document'] * 1000:.0f}, "
                f"from_document {ph['from_document'] * 1000:.0f} (load_input, both: {ph['load_input'] * 1000:.0f}); "
                f"metrics {ph['metrics'] * 1000:.0f}, rules {ph['rules'] * 1000:.0f}; "
                f"render_json {ph['render_json'] * 1000:.0f}"
            )
    if "growth" in results:
        g = results["growth"]
        print()
        print(
            f"marginal cost: {results['marginal_us_per_record']:.1f} us per record ((min L - min S) / (records L - records S))"
        )
        if g["time_ratio"] is None:
            print(f"growth: n/a (M is not measurably slower than S; record ratio {g['record_ratio']:.2f})")
        else:
            print(
                f"growth: (L - S) / (M - S) = {g['time_ratio']:.2f} in time vs {g['record_ratio']:.2f} in records "
                f"-> {'PASS' if g['pass'] else 'MISS'} (no faster than linear, {g['tolerance'] - 1:.0%} tolerance)"
            )


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--write-journal":
        write_journal(Path(sys.argv[2]), Path(sys.argv[3]))
        raise SystemExit(0)
    raise SystemExit(main())
