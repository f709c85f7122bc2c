"""What the field-level merge costs: a save that meets a teammate's change, and the poll's look
for overwrites.

Timed in turn in each round (so both see the same load), on the demo agency and on the
synthetic M file (``generate.py``):

- **plain**: a session's save of a client it read, nobody else wrote in between (the anchor);
- **after**: the same save after a teammate saved another client (the file must be read
  again, in the save and for the screens, as for any save after a teammate's);
- **merged**: the same save after a teammate changed another field of that client: the
  store's Conflict, the audit log's tail read for who changed what, the three-way merge and
  the merged record checked, all in the save's one transaction; the teammate's save is not
  timed;
- **overwrites**: ``Workspace.overwrites_since`` after one teammate save on a log of 2,000
  entries (50 on M, besides its import's), as the app's poll asks it when a teammate's
  change came in.

Reported: median and min in milliseconds, and merged/after (what merging adds to a save that
meets a teammate's write), merged/plain, overwrites/plain. A report, not a test: exit code 0.

Usage::

    python benchmarks/bench_merge.py [--sizes demo M] [--repeat 15] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def _document(size: str) -> Any:
    if size == "demo":
        from tui_advisor import paths
        from tui_advisor.workspace import read_document

        return read_document(paths.sample_file("demo"))
    import generate

    return generate.generate(size)


def measure(size: str, repeat: int) -> dict[str, Any]:
    from tui_advisor.store import Store
    from tui_advisor.workspace import Workspace, load_rulebook

    folder = Path(tempfile.mkdtemp(prefix="bench-merge-"))
    path = folder / "agency.json"
    Store(path, backups=0).import_document(_document(size), replace=True)
    rulebook = load_rulebook()
    ann = Workspace(Store(path, user="ann", backups=0), rulebook, as_of=date(2026, 11, 26))
    sam = Store(path, user="sam", backups=0)
    ann.load()
    cid, other = ann.records("clients")[0].id, ann.records("clients")[1].id
    client = next(x for x in sam.load().clients if x.id == cid)
    for i in range(2000 if size == "demo" else 50):  # a log of some length (each entry one client)
        client = replace(client, note=f"n{i}")
        sam.put("clients", client)
    ann.load()
    times: dict[str, list[float]] = {"plain": [], "after": [], "merged": [], "overwrites": []}
    for i in range(repeat):
        # plain: nobody wrote since ann read it
        opened = next(x for x in ann.records("clients") if x.id == cid)
        start = time.perf_counter()
        ann.save("clients", replace(opened, enjoy=1 + i % 5), original=opened)
        times["plain"].append(time.perf_counter() - start)
        # after: sam saved another client meanwhile
        opened = next(x for x in ann.records("clients") if x.id == cid)
        stored = next(x for x in sam.load().clients if x.id == other)
        sam.put("clients", replace(stored, note=f"other {i}"))
        start = time.perf_counter()
        ann.save("clients", replace(opened, enjoy=1 + (i + 1) % 5), original=opened)
        times["after"].append(time.perf_counter() - start)
        # merged: sam changed the industry meanwhile
        opened = next(x for x in ann.records("clients") if x.id == cid)
        seen = ann.meta_of("clients", opened).rev
        stored = next(x for x in sam.load().clients if x.id == cid)
        sam.put("clients", replace(stored, industry=f"Industry {i}"))
        start = time.perf_counter()
        w = ann.plan_save("clients", replace(opened, industry_fit=1 + i % 5), original=opened, seen_rev=seen)
        w.now()
        times["merged"].append(time.perf_counter() - start)
        assert w.merging is not None and w.merging.merged, "the save did not merge"
        # overwrites: the poll's look after a teammate's save
        before = ann.revision
        stored = next(x for x in sam.load().clients if x.id == cid)
        sam.put("clients", replace(stored, note=f"poll {i}"))
        ann.load()
        start = time.perf_counter()
        ann.overwrites_since(before)
        times["overwrites"].append(time.perf_counter() - start)
    out: dict[str, Any] = {"size": size, "file_bytes": path.stat().st_size, "repeat": repeat}
    for name, values in times.items():
        out[name] = {"median_ms": statistics.median(values) * 1000, "min_ms": min(values) * 1000}
    plain = out["plain"]["median_ms"]
    out["merged_over_after"] = out["merged"]["median_ms"] / out["after"]["median_ms"]
    out["merged_over_plain"] = out["merged"]["median_ms"] / plain
    out["overwrites_over_plain"] = out["overwrites"]["median_ms"] / plain
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["demo", "M"])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = [measure(size, args.repeat) for size in args.sizes]
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    for r in results:
        print(f"{r['size']} ({r['file_bytes'] / 1e6:.2f} MB), {r['repeat']} rounds:")
        for name in ("plain", "after", "merged", "overwrites"):
            print(f"  {name:<10} median {r[name]['median_ms']:8.2f} ms   min {r[name]['min_ms']:8.2f} ms")
        print(
            f"  merged/after {r['merged_over_after']:.2f}x   merged/plain {r['merged_over_plain']:.2f}x   "
            f"overwrites/plain {r['overwrites_over_plain']:.3f}x"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
