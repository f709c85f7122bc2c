"""`tui-advisor import` and `export`: canonical export, round trips, merging, the data file's path."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parents[2] / "sample_data"
SAMPLE_NAMES = sorted(p.stem for p in SAMPLES.glob("*.json"))
HEAD = {"format": "tui-advisor/agency", "version": 1}


def export(run, cli, data: Path) -> str:
    proc = cli.ok(run("export", "--data", data))
    assert proc.stdout.endswith("\n")
    return proc.stdout


def write(path: Path, doc) -> Path:
    path.write_text(json.dumps(doc, indent=1), encoding="utf-8")
    return path


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_import_into_a_fresh_file_then_export_is_the_sample(name, run, cli, tmp_path):
    data = tmp_path / "new" / "agency.json"
    proc = cli.ok(run("import", cli.sample(name), "--data", data))
    assert str(data) in proc.stdout
    assert data.is_file()
    assert json.loads(export(run, cli, data)) == cli.sample_doc(name)


def test_export_import_replace_export_is_byte_identical(run, cli, tmp_path, demo_store):
    first = export(run, cli, demo_store)
    exported = tmp_path / "exported.json"
    exported.write_text(first, encoding="utf-8")

    other = tmp_path / "other.json"
    cli.ok(run("import", cli.sample("healthy"), "--data", other))  # something to replace
    proc = cli.ok(run("import", "--replace", exported, "--data", other))
    assert "Replaced" in proc.stdout
    second = export(run, cli, other)
    assert second.encode() == first.encode()
    # and once more through the second file
    exported2 = tmp_path / "exported2.json"
    exported2.write_text(second, encoding="utf-8")
    third_file = tmp_path / "third.json"
    cli.ok(run("import", "--replace", exported2, "--data", third_file))
    assert export(run, cli, third_file) == first


def test_merging_import_of_clients_only_leaves_the_rest_untouched(run, cli, tmp_path, demo_store):
    before = json.loads(export(run, cli, demo_store))
    new = [
        {"id": "c-new-one", "name": "New One", "industry": "Retail", "enjoy": 4, "industry_fit": 3},
        {"id": "c-new-two", "name": "New Two", "industry": "", "enjoy": None, "industry_fit": None},
    ]
    f = write(tmp_path / "clients.json", {**HEAD, "clients": new})
    proc = cli.ok(run("import", f, "--data", demo_store))
    assert "clients: 2 added, 0 updated" in proc.stdout
    after = json.loads(export(run, cli, demo_store))
    assert after["clients"] == before["clients"] + new
    for key in before:
        if key != "clients":
            assert after[key] == before[key], key


def test_merging_import_updates_an_existing_id(run, cli, tmp_path, demo_store):
    before = json.loads(export(run, cli, demo_store))
    index = next(i for i, c in enumerate(before["clients"]) if c["id"] == "c-acme")
    assert before["clients"][index]["enjoy"] is not None
    replacement = {"id": "c-acme", "name": "ACME Renamed", "industry": "Robots"}
    f = write(tmp_path / "update.json", {**HEAD, "clients": [replacement]})
    proc = cli.ok(run("import", f, "--data", demo_store))
    assert "clients: 0 added, 1 updated" in proc.stdout
    after = json.loads(export(run, cli, demo_store))
    assert len(after["clients"]) == len(before["clients"])
    # replaced as a whole (left-out fields take their defaults), in the same place
    assert after["clients"][index] == {
        "id": "c-acme",
        "name": "ACME Renamed",
        "industry": "Robots",
        "enjoy": None,
        "industry_fit": None,
    }
    others_before = before["clients"][:index] + before["clients"][index + 1 :]
    others_after = after["clients"][:index] + after["clients"][index + 1 :]
    assert others_after == others_before
    for key in before:
        if key != "clients":
            assert after[key] == before[key], key


def test_merging_import_may_refer_to_stored_records(run, cli, tmp_path, demo_store):
    eng = {
        "id": "e-acme-extra",
        "client": "c-acme",
        "kind": "project",
        "start": "2026-12-01",
        "end": "2027-01-31",
        "price": 9000,
        "hours_per_week": 5,
    }
    f = write(tmp_path / "eng.json", {**HEAD, "engagements": [eng]})
    proc = cli.ok(run("import", f, "--data", demo_store))
    assert "engagements: 1 added, 0 updated" in proc.stdout
    after = json.loads(export(run, cli, demo_store))
    assert after["engagements"][-1]["id"] == "e-acme-extra"
    assert after["engagements"][-1]["client"] == "c-acme"


def test_import_from_stdin(run, cli, tmp_path):
    data = tmp_path / "agency.json"
    cli.ok(run("import", "-", "--data", data, input=cli.sample("firm_a").read_text(encoding="utf-8")))
    assert json.loads(export(run, cli, data)) == cli.sample_doc("firm_a")


def test_export_to_a_file(run, cli, tmp_path, demo_store):
    out = tmp_path / "out" / "export.json"
    out.parent.mkdir()
    proc = cli.ok(run("export", "--data", demo_store, "-o", out))
    assert proc.stdout == ""
    assert str(out) in proc.stderr
    assert out.read_text(encoding="utf-8") == export(run, cli, demo_store)
    assert sorted(p.name for p in out.parent.iterdir()) == ["export.json"]  # no temporary file left
    # --output is the long form, and it overwrites
    out.write_text("old", encoding="utf-8")
    cli.ok(run("export", "--data", demo_store, "--output", out))
    assert json.loads(out.read_text(encoding="utf-8")) == cli.sample_doc("demo")


def test_export_to_a_missing_directory_is_a_usage_error(run, cli, tmp_path, demo_store):
    out = tmp_path / "no" / "such" / "dir" / "export.json"
    err = cli.usage_error(run("export", "--data", demo_store, "-o", out))
    assert str(out) in err
    assert not out.parent.exists()


def test_export_without_a_data_file_is_a_usage_error(run, cli, tmp_path):
    data = tmp_path / "missing.json"
    err = cli.usage_error(run("export", "--data", data))
    assert str(data) in err
    assert not data.exists()


def test_env_var_selects_the_data_file(run, cli, tmp_path):
    data = tmp_path / "from-env" / "agency.json"
    env = {"TUI_ADVISOR_DATA": str(data)}
    proc = cli.ok(run("import", cli.sample("one_client_70"), env=env))
    assert str(data) in proc.stdout
    assert data.is_file()
    assert json.loads(cli.ok(run("export", env=env)).stdout) == cli.sample_doc("one_client_70")
    advice = json.loads(cli.ok(run("advise", "--format", "json", "--as-of", cli.SAMPLE_AS_OF, env=env)).stdout)
    assert advice["agency"] == cli.sample_doc("one_client_70")["agency"]["name"]
    # --data wins over the variable
    other = tmp_path / "other.json"
    cli.ok(run("import", cli.sample("firm_b"), "--data", other, env=env))
    assert json.loads(cli.ok(run("export", "--data", other, env=env)).stdout) == cli.sample_doc("firm_b")
    assert json.loads(cli.ok(run("export", env=env)).stdout) == cli.sample_doc("one_client_70")


def test_isolated_default_data_file_is_used(run, cli):
    """Without --data, the (isolated) TUI_ADVISOR_DATA of the test environment is used."""
    data = Path(os.environ["TUI_ADVISOR_DATA"])
    assert not data.exists()
    cli.ok(run("import", cli.sample("healthy")))
    assert data.is_file()
    assert json.loads(cli.ok(run("export")).stdout) == cli.sample_doc("healthy")


@pytest.mark.parametrize("where", ["before", "after"])
def test_data_option_before_and_after_the_subcommand(where, run, cli, tmp_path):
    data = tmp_path / f"{where}.json"

    def cmd(*args):
        sub, rest = args[0], args[1:]
        if where == "before":
            return run("--data", data, sub, *rest)
        return run(sub, *rest, "--data", data)

    proc = cli.ok(cmd("import", cli.sample("cash_strapped")))
    assert str(data) in proc.stdout
    assert data.is_file()
    assert not Path(os.environ["TUI_ADVISOR_DATA"]).exists()
    assert json.loads(cli.ok(cmd("export")).stdout) == cli.sample_doc("cash_strapped")
    advice = json.loads(cli.ok(cmd("advise", "--format", "json", "--as-of", cli.SAMPLE_AS_OF)).stdout)
    assert advice["agency"] == cli.sample_doc("cash_strapped")["agency"]["name"]


def test_data_option_after_the_subcommand_wins(run, cli, tmp_path, demo_store):
    other = tmp_path / "missing.json"
    assert json.loads(cli.ok(run("--data", other, "export", "--data", demo_store)).stdout) == cli.sample_doc("demo")


def test_export_onto_the_data_file_itself_is_refused(run, cli, tmp_path, demo_store):
    before = demo_store.read_bytes()
    proc = run("export", "--data", demo_store, "-o", demo_store)
    assert demo_store.read_bytes() == before
    cli.usage_error(proc)
