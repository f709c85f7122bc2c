"""`tui-advisor actions [--mine] [--user NAME] [--format text|json|markdown]`, as a subprocess: the open
steps with their owners (a step without owner is its action's owner's), overdue ones marked."""

from __future__ import annotations

import json

import pytest

TODAY = "2026-12-05"


@pytest.fixture
def agency(tmp_path, cli):
    """The demo with one step of Eva's action a-01 given to sam, a done step of sam's, and an action
    a review dropped (its open step belongs to nobody's list)."""
    doc = cli.sample_doc("demo")
    actions = {a["id"]: a for a in doc["actions"]}
    a01 = actions["a-01"]
    a01["steps"][5]["owner"] = "sam"  # "Review and adjust", due 2026-12-04
    a01["steps"][0]["owner"] = "sam"  # done on 2026-10-30: not open
    doc["actions"].append(
        {
            "id": "a-09",
            "title": "Old plan",
            "owner": "sam",
            "dropped": "2026-11-20",
            "steps": [{"title": "Never mind", "due": "2026-11-01"}],
        }
    )
    path = tmp_path / "agency-in.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def _json(run, cli, *args, env=None):
    return json.loads(cli.ok(run("actions", *args, "--format", "json", env=env)).stdout)


def test_mine_is_the_os_users_steps(run, cli, agency) -> None:
    sam = {"USER": "sam", "LOGNAME": "sam"}
    doc = _json(run, cli, "--input", agency, "--as-of", TODAY, "--mine", env=sam)
    assert doc["user"] == "sam"
    assert [(s["action"], s["title"]) for s in doc["steps"]] == [("a-01", "Review and adjust")]
    (step,) = doc["steps"]
    assert (step["owner"], step["due"], step["overdue"], step["days_late"], step["step"]) == (
        "sam",
        "2026-12-04",
        True,
        1,
        6,
    )
    # Eva (case ignored: the OS user is "eva"): her own steps and the ones of her actions without an owner
    eva = _json(run, cli, "--input", agency, "--as-of", TODAY, "--mine", env={"USER": "eva", "LOGNAME": "eva"})
    titles = [s["title"] for s in eva["steps"]]
    assert titles == [
        "Send the first proposal",
        "Call Kestrel's finance lead",
        "Send the amended payment schedule",
        "Issue the first instalment invoice",
    ]
    assert {s["owner"] for s in eva["steps"]} == {"Eva"}
    assert [s["overdue"] for s in eva["steps"]] == [True, True, True, False]


def test_user_and_all(run, cli, agency) -> None:
    daan = _json(run, cli, "--input", agency, "--as-of", TODAY, "--user", "  DAAN ")
    assert [s["title"] for s in daan["steps"]] == [
        "Write the Harbor & Lane case study",
        "Write the Fjordline case study",
        "Publish all three",
    ]
    assert not any(s["overdue"] for s in daan["steps"])
    everyone = _json(run, cli, "--input", agency, "--as-of", TODAY)
    assert everyone["user"] is None
    assert len(everyone["steps"]) == 8  # the demo's 8 open steps; the dropped action's step left out
    assert "Never mind" not in {s["title"] for s in everyone["steps"]}
    dues = [s["due"] for s in everyone["steps"]]
    assert dues == sorted(dues)
    assert _json(run, cli, "--input", agency, "--as-of", TODAY, "--user", "nobody")["steps"] == []


def test_text_and_markdown(run, cli, agency) -> None:
    text = cli.ok(run("actions", "--input", agency, "--as-of", TODAY, "--user", "eva")).stdout
    lines = text.splitlines()
    assert lines[0] == "Open steps of eva as of 2026-12-05: 4, 3 overdue"
    assert lines[2].startswith("2026-11-27   8d late  Send the first proposal")
    assert lines[3].strip() == "step 5 of a-01: Win two new retainer clients"
    assert all(len(line) <= 80 for line in lines)
    everyone = cli.ok(run("actions", "--input", agency, "--as-of", TODAY)).stdout
    assert "2026-12-04   1d late  sam          Review and adjust" in everyone
    md = cli.ok(run("actions", "--input", agency, "--as-of", TODAY, "--format", "markdown")).stdout
    assert md.startswith("# Open steps as of 2026-12-05: 8, 4 overdue\n")
    assert (
        "| **2026-12-04** (1 day late) | Review and adjust | sam | step 6 of a-01: Win two new retainer clients |" in md
    )
    assert "| 2027-01-21 | Publish all three | Daan | step 5 of a-02: Publish three case studies |" in md
    nobody = cli.ok(run("actions", "--input", agency, "--as-of", TODAY, "--user", "nobody")).stdout
    assert "Nothing open for nobody." in nobody


def test_the_data_file_and_the_demo(run, cli, tmp_path) -> None:
    data = tmp_path / "agency.json"
    cli.ok(run("import", cli.sample("demo"), "--data", data))
    doc = _json(run, cli, "--data", data, "--as-of", "2026-11-26", "--user", "Daan")
    assert len(doc["steps"]) == 3
    demo = _json(run, cli, "--demo")
    assert demo["as_of"] == cli.SAMPLE_AS_OF  # the demo's own date
    assert len(demo["steps"]) == 8 and not any(s["overdue"] for s in demo["steps"])


def test_a_hostile_title_is_escaped(run, cli, tmp_path) -> None:
    doc = cli.sample_doc("demo")
    doc["actions"][0]["owner"] = "m|a*l"
    doc["actions"][0]["steps"][4]["title"] = "Send *it* | [x](y)"
    path = tmp_path / "a.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    md = cli.ok(run("actions", "--input", path, "--as-of", TODAY, "--format", "markdown")).stdout
    assert "| Send \\*it\\* \\| \\[x\\](y) | m\\|a\\*l |" in md


def test_bad_arguments_exit_2(run, cli, agency) -> None:
    err = cli.usage_error(run("actions", "--input", agency, "--mine", "--user", "sam"))
    assert "choose one of --mine and --user" in err
    err = cli.usage_error(run("actions", "--input", agency, "--user", "sam\x1b]0;x\x07"))
    assert "--user" in err and "\x1b" not in err and "ESC" in err
    err = cli.usage_error(run("actions", "--input", agency, "--user", "   "))
    assert "--user" in err
    cli.usage_error(run("actions", "--input", agency, "--as-of", "2026-02-30"))
    err = cli.usage_error(run("actions", "--data", cli.REPO / "no-such-dir" / "agency.json"))
    assert "no data file yet" in err
