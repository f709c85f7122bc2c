"""A hostile teammate in the shared directory: every file beside the data file may be planted.

As root, the tests create a team (users A and B in the team's group, as
test_permissions.py does) and a setgid directory set up as the README says. A, the
attacker, plants links, hard links, FIFOs and folders where B's tui-advisor keeps its
audit log, backups and temporary files, and B then saves, restores or exports as usual
(the real CLI, as B's uid). B's own files (a stand-in for her ``~/.bashrc``) must keep
their content and mode, the shared data must stay whole, and B gets a message naming
the file and what is wrong with it (exit 2), never a hang or a traceback.

The attacks that need no second user (a FIFO as the audit log, a vanished backup, a
deleted lock file, bad JSON) run as the current user too.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from stress.test_permissions import Team, _interchange, _team_dir  # the team fixture: tests/stress/conftest.py
from tui_advisor import model, paths
from tui_advisor.store import Store, StoreError
from tui_advisor.workspace import read_document

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="Unix users, FIFOs and /proc/locks (Linux)")

REPO = Path(__file__).resolve().parents[2]


def _victim_file(team: Team, name: str = "bashrc") -> Path:
    """A file of B's outside the shared directory (her ~/.bashrc, say): 0644, hers."""
    home = team.base / f"home-{team.b.name}"
    home.mkdir(exist_ok=True)
    os.chown(home, team.b.uid, team.b.gid)
    f = home / name
    f.write_text("# B's shell profile\n")
    os.chown(f, team.b.uid, team.b.gid)
    os.chmod(f, 0o644)
    return f


def _plant_link(team: Team, at: Path, target: Path) -> None:
    """A plants a symbolic link (owned by A) in the shared directory."""
    os.symlink(target, at)
    os.lchown(at, team.a.uid, team.gid)


def _shared_data(team: Team, name: str) -> Path:
    d = _team_dir(team, name)
    data = d / "agency.json"
    team.cli(
        team.a, "import", str(_interchange(team.base / f"{name}.json", "c-first", agency=True)), "--data", str(data)
    )
    return data


def _state(f: Path) -> tuple[bytes, int, int]:
    st = f.stat()
    return f.read_bytes(), stat.S_IMODE(st.st_mode), st.st_gid


def _b_saves(team: Team, data: Path, cid: str) -> subprocess.CompletedProcess:
    return team.cli(
        team.b, "import", str(_interchange(team.base / f"{cid}.json", cid)), "--data", str(data), check=False
    )


def test_a_lock_file_linked_to_a_teammates_file_is_never_touched(team: Team) -> None:
    data = _shared_data(team, "locklink")
    bashrc = _victim_file(team)
    before = _state(bashrc)
    _plant_link(team, data.with_name(data.name + ".lock"), bashrc)
    proc = _b_saves(team, data, "c-b")
    assert proc.returncode == 0, proc.stderr  # writers lock the directory: the planted file plays no part
    assert _state(bashrc) == before  # not made group-writable, nothing appended
    assert "c-b" in {c.id for c in Store(data).load().clients}


def test_an_audit_log_linked_to_a_teammates_file_is_refused_and_her_file_is_untouched(team: Team) -> None:
    data = _shared_data(team, "loglink")
    bashrc = _victim_file(team)
    before, data_before = _state(bashrc), data.read_bytes()
    log = Store(data).log_path
    log.unlink()
    _plant_link(team, log, bashrc)
    proc = _b_saves(team, data, "c-evil-name")
    assert proc.returncode == 2, proc.stderr
    assert str(log) in proc.stderr and "symbolic link" in proc.stderr and "Traceback" not in proc.stderr
    assert _state(bashrc) == before  # no JSON line with a client name of A's choosing in her profile
    assert data.read_bytes() == data_before


def test_an_audit_log_hard_linked_to_a_teammates_file_is_refused(team: Team) -> None:
    """The kernel's protected_hardlinks stops A from linking B's file; root plants it here, as a
    member with write access to that file could."""
    data = _shared_data(team, "loghard")
    bashrc = _victim_file(team)
    before = _state(bashrc)
    log = Store(data).log_path
    log.unlink()
    os.link(bashrc, log)
    proc = _b_saves(team, data, "c-b")
    assert proc.returncode == 2 and "hard links" in proc.stderr and str(log) in proc.stderr, proc.stderr
    assert _state(bashrc) == before


def test_a_backups_folder_linked_to_a_teammates_folder_is_refused_and_nothing_is_deleted(team: Team) -> None:
    data = _shared_data(team, "backlink")
    bashrc = _victim_file(team)
    home = bashrc.parent
    # her own files, named as backups are, which rotation would delete through the link
    hers = [home / f"agency-2020010{i}-000000-000000.json" for i in range(1, 6)]
    for f in hers:
        f.write_text("{}")
        os.chown(f, team.b.uid, team.b.gid)
    backups = Store(data).backup_dir
    if backups.exists():
        subprocess.run(["rm", "-rf", str(backups)], check=True)
    _plant_link(team, backups, home)
    proc = _b_saves(team, data, "c-b")
    assert proc.returncode == 2 and str(backups) in proc.stderr and "symbolic link" in proc.stderr, proc.stderr
    assert all(f.exists() for f in hers)
    assert sorted(p.name for p in home.iterdir()) == sorted([bashrc.name, *(f.name for f in hers)])


def test_export_never_writes_through_a_planted_temporary_file(team: Team) -> None:
    data = _shared_data(team, "exportlink")
    bashrc = _victim_file(team)
    before = _state(bashrc)
    out = data.parent / "export.json"
    for name in (f".{out.name}.tmp", f".{out.name}.json.tmp"):  # the old fixed name, and one like it
        _plant_link(team, data.parent / name, bashrc)
    proc = team.cli(team.b, "export", "-o", str(out), "--data", str(data), check=False)
    assert proc.returncode == 0, proc.stderr
    assert _state(bashrc) == before
    assert json.loads(out.read_text())["format"] == model.FORMAT
    # the export file itself planted as a link: replaced by a file, the target untouched
    out.unlink()
    _plant_link(team, out, bashrc)
    proc = team.cli(team.b, "export", "-o", str(out), "--data", str(data), check=False)
    assert proc.returncode == 0, proc.stderr
    assert not out.is_symlink() and _state(bashrc) == before


def test_a_data_file_replaced_by_a_link_to_a_teammates_file_is_refused(team: Team) -> None:
    data = _shared_data(team, "datalink")
    bashrc = _victim_file(team)
    before = _state(bashrc)
    data.unlink()
    _plant_link(team, data, bashrc)
    proc = team.cli(team.b, "advise", "--data", str(data), check=False)
    assert proc.returncode == 2 and "symbolic link" in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
    # the audit log still tells who did what (it is read on its own)
    assert team.a.name in team.cli(team.b, "log", "--data", str(data)).stdout
    proc = _b_saves(team, data, "c-b")
    assert proc.returncode == 2, proc.stderr
    assert _state(bashrc) == before


# ------------------------------------------------------------------------- without a second user


def _run_cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    """The real CLI; a hang shows as TimeoutExpired (the test fails), not as a stuck suite."""
    return subprocess.run(
        [sys.executable, "-m", "tui_advisor", *args], capture_output=True, text=True, timeout=timeout, cwd=REPO
    )


@pytest.fixture
def data(tmp_path: Path) -> Path:
    path = tmp_path / "shared" / "agency.json"
    path.parent.mkdir()
    Store(path, user="owner").import_document(read_document(paths.sample_file("demo")), replace=True)
    return path


def _interchange_file(tmp_path: Path, cid: str) -> Path:
    f = tmp_path / f"{cid}.json"
    f.write_text(
        json.dumps(
            {"format": model.FORMAT, "version": model.VERSION, "clients": [{"id": cid, "name": f"Client {cid}"}]}
        )
    )
    return f


def test_a_fifo_as_the_audit_log_is_refused_at_once(data: Path, tmp_path: Path) -> None:
    log = Store(data).log_path
    log.unlink()
    os.mkfifo(log)
    before = data.read_bytes()
    t0 = time.monotonic()
    proc = _run_cli("import", str(_interchange_file(tmp_path, "c-x")), "--data", str(data))
    assert proc.returncode == 2 and str(log) in proc.stderr and "FIFO" in proc.stderr, proc.stderr
    assert time.monotonic() - t0 < 30  # no save hangs on it while it holds the lock
    assert data.read_bytes() == before
    proc = _run_cli("log", "--data", str(data))
    assert proc.returncode == 2 and "FIFO" in proc.stderr and "Traceback" not in proc.stderr, proc.stderr


def test_a_fifo_or_a_link_among_the_backups_is_left_alone(data: Path, tmp_path: Path) -> None:
    store = Store(data, backup_minutes=0, backups=3)
    store.put("clients", model.Client(id="c-1", name="One"))
    planted_fifo = store.backup_dir / "agency-29990101-000000-000000.json"  # would sort as the newest
    os.mkfifo(planted_fifo)
    outside = tmp_path / "outside.json"
    outside.write_text("precious")
    planted_link = store.backup_dir / "agency-29990101-000000-000001.json"
    os.symlink(outside, planted_link)
    for i in range(5):
        store.put("clients", model.Client(id=f"c-r{i}", name=f"R{i}"))  # rotation runs each time
    assert planted_fifo.exists() and planted_link.is_symlink() and outside.read_text() == "precious"
    assert len(store.list_backups()) == 3
    assert planted_fifo not in store.list_backups() and planted_link not in store.list_backups()
    proc = _run_cli("restore", "--data", str(data))
    assert proc.returncode == 0 and proc.stdout.count("agency-") == 3, proc.stdout + proc.stderr
    for planted in (planted_fifo, planted_link):
        proc = _run_cli("restore", str(planted), "--data", str(data))
        assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    assert {c.id for c in Store(data).load().clients} >= {"c-1", "c-r4"}


def test_restoring_a_backup_that_vanished_writes_nothing(data: Path) -> None:
    store = Store(data, backup_minutes=0)
    store.put("clients", model.Client(id="c-1", name="One"))
    gone = store.list_backups()[0]
    gone.unlink()  # a teammate's save rotated it away after it was listed
    before, revision = data.read_bytes(), store.revision()
    with pytest.raises(StoreError, match="not there"):
        store.restore(gone)
    assert data.read_bytes() == before and store.revision() == revision
    proc = _run_cli("restore", str(gone), "--data", str(data))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    assert data.read_bytes() == before


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b'{"_meta": {"1": {"format": "tui-advisor/store", "version": 1',
        b"\xff\xfe",
        b'{"_meta": {"1": {"format": "tui-advisor/store", "version": 1, '
        b'"revision": 3}}, "clients": {"1": {"id": "c", "name": 5}}}',
    ],
)
def test_restoring_a_damaged_backup_writes_nothing(data: Path, damage: bytes) -> None:
    store = Store(data, backup_minutes=0)
    store.put("clients", model.Client(id="c-1", name="One"))
    backup = store.list_backups()[0]
    backup.unlink()
    backup.write_bytes(damage)
    before = data.read_bytes()
    log_before = store.log_path.read_bytes()
    with pytest.raises(StoreError):
        store.restore(backup)
    assert data.read_bytes() == before and store.log_path.read_bytes() == log_before


# ------------------------------------------------------------------------------ the lock race

RACER = """
    import sys, time
    from pathlib import Path
    from tui_advisor import model
    from tui_advisor.store import Store, StoreError
    path, n, count, go = sys.argv[1:]
    store = Store(path, user=f"w{n}", backup_minutes=0, backups=3)
    while not Path(go).exists():
        time.sleep(0.005)
    for k in range(int(count)):
        cid = f"c-w{n}-{k}"
        try:
            store.put("clients", model.Client(id=cid, name=cid))
        except StoreError as exc:
            print("refused", cid, exc.message, file=sys.stderr, flush=True)
            continue
        print(cid, flush=True)  # acknowledged
"""


def test_deleting_the_lock_file_all_the_time_loses_no_acknowledged_write(data: Path, script) -> None:
    """The attack that lost 58 of 76 acknowledged writes: 8 writers, and a teammate deleting
    (and planting afresh) the lock file and any temporary file every 50 ms."""
    go = data.parent.parent / "go"
    cmd = script("racer", RACER)
    writers = [
        subprocess.Popen(
            [*cmd, str(data), str(n), "25", str(go)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for n in range(8)
    ]
    stop = threading.Event()

    def vandal() -> None:
        lock = data.with_name(data.name + ".lock")
        while not stop.is_set():
            for p in [lock, *data.parent.glob(f".{data.name}.*.tmp")]:
                try:
                    p.unlink()
                except OSError:
                    pass
            try:
                lock.write_text("")
            except OSError:
                pass
            time.sleep(0.05)

    thread = threading.Thread(target=vandal)
    thread.start()
    go.touch()
    try:
        outputs = [w.communicate(timeout=600) for w in writers]
    finally:
        stop.set()
        thread.join()
    acked = {line for out, _err in outputs for line in out.split()}
    stored = {c.id for c in Store(data).load().clients}
    assert all(w.returncode == 0 for w in writers), [err for _out, err in outputs]
    assert "Traceback" not in "".join(err for _out, err in outputs)
    lost = acked - stored
    assert not lost, f"{len(lost)} of {len(acked)} acknowledged writes lost"
    # a live writer whose temporary file is deleted writes it again (a write refused after three
    # tries is reported, not acknowledged): nearly every write gets through
    assert len(acked) >= 190, len(acked)
    print(f"lock race: {len(acked)} of 200 writes acknowledged, {len(acked & stored)} kept, 0 lost")


def test_a_waiting_writer_is_told_who_holds_the_lock(data: Path, script) -> None:
    from tui_advisor.store.files import exclusive_lock

    held = data.parent.parent / "held"
    holder = subprocess.Popen(
        [
            *script(
                "holder",
                """
        import sys, time
        from pathlib import Path
        from tui_advisor.store.files import exclusive_lock
        with exclusive_lock(Path(sys.argv[1])):
            Path(sys.argv[2]).touch()
            time.sleep(3)
    """,
            ),
            str(data),
            str(held),
        ]
    )
    try:
        deadline = time.monotonic() + 60
        while not held.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        told: list[str] = []
        with exclusive_lock(data, timeout=30, on_wait=told.append):
            pass
        import pwd

        assert told == [f"{pwd.getpwuid(os.getuid()).pw_name} (pid {holder.pid})"]
    finally:
        holder.wait(timeout=60)


# ------------------------------------------------------------------------------ bad data files


@pytest.mark.parametrize(
    ("content", "phrase"),
    [
        (
            b'{"_meta": {"1": {"format": "tui-advisor/store", "version": 1, "revision": 2}}, "clients": '
            b'{"1": {"id": "c-a", "name": "A", "name": "B"}}}',
            "the key 'name' twice in the record 'c-a'",
        ),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (
            b'{"_meta": {"1": {"format": "tui-advisor/store", "version": 1, "revision": ' + b"9" * 5000 + b"}}}",
            "cannot be read",
        ),
        (
            b'{"_meta": {"1": {"format": "tui-advisor/store", "version": 1, "revision": "twelve"}}}',
            "revision number is damaged",
        ),
        (
            b'{"_meta": {"1": {"format": "tui-advisor/store", "version": 1, "revision": -4}}}',
            "revision number is damaged",
        ),
        (
            b'{"_meta": {"1": {"format": "tui-advisor/store", "version": 1, "revision": 1e300}}}',
            "revision number is damaged",
        ),
        (
            b'{"_meta": {"1": {"format": "tui-advisor/store", "version": 1, "revision": 1}}, "clients": {"1": 7}}',
            "is not an object",
        ),
    ],
    ids=[
        "duplicate-key",
        "deep-nesting",
        "5000-digits",
        "revision-text",
        "revision-negative",
        "revision-1e300",
        "document-not-object",
    ],
)
def test_a_hand_damaged_data_file_is_a_message_and_stays_as_it_is(tmp_path: Path, content: bytes, phrase: str) -> None:
    data = tmp_path / "agency.json"
    data.write_bytes(content)
    for args in (["advise"], ["export"], ["import", str(_interchange_file(tmp_path, "c-new"))]):
        proc = _run_cli(*args, "--data", str(data))
        assert proc.returncode == 2, (args, proc.stderr)
        assert phrase in proc.stderr and str(data) in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
    assert data.read_bytes() == content


def test_a_fifo_or_a_device_as_the_data_file_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "agency.json"
    os.mkfifo(fifo)
    proc = _run_cli("advise", "--data", str(fifo), timeout=30)
    assert proc.returncode == 2 and "FIFO" in proc.stderr, proc.stderr
    proc = _run_cli("advise", "--input", "/dev/zero", timeout=30)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr


def _tiny_disk(tmp_path: Path, kib: int) -> Path | None:
    mnt = tmp_path / "disk"
    mnt.mkdir()
    if (
        os.geteuid() != 0
        or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={kib}k,nr_inodes=1000", "tmpfs", str(mnt)], capture_output=True
        ).returncode
        != 0
    ):
        return None
    return mnt


def test_a_full_disk_is_a_message_and_nothing_is_lost(tmp_path: Path) -> None:
    mnt = _tiny_disk(tmp_path, 400)
    if mnt is None:
        pytest.skip("mounting a small tmpfs needs root")
    try:
        data = mnt / "agency.json"
        Store(data, user="owner", backups=0).import_document(
            read_document(paths.sample_file("demo")), replace=True
        )  # ~55 KB
        filler = mnt / "filler"
        with open(filler, "wb", buffering=0) as fh:  # fill the disk up
            try:
                while True:
                    fh.write(b"\0" * 4096)
            except OSError:
                pass
        before, log_before = data.read_bytes(), Store(data).log_path.read_bytes()
        proc = _run_cli("import", str(_interchange_file(tmp_path, "c-full")), "--data", str(data))
        assert proc.returncode == 2 and "disk is full" in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
        assert data.read_bytes() == before and Store(data).log_path.read_bytes() == log_before
        assert not list(mnt.glob(".agency.json.*.tmp"))
        filler.unlink()
        proc = _run_cli("import", str(_interchange_file(tmp_path, "c-full")), "--data", str(data))
        assert proc.returncode == 0, proc.stderr
        assert "c-full" in {c.id for c in Store(data).load().clients}
    finally:
        subprocess.run(["umount", str(mnt)], capture_output=True)


def test_a_read_only_directory_is_a_message(team: Team) -> None:
    data = _shared_data(team, "rodir")
    os.chmod(data.parent, 0o2555)
    try:
        before = data.read_bytes()
        proc = _b_saves(team, data, "c-b")
        assert proc.returncode == 2 and "permission denied" in proc.stderr and "Traceback" not in proc.stderr, (
            proc.stderr
        )
        assert data.read_bytes() == before
    finally:
        os.chmod(data.parent, 0o2775)


# ------------------------------------------------------------------------------ the audit log


def test_a_damaged_audit_log_is_read_tolerantly_and_the_next_write_is_a_whole_line(data: Path, tmp_path: Path) -> None:
    """Bad bytes, a line that is not JSON, entries of the wrong shape and a line torn by a
    crash: `log` skips and counts them; a forged entry claiming a revision that a save made is
    shown beside it, both flagged; the next save cuts the torn tail and writes a whole line."""
    store = Store(data)
    log = store.log_path
    real = json.loads(log.read_bytes().splitlines()[0])
    forged = {**real, "by": "mallory", "action": "import --replace"}
    with open(log, "ab") as fh:
        fh.write(b"\xff\xfe not utf-8\n")
        fh.write(b"not json at all\n")
        fh.write(b'{"rev": "1", "changes": []}\n')  # a revision that is text
        fh.write(b'{"rev": 1, "changes": 5}\n')  # changes that are not a list
        fh.write(b'{"rev": 1, "by": {"x": 1}, "changes": []}\n')  # a user that is an object
        fh.write(json.dumps(forged).encode() + b"\n")
        fh.write(b'{"rev": 2, "at": "2026-12-01T00:00:00Z", "by": "torn", "chan')  # killed mid-line
    proc = _run_cli("log", "--data", str(data))
    assert proc.returncode == 0, proc.stderr
    assert "6 lines that are not an audit entry" in proc.stderr and str(log) in proc.stderr, proc.stderr
    assert proc.stdout.count("one of 2 entries claiming revision 1") == 2, proc.stdout
    assert "mallory" in proc.stdout
    doc = json.loads(_run_cli("log", "--format", "json", "--data", str(data)).stdout)
    assert [e["duplicate"] for e in doc if e.get("duplicate")] == [2, 2]

    proc = _run_cli("import", str(_interchange_file(tmp_path, "c-after")), "--data", str(data))
    assert proc.returncode == 0, proc.stderr
    lines = log.read_bytes().split(b"\n")
    assert lines[-1] == b"" and b"torn" not in log.read_bytes()  # the torn tail was cut, the new line is whole
    last = json.loads(lines[-2])
    assert last["rev"] == Store(data).revision() and last["action"] == "import"


def test_a_link_you_made_to_the_shared_data_file_is_followed(data: Path, tmp_path: Path) -> None:
    """A member may point their own path at the shared file (ln -s /srv/agency/agency.json ~/agency.json):
    reads and writes go to the shared file, its audit log and backups, and the link stays a link."""
    mine = tmp_path / "my-agency.json"
    os.symlink(data, mine)
    proc = _run_cli("import", str(_interchange_file(tmp_path, "c-via-link")), "--data", str(mine))
    assert proc.returncode == 0, proc.stderr
    assert mine.is_symlink() and "c-via-link" in {c.id for c in Store(data).load().clients}
    assert not (tmp_path / "my-agency.json.audit.jsonl").exists()
    assert Store(data).history()[-1]["changes"][0]["key"] == "c-via-link"


@pytest.mark.parametrize(
    "line",
    ["backups = 100000000", "backups = -1", "backup_minutes = inf", "backup_minutes = 1e300", "backup_minutes = -5"],
)
def test_absurd_store_settings_in_the_config_are_reported(tmp_path: Path, data: Path, line: str) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f"[store]\n{line}\n")
    proc = _run_cli("import", str(_interchange_file(tmp_path, "c-cfg")), "--data", str(data), "--config", str(config))
    assert proc.returncode == 2 and "[store]" in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
    assert "c-cfg" not in {c.id for c in Store(data).load().clients}
