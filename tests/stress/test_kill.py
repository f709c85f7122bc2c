"""kill -9 a writer at random moments: the file stays valid, nothing acknowledged is lost.

A writer process adds clients through Store.put in a loop and prints each id once
put() has returned (stdout unbuffered: what reached the pipe survives the kill).
It is killed with SIGKILL 0-30 ms after it is ready (imports done), i.e. anywhere
in a transaction: waiting for the lock, reading, writing the temporary file,
appending the audit log, linking a backup (one per write here), renaming. After
each kill:

* the data file loads and validates;
* it holds every acknowledged client, plus at most the one in flight;
* the lock is not stale: a new writer's put succeeds within a second;
* leftover temporary files (``.agency.json.*.tmp``: SIGKILL leaves no chance to
  remove them) break nothing; how many accumulate is printed.

At the end the audit log holds exactly one committed entry per revision, and the
committed entries name exactly the clients in the file.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time
from pathlib import Path

from tui_advisor import model
from tui_advisor.store import Store

KILLS = 120
SEED = int(os.environ.get("STRESS_SEED", "20261126"))

WRITER = """
    import sys

    from tui_advisor import model
    from tui_advisor.store import Store

    path, prefix = sys.argv[1:]
    store = Store(path, user="killed", backups=3, backup_minutes=0)  # a backup on every write
    print("ready", flush=True)
    i = 0
    while True:
        cid = f"{prefix}-{i:05d}"
        store.put("clients", model.Client(id=cid, name=f"Killed writer {cid}"))
        print(cid, flush=True)  # the acknowledgement
        i += 1
"""


def test_a_writer_killed_at_random_moments_loses_nothing_acknowledged(small_file: Path, script) -> None:
    path = small_file
    writer = script("kill_writer", WRITER)
    rng = random.Random(SEED)
    acked: set[str] = set()
    in_flight_committed = 0  # kills that came after the rename, before the acknowledgement
    probe_seconds: list[float] = []
    temp_counts: list[int] = []
    writes_per_run: list[int] = []
    start = time.perf_counter()
    for run in range(KILLS):
        prefix = f"c-k{run:03d}"
        errors = path.parent.parent / "writer.err"
        with open(errors, "w") as err_fh:
            proc = subprocess.Popen(writer + [str(path), prefix], stdout=subprocess.PIPE, stderr=err_fh, text=True)
        assert proc.stdout.readline().strip() == "ready", errors.read_text()
        time.sleep(rng.uniform(0, 0.030))
        os.kill(proc.pid, signal.SIGKILL)
        # read on from the same buffered stream: readline() may already hold the first acks
        # (communicate() would read the pipe underneath it and miss them)
        out = proc.stdout.read()
        proc.stdout.close()
        assert proc.wait(timeout=10) == -signal.SIGKILL, f"the writer stopped by itself: {errors.read_text()}"
        acks = out.split()
        assert acks == [f"{prefix}-{i:05d}" for i in range(len(acks))]
        writes_per_run.append(len(acks))

        # the file is valid and holds every acknowledged write, at most one more
        data = Store(path).load()
        stored = {c.id for c in data.clients if c.id.startswith(prefix + "-")}
        assert set(acks) <= stored, f"run {run}: acknowledged but lost: {sorted(set(acks) - stored)}"
        extra = stored - set(acks)
        assert extra <= {f"{prefix}-{len(acks):05d}"}, f"run {run}: unexpected {sorted(extra)}"
        in_flight_committed += len(extra)
        acked |= stored

        # no stale lock: the next writer gets in at once
        t0 = time.perf_counter()
        Store(path, lock_timeout=1.0, user="probe").put("clients", model.Client(id=f"c-probe-{run:03d}", name="Probe"))
        probe_seconds.append(time.perf_counter() - t0)
        acked.add(f"c-probe-{run:03d}")

        temp_counts.append(len(list(path.parent.glob(".agency.json.*.tmp"))))
    elapsed = time.perf_counter() - start

    store = Store(path)
    data = store.load()
    ids = {c.id for c in data.clients}
    assert ids == acked
    revision = store.revision()
    history = store.history()
    assert [e["rev"] for e in history] == list(range(1, revision + 1))  # one committed entry per revision
    logged = [c["key"] for e in history for c in e["changes"] if c["kind"] == "clients"]
    assert sorted(logged) == sorted(ids)  # the log names exactly the clients written, once each
    log_lines = len(store.log_path.read_text(encoding="utf-8").splitlines())
    for backup in store.list_backups():
        Store(backup).load()
    leftovers = sorted(path.parent.glob(".agency.json.*.tmp"))
    for tmp in leftovers:  # whole files of an earlier revision or cut ones: never read by anyone
        assert tmp.stat().st_size >= 0
    print(
        f"\n{KILLS} kills survived in {elapsed:.1f} s (seed {SEED}); writes per run: min {min(writes_per_run)}, "
        f"mean {sum(writes_per_run) / KILLS:.1f}, max {max(writes_per_run)}; runs killed before their first "
        f"ack: {writes_per_run.count(0)}; committed but unacknowledged: {in_flight_committed}; "
        f"audit lines {log_lines} for {revision} revisions ({log_lines - revision} uncommitted); "
        f"probe put after a kill: max {max(probe_seconds) * 1000:.0f} ms; "
        f"leftover temp files: {len(leftovers)} ({sum(t.stat().st_size for t in leftovers) // 1024} KB), "
        f"after runs 10/50/{KILLS}: {temp_counts[9]}/{temp_counts[49]}/{temp_counts[-1]}"
    )
    assert max(probe_seconds) < 1.0
    assert len(leftovers) <= KILLS
