"""Time ``tui-advisor advise`` end to end on synthetic agencies of three sizes.

For each size (S, M, L; see ``generate.py``) the whole process
``tui-advisor advise --input FILE --as-of 2026-11-26 --format json`` is run
``--repeat`` times (after one untimed warm-up run that also checks the exit code
and that the output is JSON), and the min and median wall times are reported,
next to the start-up time of a bare ``python -c pass``.

Derived figures:

* per record: (median - python startup) / records, in microseconds;
* marginal cost: (min_L - min_S) / (records_L - records_S);
* growth: (min_L - min_S) / (min_M - min_S) against the same ratio of record
  counts; a time ratio no larger than the record ratio (+15% for noise) means
  the cost grows no faster than linearly.

Targets (median): L < 2 s, M < 0.5 s. This is a report, not a test: the exit
code is 0 whatever the targets say (2 only when ``advise`` cannot be run).

Usage::

    python benchmarks/bench_advise.py [--repeat 5] [--sizes S M L] [--json] [--regenerate]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402  (benchmarks/generate.py)

AS_OF = "2026-11-26"
TARGETS = {"L": 2.0, "M": 0.5}  # seconds, compared with the median
GROWTH_TOLERANCE = 1.15


def advise_command() -> list[str]:
    script = Path(sys.executable).parent / "tui-advisor"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "tui_advisor"]


def run_once(cmd: list[str], capture: bool = False) -> tuple[float, int, int, bytes, bytes]:
    """Run ``cmd``; return (wall seconds, exit code, peak RSS in KiB or -1, stdout, stderr)."""
    out = subprocess.PIPE if capture else subprocess.DEVNULL
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=out, stderr=out, stdin=subprocess.DEVNULL, cwd=ROOT)
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


def count_records(path: Path) -> int:
    """The records of a data file, counted in a child process (see above)."""
    code = (
        "import json, sys; sys.path.insert(0, sys.argv[1]); import generate; "
        "print(generate.record_count(json.load(open(sys.argv[2], encoding='utf-8'))))"
    )
    out = subprocess.run([sys.executable, "-c", code, str(HERE), str(path)], check=True, capture_output=True, text=True)
    return int(out.stdout)


def timed(cmd: list[str], repeat: int) -> dict[str, Any]:
    times, rss = [], []
    for _ in range(repeat):
        wall, rc, peak, _o, _e = run_once(cmd)
        if rc != 0:
            raise RuntimeError(f"{' '.join(cmd)} exited with {rc}")
        times.append(wall)
        rss.append(peak)
    return {"min": min(times), "median": statistics.median(times), "times": times, "max_rss_kib": max(rss)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time `tui-advisor advise` on synthetic agencies of three sizes.")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per size (default 5)")
    parser.add_argument("--sizes", nargs="+", default=list(generate.SIZES), type=str.upper, choices=list(generate.SIZES))
    parser.add_argument("--json", action="store_true", help="print machine-readable results instead of the table")
    parser.add_argument("--regenerate", action="store_true", help="regenerate the data files even if present")
    args = parser.parse_args(argv)
    repeat = max(1, args.repeat)
    log = (lambda *a: print(*a, file=sys.stderr)) if args.json else print

    base = advise_command()
    results: dict[str, Any] = {
        "as_of": AS_OF,
        "command": base + ["advise", "--input", "FILE", "--as-of", AS_OF, "--format", "json"],
        "repeat": repeat,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "targets_s": TARGETS,
        "sizes": {},
    }

    # The data files.
    paths: dict[str, Path] = {}
    for s in args.sizes:
        path = generate.default_path(s)
        if args.regenerate or not path.exists():
            # In a child process, so that this one stays small (a child inherits
            # the parent's peak RSS in its rusage on Linux).
            t0 = time.perf_counter()
            subprocess.run([sys.executable, str(HERE / "generate.py"), s, "-o", str(path)], check=True,
                           stdout=subprocess.DEVNULL)
            log(f"generated {path.relative_to(ROOT)} in {time.perf_counter() - t0:.2f} s")
        paths[s] = path

    # Baseline: the interpreter's start-up.
    baseline = timed([sys.executable, "-c", "pass"], repeat)
    results["python_startup"] = {k: baseline[k] for k in ("min", "median", "times")}

    for s in args.sizes:
        path = paths[s]
        records = count_records(path)
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
        r = timed(cmd, repeat)
        r.update(
            records=records,
            file_bytes=path.stat().st_size,
            output_bytes=len(out),
            output_is_json=out_ok,
            us_per_record=(r["median"] - baseline["median"]) / records * 1e6,
        )
        if s in TARGETS:
            r["target_s"] = TARGETS[s]
            r["pass"] = r["median"] < TARGETS[s]
        results["sizes"][s] = r

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

    print()
    print(f"tui-advisor advise --as-of {AS_OF} --format json   ({repeat} runs per size, Python {results['python']})")
    print(f"python -c pass: min {baseline['min'] * 1000:.0f} ms, median {baseline['median'] * 1000:.0f} ms")
    print()
    head = f"{'size':<5}{'records':>10}{'file MB':>9}{'min s':>9}{'median s':>10}{'us/rec':>9}{'RSS MB':>9}   target"
    print(head)
    print("-" * (len(head) + 14))
    for s, r in sz.items():
        target = ""
        if "target_s" in r:
            target = f"< {r['target_s']:g} s  {'PASS' if r['pass'] else 'MISS'}"
        rss = f"{r['max_rss_kib'] / 1024:.0f}" if r["max_rss_kib"] >= 0 else "-"
        print(f"{s:<5}{r['records']:>10,}{r['file_bytes'] / 1e6:>9.1f}{r['min']:>9.3f}{r['median']:>10.3f}"
              f"{r['us_per_record']:>9.1f}{rss:>9}   {target}")
    if "growth" in results:
        g = results["growth"]
        print()
        print(f"marginal cost: {results['marginal_us_per_record']:.1f} us per record ((min L - min S) / (records L - records S))")
        if g["time_ratio"] is None:
            print(f"growth: n/a (M is not measurably slower than S; record ratio {g['record_ratio']:.2f})")
        else:
            print(f"growth: (L - S) / (M - S) = {g['time_ratio']:.2f} in time vs {g['record_ratio']:.2f} in records "
                  f"-> {'PASS' if g['pass'] else 'MISS'} (no faster than linear, {g['tolerance'] - 1:.0%} tolerance)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
