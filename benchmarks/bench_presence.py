"""What "who is here" adds to the app's poll: one presence refresh beside the poll's own stat.

Every poll (each second) the app stats the data file (``Workspace.changed_on_disk``) and,
for who is here, rewrites its presence file when due and reads the others'
(``AdvisorApp.refresh_presence``: ``Presence.heartbeat`` + ``Presence.others``). Timed
here, in turn in each round (so both see the same load):

- the stat of the poll (the anchor);
- a refresh with 3 other sessions, the heartbeat due (the most a refresh does);
- a refresh of a folder a teammate stuffed: 250 fresh crafted session files (200 are read,
  50 skipped and counted) plus 1,000 other names.

Reported: median and min in milliseconds, and each as a ratio to the stat. A report, not a
test: the exit code is 0.

Usage::

    python benchmarks/bench_presence.py [--repeat 300] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tui_advisor.store import Store
from tui_advisor.workspace.presence import Presence, presence_dir, utc_iso


def _timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=300)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        quiet = Path(tmp) / "quiet" / "agency.json"
        stuffed = Path(tmp) / "stuffed" / "agency.json"
        for path in (quiet, stuffed):
            path.parent.mkdir()
            path.write_text("{}", encoding="utf-8")
        store = Store(quiet)
        me = Presence(quiet, "me")
        others = [Presence(quiet, f"u{i}") for i in range(3)]
        for p in others:
            p.announce(review="rv-0001", page="issues")
        crowd = Presence(stuffed, "me")
        crowd.announce()
        folder = presence_dir(stuffed)
        for i in range(250):
            doc = {"user": f"x{i}", "since": utc_iso(time.time())}
            (folder / f"x{i}.json").write_text(json.dumps(doc), encoding="utf-8")
        for i in range(1000):
            (folder / f"not a session {i}").write_text("", encoding="utf-8")

        def refresh_quiet() -> None:
            me._written_at = None  # the heartbeat due: a write every time
            me.heartbeat()
            assert len(me.others()) == 3

        def refresh_stuffed() -> None:
            crowd._written_at = None
            crowd.heartbeat()
            crowd.others()

        times: dict[str, list[float]] = {"stat": [], "refresh, 3 others": [], "refresh, stuffed folder": []}
        for _ in range(args.repeat):
            times["stat"].append(_timed(store.change_token))
            times["refresh, 3 others"].append(_timed(refresh_quiet))
            if len(times["refresh, stuffed folder"]) < max(20, args.repeat // 10):
                times["refresh, stuffed folder"].append(_timed(refresh_stuffed))
            for p in others:  # the teammates' heartbeats, untimed (they stay fresh)
                p.heartbeat()
        skipped = crowd.skipped

    base = statistics.median(times["stat"])
    rows = {
        name: {
            "median_ms": statistics.median(ts) * 1000,
            "min_ms": min(ts) * 1000,
            "ratio_to_stat": statistics.median(ts) / base,
        }
        for name, ts in times.items()
    }
    if args.json:
        print(json.dumps({"rows": rows, "stuffed_skipped": skipped}, indent=2))
        return 0
    for name, row in rows.items():
        print(
            f"{name:<26} median {row['median_ms']:7.3f} ms  min {row['min_ms']:7.3f} ms  "
            f"{row['ratio_to_stat']:7.1f}x the poll's stat"
        )
    print(f"(the stuffed folder: {skipped} names skipped and counted)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
