"""How long a decision in the team review takes to appear in a teammate's app.

Two sessions on one data file in a temporary directory (HOME, XDG dirs and
TUI_ADVISOR_CONFIG point into it: no user config), as two SSH sessions would have it:

* **Ann** is a separate process that decides items the way her app does when she presses
  ctrl+s in a decision's dialog: ``ws.review.plan_decide(...)`` run to the end (the locked
  read-modify-write of the review in the data file), then it stamps the moment the write
  was done (CLOCK_MONOTONIC: one clock for every process on the host);
* **Bob** is the app itself (Textual, headless through Pilot, this process), on the
  review's issues page, polling the data file every ``--poll`` seconds (the app's
  default: 1 s) and pressing nothing.

The delay of one decision is from Ann's stamp to the moment Bob's issues table holds it
("dismissed by ann": the screen's refresh after the poll read the file; the frame follows
within the next screen update), and, as an upper bound, to the moment the Pilot driving
Bob's app saw it (it waits for the app to be idle, frames drawn). Ann waits a random time (0 to one poll interval) before each
decision, so the decisions fall anywhere in Bob's poll cycle: expected about half the poll
interval plus one read of the file and its advice (``fetch``), which is measured beside it
as the anchor.

Usage::

    python benchmarks/bench_review_latency.py [--decisions 12] [--poll 1.0] [--size demo|S|M] [--json]

A report, not a test: exit 0 whatever the numbers.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

DECIDER = r"""
import sys, time
from datetime import UTC, datetime
from pathlib import Path
from tui_advisor import model
from tui_advisor.store import Store
from tui_advisor.workspace import Workspace, load_rulebook

path, as_of = Path(sys.argv[1]), sys.argv[2]
ws = Workspace(Store(path, user="ann"), load_rulebook(), as_of=model.parse_iso_date(as_of))
ws.load()
print("ready", flush=True)
for line in sys.stdin:
    key = line.strip()
    if not key:
        break
    if ws.changed_on_disk():
        ws.load()
    review = ws.review.current()
    decision = model.Decision(
        item=key, kind="dismiss", by="ann", at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), reason="not now"
    )
    ws.review.plan_decide(review.id, decision, seen=review.decision(key)).now()
    print(f"{time.monotonic():.6f}", flush=True)
"""


def _env(tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    for name in ("HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        env[name] = str(tmp / name.lower())
    env["TUI_ADVISOR_CONFIG"] = str(tmp / "config.toml")
    env["PYTHONPATH"] = str(ROOT)
    return env


def _data_file(tmp: Path, size: str) -> Path:
    from tui_advisor import paths
    from tui_advisor.store import Store
    from tui_advisor.workspace import read_document

    path = tmp / "shared" / "agency.json"
    path.parent.mkdir()
    if size == "demo":
        doc = read_document(paths.sample_file("demo"))
    else:
        sys.path.insert(0, str(HERE))
        import generate

        doc = generate.generate(size)
    Store(path).import_document(doc, replace=True)
    return path


async def _measure(path: Path, args: argparse.Namespace, env: dict[str, str]) -> dict:
    sys.path.insert(0, str(ROOT / "tests"))
    from tui_advisor.store import Store
    from tui_advisor.workspace import Workspace, load_rulebook
    from ui.review_pilot import AS_OF, Member, app_for

    # the review, started by Ann before Bob opens his app
    ws = Workspace(Store(path, user="ann"), load_rulebook(), as_of=AS_OF)
    ws.load()
    ws.review.plan_start().now()
    fetches = []
    for _ in range(5):
        start = time.perf_counter()
        ws.fetch()
        fetches.append(time.perf_counter() - start)

    decider = subprocess.Popen(
        [sys.executable, "-c", DECIDER, str(path), AS_OF.isoformat()],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert decider.stdout is not None and decider.stdin is not None
    assert decider.stdout.readline().strip() == "ready"
    delays: list[float] = []
    noticed: list[float] = []
    shown: dict[str, float] = {}  # item -> when Bob's review screen first held its decision

    from tui_advisor.ui.screens.review import ReviewScreen

    refresh = ReviewScreen.refresh_data

    def refresh_and_stamp(screen: ReviewScreen) -> None:
        refresh(screen)
        for key in screen.decisions():
            shown.setdefault(key, time.monotonic())

    ReviewScreen.refresh_data = refresh_and_stamp  # type: ignore[method-assign]
    app = app_for(path, "bob", poll_seconds=args.poll, review=True)
    rng = random.Random(13)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            bob = Member(pilot)
            await bob.wait_until(lambda: bob.in_review(), "bob's review screen", 60)
            await bob.goto_page("issues")
            keys = [k for k in bob.keys("issues") if not k.startswith("pillar:")][: args.decisions]
            for key in keys:
                await pilot.pause(rng.uniform(0, args.poll))
                decider.stdin.write(key + "\n")
                decider.stdin.flush()
                stamp = float(await asyncio.to_thread(decider.stdout.readline))
                await bob.wait_until(lambda key=key: bob.decision_cell(key) == "dismissed by ann", key, 30)
                noticed.append(time.monotonic() - stamp)
                delays.append(shown[key] - stamp)
    finally:
        ReviewScreen.refresh_data = refresh  # type: ignore[method-assign]
        decider.stdin.close()
        decider.wait(timeout=30)
    return {
        "poll_seconds": args.poll,
        "decisions": len(delays),
        "delay_median": statistics.median(delays),
        "delay_min": min(delays),
        "delay_max": max(delays),
        "delay_mean": statistics.fmean(delays),
        "noticed_median": statistics.median(noticed),
        "noticed_max": max(noticed),
        "fetch_median": statistics.median(fetches),
        "delays": delays,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--decisions", type=int, default=12)
    parser.add_argument("--poll", type=float, default=1.0, help="Bob's app polls the data file this often (s)")
    parser.add_argument("--size", choices=("demo", "S", "M"), default="demo")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-review-") as name:
        tmp = Path(name)
        env = _env(tmp)
        os.environ.update({k: v for k, v in env.items() if k != "PYTHONPATH"})
        path = _data_file(tmp, args.size)
        result = asyncio.run(_measure(path, args, env))
    result["size"] = args.size
    result["load_average"] = os.getloadavg()[0]
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(
        f"a decision in the review, shown in a teammate's app ({args.size}, poll {args.poll:g} s, "
        f"load {result['load_average']:.1f}):"
    )
    print(
        f"  median {result['delay_median']:.2f} s, min {result['delay_min']:.2f} s, max {result['delay_max']:.2f} s, "
        f"mean {result['delay_mean']:.2f} s over {result['decisions']} decisions"
    )
    print(
        f"  noticed by the Pilot (the app idle, its frames drawn): median {result['noticed_median']:.2f} s, "
        f"max {result['noticed_max']:.2f} s"
    )
    expected = args.poll / 2 + result["fetch_median"]
    print(
        f"  anchor: half the poll interval plus one read of the file and its advice (fetch median "
        f"{result['fetch_median'] * 1000:.0f} ms) = {expected:.2f} s; the mean is {result['delay_mean'] / expected:.2f}x it"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
