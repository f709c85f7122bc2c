"""Time ``tui-advisor history --months 24`` on the M agency beside one ``advise`` of the same file.

The whole process ``tui-advisor history --months 24 --input agency-M.json --as-of 2026-11-26
--format json`` (25 points: 24 month ends and the as-of date) and, in turn with it (one of each
per round, so both see the same load), ``tui-advisor advise --input agency-M.json --as-of
2026-11-26 --format json``: the anchor, the price of one point with the start-up and the read
of the file. One untimed warm-up run of each checks the exit code and the JSON. Reported: min and
median wall times, the ratio history/advise and the cost of one more point
((history - advise) / 24).

Target (issue 13): history of 24 month ends on M under a second (the median). A report, not a
test: the exit code is 0 whatever the target says (2 only when a command cannot be run).

Usage::

    python benchmarks/bench_history.py [--repeat 7] [--months 24] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402  (benchmarks/generate.py)

AS_OF = "2026-11-26"
TARGET_S = 1.0


def _cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "tui_advisor", *args]


def _run(cmd: list[str]) -> float:
    t = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        print(f"failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr}", file=sys.stderr)
        raise SystemExit(2)
    return wall


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--months", type=int, default=24)
    ap.add_argument("--json", action="store_true", help="print the numbers as JSON")
    args = ap.parse_args(argv)

    path = HERE / "data" / "agency-M.json"
    if not path.exists():  # generated on the first run (git-ignored), as bench_advise.py does
        path.parent.mkdir(exist_ok=True)
        generate.write(generate.generate("M"), path)
    history = _cmd("history", "--months", str(args.months), "--input", str(path), "--as-of", AS_OF, "--format", "json")
    advise = _cmd("advise", "--input", str(path), "--as-of", AS_OF, "--format", "json")

    out = subprocess.run(history, capture_output=True, text=True)
    if out.returncode != 0:
        print(out.stderr, file=sys.stderr)
        return 2
    points = len(json.loads(out.stdout)["points"])
    _run(advise)

    h: list[float] = []
    a: list[float] = []
    for _ in range(args.repeat):
        h.append(_run(history))
        a.append(_run(advise))
    hm, am = statistics.median(h), statistics.median(a)
    result = {
        "points": points,
        "history_median_s": round(hm, 3),
        "history_min_s": round(min(h), 3),
        "advise_median_s": round(am, 3),
        "advise_min_s": round(min(a), 3),
        "ratio_median": round(hm / am, 2),
        "per_point_ms": round((hm - am) / max(1, points - 1) * 1000, 1),
        "target_s": TARGET_S,
        "met": hm < TARGET_S,
        "load_average": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
        "repeat": args.repeat,
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(
        f"history --months {args.months} on M ({points} points), {args.repeat} runs, load {result['load_average']:.2f}"
    )
    print(
        f"  history  median {hm:.3f} s, min {min(h):.3f} s   target < {TARGET_S:.1f} s: {'met' if result['met'] else 'MISSED'}"
    )
    print(f"  advise   median {am:.3f} s, min {min(a):.3f} s   (one point, the anchor)")
    print(f"  history/advise {hm / am:.2f}x; one more point {result['per_point_ms']} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
