"""The core (CLI, store, metrics, engine, reports) runs without the user interface library."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path


def _blocker(tmp_path: Path) -> dict[str, str]:
    """An environment where `import textual` raises ImportError."""
    d = tmp_path / "no-textual"
    (d / "textual").mkdir(parents=True)
    (d / "textual" / "__init__.py").write_text(
        'raise ImportError("textual is blocked by the headless test")\n', encoding="utf-8"
    )
    old = os.environ.get("PYTHONPATH")
    return {"PYTHONPATH": str(d) + (os.pathsep + old if old else "")}


def test_blocker_works(run, tmp_path):
    """The control: with the blocker first on the path, textual cannot be imported."""
    env = dict(os.environ, **_blocker(tmp_path))
    proc = subprocess.run(
        [sys.executable, "-c", "import textual"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode != 0
    assert "blocked by the headless test" in proc.stderr


def test_advise_runs_when_textual_cannot_be_imported(run, cli, tmp_path):
    env = _blocker(tmp_path)
    doc = json.loads(cli.ok(run("advise", "--demo", "--format", "json", env=env)).stdout)
    assert doc["agency"] == "Northwind Studio"
    assert doc["recommendations"]
    cli.ok(run("advise", "--demo", env=env))
    cli.ok(run("rules", "list", env=env))
    cli.ok(run("rules", "check", env=env))
    data = tmp_path / "agency.json"
    cli.ok(run("import", cli.sample("demo"), "--data", data, env=env))
    assert json.loads(cli.ok(run("export", "--data", data, env=env)).stdout) == cli.sample_doc("demo")


SCRIPT = textwrap.dedent("""
    import io, json, sys
    from contextlib import redirect_stdout
    from datetime import date

    import tui_advisor.cli
    import tui_advisor.store
    import tui_advisor.metrics
    import tui_advisor.engine.advise
    import tui_advisor.report
    from tui_advisor import paths, report
    from tui_advisor.workspace import load_input, load_rulebook

    rulebook = load_rulebook()
    data = load_input(paths.sample_file("demo"))
    advice = rulebook.advise(data, date(2026, 11, 26))
    assert advice.recommendations
    report.render_text(advice)
    report.render_markdown(advice)
    json.loads(report.render_json(advice))

    store = tui_advisor.store.Store(sys.argv[1])
    store.import_document(json.loads(paths.sample_file("demo").read_text(encoding="utf-8")))
    assert store.load().agency.name == "Northwind Studio"

    buf = io.StringIO()
    with redirect_stdout(buf):
        code = tui_advisor.cli.main(["advise", "--demo", "--format", "json"])
    assert code == 0, code
    json.loads(buf.getvalue())

    print(json.dumps(sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))))
""")


def test_core_does_not_import_textual(cli, tmp_path):
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path / "agency.json")],
        cwd=tmp_path,
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=120,
    )
    cli.ok(proc)
    assert json.loads(proc.stdout.splitlines()[-1]) == []
