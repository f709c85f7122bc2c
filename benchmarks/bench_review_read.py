"""What a stored review costs a read: ``advise --input`` on the M agency with twelve closed reviews
beside the same file without them.

A file holding reviews is read by the complete validator (the fast msgspec decoder of issue 11
leaves the reviews' times, lists and objects to it: docs/data-format.md, "reviews"). This measures
what that costs on M: ``tui-advisor advise --input agency-M.json`` and ``--input
agency-M-reviews.json`` (a year of monthly reviews: 30 items and 10 decisions each), one of each
per round, in turn, so both see the same load. Reported: min and median wall times and the ratio
with/without. A report, not a test: exit 0 whatever the numbers (2 only when a command fails).

Usage::

    python benchmarks/bench_review_read.py [--repeat 7] [--json]
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


def _cmd(path: Path) -> list[str]:
    return [sys.executable, "-m", "tui_advisor", "advise", "--input", str(path), "--as-of", AS_OF, "--format", "json"]


def _run(cmd: list[str]) -> float:
    t = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        print(f"failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr}", file=sys.stderr)
        raise SystemExit(2)
    return wall


def _with_reviews(doc: dict, n: int = 12) -> dict:
    reviews = []
    for i in range(n):
        month = i + 1
        items = [
            {"key": f"RULE{j:03d}:subject {j}", "title": f"Item {j}", "severity": "warning", "pillar": "cash"}
            for j in range(30)
        ]
        decisions = [
            {"item": f"RULE{j:03d}:subject {j}", "kind": "park", "by": "sam", "at": f"2026-{month:02d}-01T10:0{j}:00Z"}
            for j in range(10)
        ]
        reviews.append(
            {
                "id": f"rv-{i + 1:04d}",
                "started": f"2026-{month:02d}-01T09:00:00Z",
                "by": "sam",
                "leader": "sam",
                "as_of": f"2026-{month:02d}-01",
                "closed": f"2026-{month:02d}-01T11:00:00Z",
                "attendees": ["sam", "kim", "alex"],
                "score": 50,
                "pillars": {"cash": 63, "key_client": 40},
                "metrics": {"cash_balance": 48000.0, "win_rate": None},
                "items": items,
                "decisions": decisions,
            }
        )
    return {**doc, "reviews": reviews}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--json", action="store_true", help="print the numbers as JSON")
    args = ap.parse_args(argv)

    plain = HERE / "data" / "agency-M.json"
    if not plain.exists():
        generate.write(generate.generate("M"), plain)
    reviewed = HERE / "data" / "agency-M-reviews.json"
    reviewed.write_text(json.dumps(_with_reviews(json.loads(plain.read_text(encoding="utf-8")))), encoding="utf-8")
    for path in (plain, reviewed):
        _run(_cmd(path))  # warm-up: the exit code
    times: dict[str, list[float]] = {"without": [], "with": []}
    for _ in range(args.repeat):
        times["without"].append(_run(_cmd(plain)))
        times["with"].append(_run(_cmd(reviewed)))
    result = {
        "repeat": args.repeat,
        "load_average": os.getloadavg()[0],
        **{f"{k}_median_s": round(statistics.median(v), 3) for k, v in times.items()},
        **{f"{k}_min_s": round(min(v), 3) for k, v in times.items()},
    }
    result["ratio_median"] = round(result["with_median_s"] / result["without_median_s"], 2)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"advise --input on M, {args.repeat} runs each, load {result['load_average']:.2f}")
        print(f"  without reviews: median {result['without_median_s']:.3f} s (min {result['without_min_s']:.3f})")
        print(f"  12 reviews:      median {result['with_median_s']:.3f} s (min {result['with_min_s']:.3f})")
        print(f"  ratio with/without: {result['ratio_median']:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
