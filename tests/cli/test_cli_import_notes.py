"""`tui-advisor import` of a file that leaves out what the app's forms ask for (a won inquiry's
decision date): imported as it is, and each record noted with the core's rule, in the words
the form uses (tests/ui/test_form_rules.py)."""

from __future__ import annotations

import json

from tui_advisor import model


def test_an_import_notes_a_won_inquiry_without_its_date(run, cli, tmp_path) -> None:
    doc = cli.sample_doc("demo")
    won = [i for i, q in enumerate(doc["inquiries"]) if q["status"] == "won"][:2]
    for i in won:
        doc["inquiries"][i]["decided"] = None
    path = tmp_path / "undated.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    data = tmp_path / "agency.json"
    proc = cli.ok(run("import", path, "--data", data))
    [message] = {
        p.message
        for p in model.record_problems(
            "inquiries", model.Inquiry(id="q", received=model.MIN_DATE, prospect="p", status="won")
        )
    }
    notes = [line for line in proc.stderr.splitlines() if line.startswith("warning: ")]
    assert notes == [
        f"warning: inquiries[{i}].decided: {message} (imported as it is; the app's form asks for it)" for i in won
    ]
    exported = json.loads(cli.ok(run("export", "--data", data)).stdout)
    assert [exported["inquiries"][i]["decided"] for i in won] == [None, None]  # the data is as it was


def test_an_import_of_a_complete_file_notes_nothing(run, cli, tmp_path) -> None:
    proc = cli.ok(run("import", cli.sample("demo"), "--data", tmp_path / "agency.json"))
    assert "warning" not in proc.stderr
