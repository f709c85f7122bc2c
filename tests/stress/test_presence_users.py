"""Who is here, between real Unix users (the ``team`` of test_permissions: A and B in the
team's group, C outside it), each session a child process with their uid and umask 002.

- A's session claims to be someone else: B's ``tui-advisor who`` shows A's real name
  (the presence file's owner), never the claim.
- B may read but not write a data file: B announces read-only, and A sees it.
- C may not write in the presence folder: C still sees A, is told why nobody sees C,
  and A does not see C.
- The folder and the files get the data file's group; the files are readable, not
  writable, by the group.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from stress.test_permissions import SITE, Team, User, _interchange, _team_dir
from tui_advisor.workspace.presence import presence_dir, read_sessions

pytestmark = pytest.mark.stress

SESSION = f"""
import json, site, sys
site.addsitedir({SITE!r})
from tui_advisor.store import Store
from tui_advisor.workspace import Workspace, load_rulebook
from tui_advisor.workspace.presence import Presence

path, claim = sys.argv[1:3]
ws = Workspace(Store(path), load_rulebook())
ws.load()
me = Presence(path, claim or ws.user, read_only=ws.read_only)
me.announce(review="rv-0001" if claim else "", leading=bool(claim))
print(json.dumps({{"read_only": ws.read_only, "problem": me.problem, "others": [h.user for h in me.others()],
                  "session": me.session}}), flush=True)
sys.stdin.read()  # here until the test closes stdin: then the session leaves
me.leave()
"""


@contextmanager
def session(team: Team, user: User, data: Path, claim: str = "") -> Iterator[dict]:
    """One user's app session on ``data`` (alive while the block runs): what it saw on start."""
    proc = subprocess.Popen(
        [team.python, "-c", SESSION, str(data), claim],
        user=user.uid,
        group=user.gid,
        extra_groups=user.groups,
        umask=0o002,
        env=team.env,
        cwd=team.base,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        if not line:
            pytest.fail(f"the session of {user.name} did not start: {proc.stderr.read() if proc.stderr else ''}")
        yield json.loads(line)
    finally:
        if proc.stdin:
            proc.stdin.close()
        proc.wait(timeout=60)


def who(team: Team, user: User, data: Path) -> list[dict]:
    proc = team.cli(user, "who", "--data", str(data), "--format", "json")
    return json.loads(proc.stdout)["sessions"]


def test_names_come_from_the_owner_read_only_members_and_a_member_who_cannot_announce(team: Team) -> None:
    d = _team_dir(team, "presence")
    data = d / "agency.json"
    team.cli(team.a, "import", str(_interchange(team.base / "p.json", "c-p", agency=True)), "--data", str(data))

    with session(team, team.a, data, claim=team.b.name) as a_start:  # A claims to be B
        assert a_start["problem"] == "" and a_start["read_only"] is False
        folder = presence_dir(data)
        [file] = list(folder.iterdir())
        assert (file.stat().st_uid, file.stat().st_gid) == (team.a.uid, team.gid)
        assert stat.S_IMODE(file.stat().st_mode) == 0o644  # the group reads it, only A writes it
        assert folder.stat().st_gid == team.gid and stat.S_IMODE(folder.stat().st_mode) & 0o070 == 0o070

        [seen] = who(team, team.b, data)
        assert seen["user"] == team.a.name and seen["leading"] is True  # the owner, not the claim

        # C is outside the group: C reads the data file (0664) but may write neither it nor the folder
        with session(team, team.c, data) as c_start:
            assert c_start["read_only"] is True
            assert "permission denied" in c_start["problem"] and str(folder) in c_start["problem"]
            assert c_start["others"] == [team.a.name]
            assert [s["user"] for s in who(team, team.b, data)] == [team.a.name]  # nobody sees C

        # B may read, not write, a data file whose group write bit is off: B is here, read-only
        os.chmod(data, 0o644)
        with session(team, team.b, data) as b_start:
            assert b_start["read_only"] is True and b_start["problem"] == ""
            assert b_start["others"] == [team.a.name]
            by = {s["user"]: s for s in who(team, team.c, data)}  # (A's own who would show A's claim)
            assert set(by) == {team.a.name, team.b.name} and by[team.b.name]["read_only"] is True

    assert read_sessions(data).sessions == []  # each session left when it ended
