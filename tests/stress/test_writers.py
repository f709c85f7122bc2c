"""Eight processes write to one data file at once through Workspace, as eight app sessions would.

Each writer makes WRITES writes: ADDS new clients (unique ids), DELETES deletes of
clients set aside for it, and the rest conflict-checked edits (``original=``) of a
client only it touches. A reader process loads the file in a loop meanwhile.
Afterwards every acknowledged write is in the file, the counts are exact, the
file validates, and the audit log holds exactly one committed entry per write.

Each write rewrites the whole file (and a session that sees a teammate's write
reads the whole file again), so the agency starts small: only a profile (the
file grows to ~200 KB). From the demo agency (~50 KB to ~245 KB) the same run
took 87-97 s on 2 busy cores: each write holds the lock for a whole-file read and
rewrite, and the sessions re-reading the file compete with the lock holder for
the CPU (see benchmarks/README.md, "Sharing").
"""

from __future__ import annotations

import json
import subprocess
import time
from collections import Counter
from pathlib import Path

from tui_advisor import model
from tui_advisor.store import Store

WRITERS = 8
WRITES = 200
ADDS = 150
DELETES = 5
EDITS = WRITES - ADDS - DELETES

WRITER = """
    import json, random, sys, time, traceback
    from dataclasses import replace
    from datetime import date
    from pathlib import Path

    from tui_advisor import model

    from tui_advisor.workspace import load_rulebook
    from tui_advisor.store import Store
    from tui_advisor.workspace import Workspace

    path, n, writes, adds, deletes, go, out = sys.argv[1:]
    n, writes, adds, deletes = int(n), int(writes), int(adds), int(deletes)
    rulebook = load_rulebook()
    # as cli._store builds it for the app: the backup policy of the config
    store = Store(path, user=f"w{n}", backups=rulebook.config.backups,
                  backup_minutes=rulebook.config.backup_minutes)
    ws = Workspace(store, rulebook, as_of=date(2026, 11, 26))
    ws.load()
    plan = ["add"] * adds + ["delete"] * deletes + ["edit"] * (writes - adds - deletes)
    random.Random(n).shuffle(plan)
    doomed = [f"c-w{n}-doomed-{k}" for k in range(deletes)]
    print("ready", flush=True)
    while not Path(go).exists():
        time.sleep(0.005)

    def mine(cid):
        return next(c for c in ws.records("clients") if c.id == cid)

    acks, errors, reloads = [], [], 0
    start = time.perf_counter()
    with open(out, "w", encoding="utf-8") as fh:
        for i, op in enumerate(plan):
            try:
                revision = ws.revision
                if op == "add":
                    key, value = f"c-w{n}-{i:03d}", f"Writer {n} client {i}"
                    ws.save("clients", model.Client(id=key, name=value, industry="Stress"))
                elif op == "edit":
                    key, value = f"c-w{n}-edit", f"Writer {n} edit {i}"
                    current = mine(key)
                    ws.save("clients", replace(current, name=value, enjoy=i % 5 + 1), original=current)
                else:
                    key, value = doomed.pop(), None
                    ws.delete("clients", mine(key))
                reloads += ws.revision != revision + 1  # teammates wrote in between: read again
            except Exception as exc:
                errors.append({"i": i, "op": op, "key": key, "error": f"{type(exc).__name__}: {exc}",
                               "trace": traceback.format_exc()})
                continue
            acks.append({"i": i, "op": op, "key": key, "value": value, "rev": store.last_revision})
        fh.write(json.dumps({"acks": acks, "errors": errors, "reloads": reloads,
                             "seconds": time.perf_counter() - start}))
"""

READER = """
    import json, sys, time
    from pathlib import Path

    from tui_advisor.store import Store, StoreError

    path, stop, out = sys.argv[1:]
    store = Store(path)
    loads, errors, backwards, last, revisions = 0, [], 0, 0, set()
    print("ready", flush=True)
    while not Path(stop).exists():
        try:
            snap = store.snapshot()  # the whole file, validated
        except StoreError as exc:
            errors.append(str(exc))
            continue
        loads += 1
        time.sleep(0.005)  # a busy loop would take a whole core from the writers
        if snap.revision < last:
            backwards += 1
        last = snap.revision
        revisions.add(snap.revision)
    Path(out).write_text(json.dumps({"loads": loads, "errors": errors[:20], "n_errors": len(errors),
                                     "backwards": backwards, "distinct": len(revisions)}))
"""


def seed(path: Path) -> int:
    """Give each writer a client to edit and clients to delete, in one transaction."""
    doc = {
        "format": model.FORMAT,
        "version": model.VERSION,
        "clients": [{"id": f"c-w{n}-edit", "name": f"Writer {n} edit start"} for n in range(WRITERS)]
        + [{"id": f"c-w{n}-doomed-{k}", "name": "Doomed"} for n in range(WRITERS) for k in range(DELETES)],
    }
    store = Store(path, user="owner")
    store.import_document(doc)
    return store.revision()


def test_eight_writers_lose_nothing_and_a_reader_never_sees_a_broken_file(small_file: Path, script, tmp_path) -> None:
    path = small_file
    base = seed(path)
    store = Store(path)
    base_clients = {c.id for c in store.load().clients}
    base_entries = len(store.history())
    base_lines = len(store.log_path.read_text(encoding="utf-8").splitlines())

    writer, reader = script("writer", WRITER), script("reader", READER)
    go, stop = tmp_path / "go", tmp_path / "stop"
    r_proc = subprocess.Popen(
        reader + [str(path), str(stop), str(tmp_path / "reader.json")], stdout=subprocess.PIPE, text=True
    )
    outs = [tmp_path / f"writer-{n}.json" for n in range(WRITERS)]
    w_procs = [
        subprocess.Popen(
            writer + [str(path), str(n), str(WRITES), str(ADDS), str(DELETES), str(go), str(outs[n])],
            stdout=subprocess.PIPE,
            text=True,
        )
        for n in range(WRITERS)
    ]
    try:
        for p in [r_proc, *w_procs]:
            assert p.stdout.readline().strip() == "ready"
        start = time.perf_counter()
        go.touch()
        for p in w_procs:
            assert p.wait(timeout=180) == 0
        elapsed = time.perf_counter() - start
    finally:
        stop.touch()
        for p in w_procs:
            if p.poll() is None:
                p.kill()
        r_proc.wait(timeout=30)
    results = [json.loads(o.read_text()) for o in outs]
    read = json.loads((tmp_path / "reader.json").read_text())
    errors = [e for r in results for e in r["errors"]]
    acks = [dict(a, n=n) for n, r in enumerate(results) for a in r["acks"]]
    print(
        f"\n{WRITERS} writers x {WRITES} writes in {elapsed:.1f} s = {len(acks) / elapsed:.0f} writes/s; "
        f"sessions re-read the file after {sum(r['reloads'] for r in results)} of their writes; "
        f"reader: {read['loads']} loads of {read['distinct']} revisions, {read['n_errors']} errors; "
        f"file {path.stat().st_size // 1024} KB"
    )

    # every write was acknowledged: no conflict, no lock timeout, no validation error
    assert errors == [], errors[:3]
    assert len(acks) == WRITERS * WRITES

    # every acknowledged write is in the file, and the counts are exact
    data = Store(path).load()  # validates the whole file
    clients = {c.id: c for c in data.clients}
    added = {a["key"] for a in acks if a["op"] == "add"}
    assert len(added) == WRITERS * ADDS
    assert added <= set(clients)
    assert all(clients[a["key"]].name == a["value"] for a in acks if a["op"] == "add")
    deleted = {a["key"] for a in acks if a["op"] == "delete"}
    assert len(deleted) == WRITERS * DELETES and not deleted & set(clients)
    for n in range(WRITERS):
        last_edit = [a for a in acks if a["n"] == n and a["op"] == "edit"][-1]
        assert clients[f"c-w{n}-edit"].name == last_edit["value"]
    assert len(clients) == len(base_clients) - WRITERS * DELETES + WRITERS * ADDS
    assert set(clients) == (base_clients - deleted) | added

    # one revision per write, and exactly one committed audit entry per write, matching the acks
    assert Store(path).revision() == base + WRITERS * WRITES
    assert sorted(a["rev"] for a in acks) == list(range(base + 1, base + WRITERS * WRITES + 1))
    history = Store(path).history()
    assert len(history) == base_entries + WRITERS * WRITES
    entries = [e for e in history if e["rev"] > base]
    assert [e["rev"] for e in entries] == list(range(base + 1, base + WRITERS * WRITES + 1))
    assert all(len(e["changes"]) == 1 and e["changes"][0]["kind"] == "clients" for e in entries)
    logged = Counter((e["rev"], e["by"], e["action"], e["changes"][0]["key"]) for e in entries)
    acked = Counter((a["rev"], f"w{a['n']}", "delete" if a["op"] == "delete" else "save", a["key"]) for a in acks)
    assert logged == acked
    lines = store.log_path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == base_lines + WRITERS * WRITES  # no uncommitted entries without a crash

    # no temporary file left behind, every backup is a valid data file
    assert list(path.parent.glob(".agency.json.*.tmp")) == []
    for backup in store.list_backups():
        Store(backup).load()

    # the reader never saw a broken or an older file
    assert read["n_errors"] == 0, read["errors"]
    assert read["backwards"] == 0
    assert read["loads"] >= 20
