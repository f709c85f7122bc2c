"""A team on one data file: write throughput, how fast a change shows up elsewhere, kill -9.

Three measurements, each with real processes on one data file in a temporary
directory (HOME, XDG dirs and TUI_ADVISOR_CONFIG point into it: no user config):

* **writers**: ``--writers`` processes (default 8) each add ``--writes`` new clients
  (default 200; ``--writes-large`` for M and L, default 10) through
  ``Workspace.save``, as app sessions do, all started at once. Reported: writes per
  second (all acknowledged writes / wall time from the start signal to the last
  write), the latency of one save (median, p95), how often a session had to read
  the file again because teammates wrote in between, and the lock: the share of
  the wall time it was held, and the mean wait for it.
* **vandal**: the writers on the demo agency while a hostile teammate deletes the
  lock file (planting a new one) and every temporary file beside the data file every
  50 ms. Every acknowledged write must be in the file.
* **delay**: one process writes (``Workspace.save`` of a new client, at random
  gaps), another is a session that polls ``Workspace.changed_on_disk()`` every
  ``interval`` and then ``fetch()`` + ``adopt()``, as the app's poll does. The delay
  is from the writer's acknowledgement (``save`` returned) to the reader having
  adopted that revision, both stamped with CLOCK_MONOTONIC (one clock for every
  process). Intervals: 50 ms and the app's default 1 s (worst case expected:
  interval + fetch time).
* **kills**: a writer (``Store.put`` of new clients in a loop, a backup on every
  write) is killed with SIGKILL 0-30 ms after it is ready, ``--kills`` times. A kill
  is survived when the file then loads, holds every acknowledged client (plus at
  most the one in flight), and a new ``Store.put`` gets the lock within 1 s.
  Leftover temporary files are counted.

Sizes: ``demo`` (the demo agency, ~75 KB as a data file), ``S``, ``M`` and ``L``
(``generate.py``; M is 4.2 MB). Each write rewrites the whole file, so the cost per
write grows with the file.

Usage::

    python benchmarks/bench_sharing.py [--sizes demo M] [--writers 8] [--writes 200] [--writes-large 10]
                                       [--delay-sizes demo M] [--delay-writes 20] [--kills 100]
                                       [--only writers vandal delay kills] [--json]

A report, not a test: exit 0 whatever the numbers (2 when a measurement cannot run).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
AS_OF = "2026-11-26"
LARGE = ("M", "L")

# ----------------------------------------------------------------------------------------- workers
# Run as ``bench_sharing.py --worker NAME ARGS...`` in child processes.


def _instrument_lock() -> dict[str, float]:
    """Time how long this process waits for the lock and holds it (measurement only)."""
    from contextlib import contextmanager

    from tui_advisor.store import store as store_mod

    stats = {"wait": 0.0, "held": 0.0}
    original = store_mod.exclusive_lock

    @contextmanager
    def timed_lock(path: Any, timeout: float = 30.0, on_wait: Any = None):
        t0 = time.perf_counter()
        with original(path, timeout, on_wait):
            t1 = time.perf_counter()
            stats["wait"] += t1 - t0
            try:
                yield
            finally:
                stats["held"] += time.perf_counter() - t1

    store_mod.exclusive_lock = timed_lock
    return stats


def _session(path: str, user: str) -> Any:
    from datetime import date

    from tui_advisor.store import Store
    from tui_advisor.workspace import Workspace, load_rulebook

    rulebook = load_rulebook()
    store = Store(path, user=user, backups=rulebook.config.backups, backup_minutes=rulebook.config.backup_minutes)
    ws = Workspace(store, rulebook, as_of=date.fromisoformat(AS_OF))
    ws.load()
    return ws


def worker_writer(path: str, n: str, writes: str, go: str, out: str) -> None:
    from tui_advisor import model

    lock = _instrument_lock()
    ws = _session(path, f"w{n}")
    print("ready", flush=True)
    while not Path(go).exists():
        time.sleep(0.002)
    latencies, errors, reloads = [], [], 0
    start = time.monotonic()
    for i in range(int(writes)):
        t0 = time.perf_counter()
        revision = ws.revision
        try:
            ws.save("clients", model.Client(id=f"c-bench-{n}-{i:04d}", name=f"Bench {n} {i}"))
        except Exception as exc:  # reported, not fatal: the parent counts them
            errors.append(f"{type(exc).__name__}: {exc}")
            continue
        latencies.append(time.perf_counter() - t0)
        reloads += ws.revision != revision + 1
    end = time.monotonic()
    Path(out).write_text(
        json.dumps(
            {
                "start": start,
                "end": end,
                "latencies": latencies,
                "errors": errors,
                "reloads": reloads,
                "lock_wait": lock["wait"],
                "lock_held": lock["held"],
            }
        )
    )


def worker_poller(path: str, interval: str, stop: str, out: str) -> None:
    """A session polling as the app does: a stat every interval, then fetch and adopt."""
    ws = _session(path, "reader")
    step = float(interval)
    adopted, fetches = [], []
    print("ready", flush=True)
    tick = time.monotonic() + step
    while not Path(stop).exists():
        now = time.monotonic()
        if tick > now:
            time.sleep(tick - now)
        tick += step
        if tick < time.monotonic():  # a fetch took longer than the interval: ticks were missed
            tick = time.monotonic() + step
        if not ws.changed_on_disk():
            continue
        t0 = time.monotonic()
        snap, advice = ws.fetch()
        if snap.revision >= ws.revision:
            ws.adopt(snap, advice)
        t1 = time.monotonic()
        fetches.append(t1 - t0)
        adopted.append([snap.revision, t1])
    Path(out).write_text(json.dumps({"adopted": adopted, "fetches": fetches}))


def worker_paced(path: str, count: str, gap_min: str, gap_max: str, seed: str, out: str) -> None:
    """Write new clients at random gaps; stamp each acknowledgement."""
    from tui_advisor import model

    ws = _session(path, "writer")
    rng = random.Random(int(seed))
    acks = []
    print("ready", flush=True)
    for i in range(int(count)):
        time.sleep(rng.uniform(float(gap_min), float(gap_max)))
        ws.save("clients", model.Client(id=f"c-paced-{i:04d}", name=f"Paced {i}"))
        acks.append([ws.store.last_revision, time.monotonic()])
    Path(out).write_text(json.dumps({"acks": acks}))


def worker_killed(path: str, prefix: str) -> None:
    from tui_advisor import model
    from tui_advisor.store import Store

    store = Store(path, user="killed", backups=3, backup_minutes=0)  # a backup on every write
    print("ready", flush=True)
    i = 0
    while True:
        cid = f"{prefix}-{i:05d}"
        store.put("clients", model.Client(id=cid, name=f"Killed writer {cid}"))
        print(cid, flush=True)
        i += 1


WORKERS = {"writer": worker_writer, "poller": worker_poller, "paced": worker_paced, "killed": worker_killed}

# ------------------------------------------------------------------------------------- the parent


def _cmd(worker: str, *args: Any) -> list[str]:
    return [sys.executable, "-u", str(Path(__file__).resolve()), "--worker", worker, *map(str, args)]


def _start(cmds: list[list[str]]) -> list[subprocess.Popen]:
    procs = [subprocess.Popen(c, stdout=subprocess.PIPE, text=True) for c in cmds]
    for p in procs:
        line = p.stdout.readline().strip()
        if line != "ready":
            for q in procs:
                q.kill()
            raise RuntimeError(f"a worker did not start: {line!r}")
    return procs


def make_store(size: str, path: Path) -> dict[str, Any]:
    """A data file holding the agency of ``size``; its size and records."""
    sys.path.insert(0, str(HERE))
    from tui_advisor import paths
    from tui_advisor.store import Store
    from tui_advisor.workspace import read_document

    import generate

    if size == "demo":
        source = paths.sample_file("demo")
    else:
        source = generate.default_path(size)
        if not source.exists():
            subprocess.run(
                [sys.executable, str(HERE / "generate.py"), size, "-o", str(source)],
                check=True,
                stdout=subprocess.DEVNULL,
            )
    path.parent.mkdir(parents=True, exist_ok=True)
    for f in path.parent.iterdir():
        if f.is_file():
            f.unlink()
    import shutil

    shutil.rmtree(path.with_name(path.name + ".backups"), ignore_errors=True)
    doc = read_document(source)
    Store(path, user="owner").import_document(doc, replace=True)
    return {"bytes": path.stat().st_size, "records": generate.record_count(doc)}


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def _vandal(path: Path, stop: threading.Event, counts: dict[str, int]) -> None:
    """A hostile teammate: every 50 ms, delete the lock file (and plant a new one) and every
    temporary file beside the data file (a live writer's among them)."""
    lock = path.with_name(path.name + ".lock")
    while not stop.is_set():
        for p in [lock, *path.parent.glob(f".{path.name}.*.tmp")]:
            try:
                p.unlink()
                counts["temp" if p != lock else "lock"] += 1
            except OSError:
                pass
        try:
            lock.write_text("")
        except OSError:
            pass
        time.sleep(0.05)


def bench_writers(size: str, path: Path, writers: int, writes: int, vandal: bool = False) -> dict[str, Any]:
    info = make_store(size, path)
    work = path.parent.parent / "work"
    work.mkdir(exist_ok=True)
    go = work / "go"
    go.unlink(missing_ok=True)
    outs = [work / f"writer-{n}.json" for n in range(writers)]
    procs = _start([_cmd("writer", path, n, writes, go, outs[n]) for n in range(writers)])
    stop, deleted = threading.Event(), {"lock": 0, "temp": 0}
    thread = threading.Thread(target=_vandal, args=(path, stop, deleted)) if vandal else None
    if thread:
        thread.start()
    t0 = time.monotonic()
    go.touch()
    codes = [p.wait() for p in procs]
    wall_parent = time.monotonic() - t0
    if thread:
        stop.set()
        thread.join()
    results = [json.loads(o.read_text()) for o in outs if o.exists()]
    if any(codes) or len(results) != writers:
        raise RuntimeError(f"writers exited with {codes}")
    wall = max(r["end"] for r in results) - t0
    lat = [x for r in results for x in r["latencies"]]
    errors = [e for r in results for e in r["errors"]]
    from tui_advisor.store import Store

    stored = Store(path).load()
    present = sum(1 for c in stored.clients if c.id.startswith("c-bench-"))
    return {
        "vandal": deleted if vandal else None,
        "size": size,
        "file_bytes_before": info["bytes"],
        "file_bytes_after": path.stat().st_size,
        "records": info["records"],
        "writers": writers,
        "writes_each": writes,
        "acknowledged": len(lat),
        "present": present,
        "errors": len(errors),
        "error_samples": errors[:3],
        "wall_s": wall,
        "wall_parent_s": wall_parent,
        "writes_per_s": len(lat) / wall,
        "save_median_ms": statistics.median(lat) * 1000 if lat else float("nan"),
        "save_p95_ms": _pct(lat, 0.95) * 1000,
        "reloads": sum(r["reloads"] for r in results),
        "lock_held_share": sum(r["lock_held"] for r in results) / wall,
        "lock_wait_mean_ms": sum(r["lock_wait"] for r in results) / max(1, len(lat)) * 1000,
        "lock_held_mean_ms": sum(r["lock_held"] for r in results) / max(1, len(lat)) * 1000,
    }


def bench_delay(size: str, path: Path, interval: float, count: int, seed: int) -> dict[str, Any]:
    info = make_store(size, path)
    work = path.parent.parent / "work"
    work.mkdir(exist_ok=True)
    stop, r_out, w_out = work / "stop", work / "poller.json", work / "paced.json"
    stop.unlink(missing_ok=True)
    reader = _start([_cmd("poller", path, interval, stop, r_out)])[0]
    gap = (max(0.1, interval * 0.5), max(0.3, interval * 1.5))
    writer = _start([_cmd("paced", path, count, gap[0], gap[1], seed, w_out)])[0]
    if writer.wait() != 0:
        reader.kill()
        raise RuntimeError("the paced writer failed")
    time.sleep(interval * 2 + 1.5)  # time for the last change to arrive
    stop.touch()
    reader.wait()
    acks = json.loads(w_out.read_text())["acks"]
    polled = json.loads(r_out.read_text())
    adopted = polled["adopted"]
    delays, missed = [], 0
    for rev, t_ack in acks:
        seen = [t for r, t in adopted if r >= rev]
        if not seen:
            missed += 1
            continue
        delays.append(min(seen) - t_ack)
    fetches = polled["fetches"]
    return {
        "size": size,
        "file_bytes": info["bytes"],
        "interval_s": interval,
        "writes": len(acks),
        "missed": missed,
        "delay_min_ms": min(delays) * 1000,
        "delay_median_ms": statistics.median(delays) * 1000,
        "delay_p95_ms": _pct(delays, 0.95) * 1000,
        "delay_max_ms": max(delays) * 1000,
        "fetch_median_ms": statistics.median(fetches) * 1000 if fetches else float("nan"),
        "expected_worst_ms": (interval + (statistics.median(fetches) if fetches else 0)) * 1000,
    }


def bench_kills(size: str, path: Path, kills: int, seed: int) -> dict[str, Any]:
    from tui_advisor import model
    from tui_advisor.store import Store, StoreError

    info = make_store(size, path)
    rng = random.Random(seed)
    survived, failures, before_first_ack, in_flight, writes = 0, [], 0, 0, 0
    start = time.perf_counter()
    for run in range(kills):
        prefix = f"c-k{run:04d}"
        err_path = path.parent.parent / "killed.err"
        with open(err_path, "w") as err_fh:
            proc = subprocess.Popen(_cmd("killed", path, prefix), stdout=subprocess.PIPE, stderr=err_fh, text=True)
        if proc.stdout.readline().strip() != "ready":
            raise RuntimeError(f"the writer did not start: {err_path.read_text()[-500:]}")
        time.sleep(rng.uniform(0, 0.030))
        os.kill(proc.pid, signal.SIGKILL)
        # read on from the same buffered stream: readline() may already hold the first acks
        # (communicate() would read the pipe underneath it and miss them)
        out = proc.stdout.read()
        proc.stdout.close()
        proc.wait()
        _err = err_path.read_text()
        acks = out.split()
        writes += len(acks)
        before_first_ack += not acks
        problems = []
        try:
            stored = {c.id for c in Store(path).load().clients if c.id.startswith(prefix + "-")}
            lost = set(acks) - stored
            extra = stored - set(acks) - {f"{prefix}-{len(acks):05d}"}
            in_flight += len(stored - set(acks)) - len(extra)
            if lost:
                problems.append(f"lost {sorted(lost)}")
            if extra:
                problems.append(f"unexpected {sorted(extra)}")
        except StoreError as exc:
            problems.append(f"unreadable: {exc}")
        try:
            t0 = time.perf_counter()
            Store(path, lock_timeout=1.0, user="probe").put(
                "clients", model.Client(id=f"c-probe-{run:04d}", name="Probe")
            )
            if time.perf_counter() - t0 > 1.0:
                problems.append("the next writer waited over 1 s")
        except StoreError as exc:
            problems.append(f"next writer failed: {exc}")
        if problems:
            failures.append({"run": run, "problems": problems, "stdout": out[-300:], "stderr": _err[-300:]})
        else:
            survived += 1
    elapsed = time.perf_counter() - start
    leftovers = list(path.parent.glob(f".{path.name}.*.tmp"))
    store = Store(path)
    history = store.history()
    revision = store.revision()
    log_lines = len(store.log_path.read_text(encoding="utf-8").splitlines())
    return {
        "size": size,
        "file_bytes": info["bytes"],
        "kills": kills,
        "survived": survived,
        "failures": failures[:10],
        "seconds": elapsed,
        "acknowledged_writes": writes,
        "killed_before_first_ack": before_first_ack,
        "committed_unacknowledged": in_flight,
        "temp_files_left": len(leftovers),
        "temp_bytes_left": sum(f.stat().st_size for f in leftovers),
        "revision": revision,
        "history_complete": [e["rev"] for e in history] == list(range(1, revision + 1)),
        "uncommitted_log_lines": log_lines - revision,
    }


def _isolate(tmp: Path) -> None:
    home = tmp / "home"
    home.mkdir()
    os.environ.update(
        {
            "HOME": str(home),
            "XDG_DATA_HOME": str(home / "data"),
            "XDG_CONFIG_HOME": str(home / "config"),
            "TUI_ADVISOR_CONFIG": str(home / "config" / "tui-advisor" / "config.toml"),
            "TUI_ADVISOR_DATA": str(home / "data" / "tui-advisor" / "agency.json"),
        }
    )


def _mb(n: int) -> str:
    return f"{n / 1e6:.2f} MB" if n >= 1e6 else f"{n / 1e3:.0f} KB"


def print_table(results: dict[str, Any]) -> None:
    print(f"bench_sharing  ({results['python']}, {results['platform']}, {results['cpus']} CPUs)")
    if results["writers"]:
        print("\nConcurrent writers (Workspace.save of new clients, all at once)")
        print(
            f"{'size':<6} {'file':>17} {'writers x writes':>17} {'wall s':>7} {'writes/s':>9} "
            f"{'save p50/p95 ms':>16} {'re-reads':>9} {'lock held':>10} {'wait ms':>8} {'held ms':>8}  ok"
        )
        for r in results["writers"]:
            if r.get("vandal"):
                print(
                    f"  (below: a teammate deleting the lock file and every temporary file every 50 ms: "
                    f"{r['vandal']['lock']} lock files and {r['vandal']['temp']} temporary files deleted)"
                )
            ok = (
                "yes"
                if r["errors"] == 0 and r["present"] == r["writers"] * r["writes_each"]
                else f"NO ({r['errors']} errors, {r['present']} present)"
            )
            print(
                f"{r['size']:<6} {_mb(r['file_bytes_before']) + '->' + _mb(r['file_bytes_after']):>17} "
                f"{str(r['writers']) + ' x ' + str(r['writes_each']):>17} {r['wall_s']:>7.1f} "
                f"{r['writes_per_s']:>9.1f} {r['save_median_ms']:>7.0f} / {r['save_p95_ms']:<6.0f} "
                f"{r['reloads']:>9} {r['lock_held_share'] * 100:>9.0f}% {r['lock_wait_mean_ms']:>8.0f} "
                f"{r['lock_held_mean_ms']:>8.1f}  {ok}"
            )
    if results["delay"]:
        print("\nA teammate's change in another session (writer's ack -> poller adopted it)")
        print(
            f"{'size':<6} {'file':>9} {'interval':>9} {'writes':>7} {'min ms':>7} {'p50 ms':>7} {'p95 ms':>7} "
            f"{'max ms':>7} {'fetch ms':>9} {'interval+fetch':>15}"
        )
        for r in results["delay"]:
            print(
                f"{r['size']:<6} {_mb(r['file_bytes']):>9} {r['interval_s'] * 1000:>7.0f}ms {r['writes']:>7} "
                f"{r['delay_min_ms']:>7.0f} {r['delay_median_ms']:>7.0f} {r['delay_p95_ms']:>7.0f} "
                f"{r['delay_max_ms']:>7.0f} {r['fetch_median_ms']:>9.0f} {r['expected_worst_ms']:>13.0f}ms"
                + (f"  ({r['missed']} never seen)" if r["missed"] else "")
            )
    if results["kills"]:
        r = results["kills"]
        print(
            f"\nkill -9 loop ({r['size']}, {_mb(r['file_bytes'])}): {r['survived']}/{r['kills']} kills survived "
            f"in {r['seconds']:.1f} s; {r['acknowledged_writes']} acknowledged writes, "
            f"{r['killed_before_first_ack']} runs killed before their first ack, "
            f"{r['committed_unacknowledged']} committed but unacknowledged; audit log complete: "
            f"{'yes' if r['history_complete'] else 'NO'} ({r['uncommitted_log_lines']} uncommitted lines "
            f"ignored); temp files left: {r['temp_files_left']} ({_mb(r['temp_bytes_left'])})"
        )
        for f in r["failures"]:
            print(f"  run {f['run']}: {'; '.join(f['problems'])}")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--worker"]:
        WORKERS[argv[1]](*argv[2:])
        return 0
    sizes = ["demo", "S", "M", "L"]
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="+", default=["demo", "M"], choices=sizes, help="for the writers")
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--writes", type=int, default=200, help="writes per writer (demo, S)")
    parser.add_argument("--writes-large", type=int, default=10, help="writes per writer on M and L")
    parser.add_argument("--delay-sizes", nargs="+", default=["demo", "M"], choices=sizes)
    parser.add_argument("--intervals", nargs="+", type=float, default=[0.05, 1.0], help="poll intervals, s")
    parser.add_argument("--delay-writes", type=int, default=20, help="writes per delay measurement")
    parser.add_argument("--kills", type=int, default=100)
    parser.add_argument("--kill-size", default="demo", choices=sizes)
    parser.add_argument(
        "--only",
        nargs="+",
        choices=["writers", "vandal", "delay", "kills"],
        default=["writers", "vandal", "delay", "kills"],
    )
    parser.add_argument("--seed", type=int, default=20261126)
    parser.add_argument("--json", action="store_true", help="print machine-readable results instead of the table")
    args = parser.parse_args(argv)
    log = (lambda *a: print(*a, file=sys.stderr, flush=True)) if args.json else (lambda *a: print(*a, flush=True))

    results: dict[str, Any] = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "writers": [],
        "delay": [],
        "kills": None,
    }
    with tempfile.TemporaryDirectory(prefix="bench-sharing-") as tmp:
        _isolate(Path(tmp))
        path = Path(tmp) / "shared" / "agency.json"
        try:
            if "writers" in args.only:
                for size in args.sizes:
                    writes = args.writes_large if size in LARGE else args.writes
                    log(f"writers: {size}, {args.writers} x {writes} ...")
                    results["writers"].append(bench_writers(size, path, args.writers, writes))
            if "vandal" in args.only:
                log(f"writers with a vandal: demo, {args.writers} x {args.writes} ...")
                results["writers"].append(bench_writers("demo", path, args.writers, args.writes, vandal=True))
            if "delay" in args.only:
                for size in args.delay_sizes:
                    for interval in args.intervals:
                        log(f"delay: {size}, polling every {interval * 1000:.0f} ms ...")
                        results["delay"].append(bench_delay(size, path, interval, args.delay_writes, args.seed))
            if "kills" in args.only:
                log(f"kills: {args.kills} on {args.kill_size} ...")
                results["kills"] = bench_kills(args.kill_size, path, args.kills, args.seed)
        except (RuntimeError, OSError) as exc:
            print(f"bench_sharing: {exc}", file=sys.stderr)
            return 2
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print()
        print_table(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
