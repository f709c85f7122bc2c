"""A data file shared by a Unix group stays shared, whoever of the team writes it.

As root (with useradd/groupadd), the tests create a group and three users: A and B
in the team group, C outside it (each also has a user group of their own, as
Debian's useradd makes them), run the real ``tui-advisor import`` and a Workspace
session as each of them (a child process with their uid, groups and umask 002),
and remove the users and the group afterwards. The users cannot run the venv's
interpreter when it lives under /root (mode 0700); then the system Python of the
same version runs the same code (the venv's site-packages added with
``site.addsitedir``). Without root the user tests are skipped; mode and group
preservation and read-only sessions are then checked directly.
"""

from __future__ import annotations

import grp
import json
import os
import pwd
import secrets
import shutil
import stat
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tui_advisor import model, paths
from tui_advisor.store import Store
from tui_advisor.workspace import Workspace, load_rulebook

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="Unix users and groups (Linux)")

SITE = sysconfig.get_paths()["purelib"]  # the venv's site-packages (holds the editable install)
CLI = f"import site, sys; site.addsitedir({SITE!r}); from tui_advisor.cli import main; sys.exit(main(sys.argv[1:]))"
SESSION = f"""
import json, site, sys
site.addsitedir({SITE!r})
from dataclasses import replace
from tui_advisor import model
from tui_advisor.store import Store
from tui_advisor.workspace import Workspace, load_rulebook

path, action = sys.argv[1:3]
rulebook = load_rulebook()
ws = Workspace(Store(path, backups=rulebook.config.backups, backup_minutes=rulebook.config.backup_minutes),
               rulebook)
ws.load()
out = {{"read_only": ws.read_only, "writable": ws.store.writable(), "user": ws.user}}
if action == "save":
    cid = sys.argv[3]
    ws.save("clients", model.Client(id=cid, name="Saved by " + ws.user))
    first = ws.records("clients")[0]
    ws.save("clients", replace(first, industry="Edited by " + ws.user), original=first)
    out["saved"] = cid
print(json.dumps(out))
"""
CONFIG = "[store]\nbackups = 3\nbackup_minutes = 0\n"  # a backup on every write, rotated: shared too


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _interchange(path: Path, *ids: str, agency: bool = False) -> Path:
    """An interchange file of clients (and an agency profile, which a new data file needs)."""
    doc: dict[str, Any] = {
        "format": model.FORMAT,
        "version": model.VERSION,
        "clients": [{"id": i, "name": f"Imported {i}"} for i in ids],
    }
    if agency:
        doc["agency"] = {"name": "Team agency"}
    path.write_text(json.dumps(doc))
    os.chmod(path, 0o644)
    return path


# ---------------------------------------------------------------------------------------------- users


@dataclass
class User:
    name: str
    uid: int
    gid: int
    groups: list[int]


@dataclass
class Team:
    group: str
    gid: int
    a: User
    b: User
    c: User  # not in the team's group
    python: str
    base: Path  # a world-traversable directory for the tests' files
    env: dict[str, str]

    def run(self, user: User, args: list[str], *, check: bool = False) -> subprocess.CompletedProcess:
        proc = subprocess.run(
            args,
            user=user.uid,
            group=user.gid,
            extra_groups=user.groups,
            umask=0o002,
            env=self.env,
            cwd=self.base,
            capture_output=True,
            text=True,
            timeout=60,
        )
        if check and proc.returncode != 0:
            pytest.fail(
                f"{' '.join(args[2:] if args[1] == '-c' else args)} as {user.name}: exit "
                f"{proc.returncode}\n{proc.stdout}\n{proc.stderr}"
            )
        return proc

    def cli(self, user: User, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return self.run(user, [self.python, "-c", CLI, *args], check=check)

    def session(self, user: User, data: Path, action: str = "open", *args: str) -> dict[str, Any]:
        proc = self.run(user, [self.python, "-c", SESSION, str(data), action, *args], check=True)
        return json.loads(proc.stdout)


def _why_no_users() -> str | None:
    if os.geteuid() != 0:
        return "creating users and groups needs root"
    missing = [t for t in ("useradd", "groupadd", "userdel", "groupdel") if shutil.which(t) is None]
    if missing:
        return f"no {', '.join(missing)} on this system"
    return None


def _sh(*args: str) -> None:
    subprocess.run(args, check=True, capture_output=True, text=True, timeout=60)


def _user(name: str) -> User:
    pw = pwd.getpwnam(name)
    return User(name, pw.pw_uid, pw.pw_gid, os.getgrouplist(name, pw.pw_gid))


def _python_for(team: Team) -> str | None:
    """An interpreter the test users can run that imports tui_advisor (and which)."""
    candidates = [
        sys.executable,
        getattr(sys, "_base_executable", ""),
        f"/usr/bin/python{sys.version_info.major}.{sys.version_info.minor}",
        f"/usr/local/bin/python{sys.version_info.major}.{sys.version_info.minor}",
    ]
    probe = f"import site; site.addsitedir({SITE!r}); import tui_advisor.cli, tinydb"
    for python in dict.fromkeys(c for c in candidates if c and os.path.exists(c)):
        team.python = python
        try:
            if team.run(team.a, [python, "-c", probe]).returncode == 0:
                return python
        except OSError:  # cannot even start it (a directory on its path is closed to the user)
            continue
    return None


@pytest.fixture(scope="module")
def team() -> Iterator[Team]:
    reason = _why_no_users()
    if reason:
        pytest.skip(reason)
    tag = secrets.token_hex(3)
    group, names = f"tuis{tag}", [f"tuis{tag}{x}" for x in "abc"]
    created: list[tuple[str, str]] = []
    base = Path(tempfile.mkdtemp(prefix="tui-advisor-perm-"))
    try:
        try:
            _sh("groupadd", group)
            created.append(("groupdel", group))
            for name in names:
                extra = ["-G", group] if not name.endswith("c") else []
                _sh("useradd", "-M", "-U", "-s", "/usr/sbin/nologin", *extra, name)
                created.append(("userdel", name))
        except (subprocess.CalledProcessError, OSError) as exc:
            pytest.skip(f"cannot create test users: {getattr(exc, 'stderr', '') or exc}")
        os.chmod(base, 0o755)
        home = base / "home"
        home.mkdir(mode=0o777)
        os.chmod(home, 0o1777)
        (base / "config.toml").write_text(CONFIG)
        os.chmod(base / "config.toml", 0o644)
        env = {
            "PATH": "/usr/bin:/bin",
            "LANG": "C.UTF-8",
            "HOME": str(home),
            "XDG_DATA_HOME": str(home),
            "XDG_CONFIG_HOME": str(home),
            "TUI_ADVISOR_CONFIG": str(base / "config.toml"),
            "PYTHONDONTWRITEBYTECODE": "1",
            "NO_COLOR": "1",
        }
        t = Team(group, grp.getgrnam(group).gr_gid, *(_user(n) for n in names), python="", base=base, env=env)
        assert t.gid in t.a.groups and t.gid in t.b.groups and t.gid not in t.c.groups
        if _python_for(t) is None:
            pytest.skip("no Python the test users may run imports tui_advisor")
        yield t
    finally:
        for cmd, name in reversed(created):
            subprocess.run([cmd, name], capture_output=True, timeout=60)
        for name in names:  # the user groups useradd -U made, if userdel left them
            subprocess.run(["groupdel", name], capture_output=True, timeout=60)
        shutil.rmtree(base, ignore_errors=True)


def _team_dir(team: Team, name: str, mode: int = 0o2775) -> Path:
    d = team.base / name
    d.mkdir()
    os.chown(d, 0, team.gid)
    os.chmod(d, mode)
    return d


def _assert_shared(team: Team, data: Path) -> None:
    """The data file, the audit log and the backups: mode 0664, the team's group (writers lock the
    directory: there is no lock file to share)."""
    store = Store(data)
    assert not data.with_name(data.name + ".lock").exists()
    for f in (data, store.log_path, *store.list_backups()):
        assert (oct(_mode(f)), f.stat().st_gid) == (oct(0o664), team.gid), f.name
    backups = store.backup_dir
    if backups.exists():
        assert backups.stat().st_gid == team.gid and _mode(backups) & 0o070 == 0o070, oct(_mode(backups))


# ------------------------------------------------------------------------------------------ the team


def test_a_file_a_teammate_created_stays_shared_after_everyone_writes(team: Team) -> None:
    d = _team_dir(team, "shared")
    data = d / "agency.json"
    demo = team.base / "demo.json"
    shutil.copy(paths.sample_file("demo"), demo)
    os.chmod(demo, 0o644)

    team.cli(team.a, "import", str(demo), "--data", str(data))  # A creates the file
    assert data.stat().st_uid == team.a.uid
    _assert_shared(team, data)

    team.cli(team.b, "import", str(_interchange(team.base / "b.json", "c-from-b")), "--data", str(data))
    out = team.session(team.b, data, "save", "c-ws-b")
    assert out["read_only"] is False and out["user"] == team.b.name
    assert data.stat().st_uid == team.b.uid  # replaced by B's rename: B owns it now
    _assert_shared(team, data)

    team.cli(team.a, "import", str(_interchange(team.base / "a.json", "c-from-a")), "--data", str(data))
    assert team.session(team.a, data, "save", "c-ws-a")["read_only"] is False
    _assert_shared(team, data)

    stored = Store(data)
    assert {"c-from-b", "c-ws-b", "c-from-a", "c-ws-a"} <= {c.id for c in stored.load().clients}
    assert [e["by"] for e in stored.history()] == [team.a.name] + [team.b.name] * 3 + [team.a.name] * 3
    assert len(stored.list_backups()) == 3  # made and rotated by both users

    # C, not in the group: a read-only session, and the CLI refuses without touching anything
    before = {f: (f.read_bytes(), f.stat().st_ino, f.stat().st_mtime_ns) for f in (data, stored.log_path)}
    listing = sorted(p.name for p in d.iterdir())
    out = team.session(team.c, data)
    assert out["read_only"] is True and out["writable"] is False
    proc = team.cli(
        team.c, "import", str(_interchange(team.base / "c.json", "c-from-c")), "--data", str(data), check=False
    )
    assert proc.returncode == 2, proc.stderr
    assert str(data) in proc.stderr and "permission denied" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr
    assert {f: (f.read_bytes(), f.stat().st_ino, f.stat().st_mtime_ns) for f in before} == before
    assert sorted(p.name for p in d.iterdir()) == listing


def test_a_read_only_file_opens_read_only_for_its_owner(team: Team) -> None:
    d = _team_dir(team, "readonly")
    data = d / "agency.json"
    team.cli(team.a, "import", str(_interchange(team.base / "ro.json", "c-ro", agency=True)), "--data", str(data))
    os.chmod(data, 0o444)
    out = team.session(team.a, data)
    assert out["read_only"] is True and out["writable"] is False


def test_a_teammate_can_write_after_the_owner_gives_the_files_to_the_team(team: Team) -> None:
    """The owner chgrps the data file only: a teammate's write is refused with a message that
    names the audit log and how to share it (tui-advisor never chmods or chgrps a file it did
    not just create: it may be a teammate's, planted there). Once the owner shares every file,
    as the message says, the teammate can write."""
    d = _team_dir(team, "chgrp", mode=0o775)  # group-writable but not setgid: files get A's own group
    data = d / "agency.json"
    team.cli(team.a, "import", str(_interchange(team.base / "first.json", "c-first", agency=True)), "--data", str(data))
    assert data.stat().st_gid == team.a.gid
    team.run(team.a, ["chgrp", team.group, str(data)], check=True)  # A shares the data file only
    log = Store(data).log_path
    log_before = log.read_bytes()
    proc = team.cli(
        team.b, "import", str(_interchange(team.base / "third.json", "c-third")), "--data", str(data), check=False
    )
    assert proc.returncode == 2, proc.stderr
    assert str(log) in proc.stderr and "chmod g+w" in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
    assert "c-third" not in {c.id for c in Store(data).load().clients}
    assert log.read_bytes() == log_before
    team.run(team.a, ["chgrp", team.group, str(data), str(log)], check=True)  # as the message says
    proc = team.cli(
        team.b, "import", str(_interchange(team.base / "third.json", "c-third")), "--data", str(data), check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert "c-third" in {c.id for c in Store(data).load().clients}


# ---------------------------------------------------------------------------------- without users


def _other_gid(current: int) -> int | None:
    """A group this process may give a file: any as root, else one of its own groups."""
    if os.geteuid() == 0:
        return next((g.gr_gid for g in grp.getgrall() if g.gr_gid != current), 54321)
    return next((g for g in os.getgroups() if g != current), None)


def _write_everything(path: Path) -> None:
    store = Store(path, user="sam", backups=3, backup_minutes=0)
    store.put("clients", model.Client(id="c-one", name="One"))
    store.put("clients", model.Client(id="c-two", name="Two"))
    ws = Workspace(Store(path, user="ann", backups=3, backup_minutes=0), load_rulebook())
    ws.load()
    ws.save("clients", model.Client(id="c-three", name="Three"))
    ws.delete("clients", next(c for c in ws.records("clients") if c.id == "c-one"))


def test_writes_keep_the_mode_and_group_of_the_data_file(small_file: Path) -> None:
    path = small_file
    store = Store(path)
    store.log_path.unlink()  # made before the chmod below: a log that is there is never chmod-ed
    os.chmod(path, 0o660)
    gid = _other_gid(path.stat().st_gid)
    if gid is not None:
        os.chown(path, -1, gid)
    want_gid = path.stat().st_gid
    _write_everything(path)
    for f in (path, store.log_path, *store.list_backups()):
        assert (oct(_mode(f)), f.stat().st_gid) == (oct(0o660), want_gid), f.name
    assert store.backup_dir.stat().st_gid == want_gid
    assert len(store.list_backups()) == 3


def test_a_sidecar_file_that_was_there_is_never_chmod_ed(small_file: Path) -> None:
    """The audit log and the backups folder keep the mode and group they had, whatever the data
    file's: only files this process has just created are given the data file's."""
    path = small_file
    store = Store(path)
    os.chmod(store.log_path, 0o600)
    os.chmod(path, 0o660)
    _write_everything(path)
    assert _mode(store.log_path) == 0o600
    assert _mode(path) == 0o660


def test_a_read_only_file_opens_a_read_only_session(small_file: Path) -> None:
    """os.access decides; root may write anything, so as root this runs as a test user (above)."""
    if os.geteuid() == 0:
        pytest.skip(
            "root can write a read-only file; test_a_read_only_file_opens_read_only_for_its_owner "
            "checks this as a test user"
        )
    os.chmod(small_file, 0o444)
    ws = Workspace(Store(small_file), load_rulebook())
    ws.load()
    assert ws.read_only and not ws.store.writable()
