"""importing/mapping.py, what the import screen stands on: the path check, completion, the mapping
guessed from headers, read-as, and a profile saved as a file that --profile PATH reads back."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from tui_advisor import model
from tui_advisor.importing import builtin_profiles, load_profile
from tui_advisor.importing.mapping import (
    PathProblem,
    ProfileExists,
    check_path,
    complete_path,
    default_profile_path,
    guess_columns,
    guess_date_format,
    guess_decimal,
    make_profile,
    read_as,
    save_profile,
)
from tui_advisor.importing.profiles import Profile


def test_check_path_takes_a_regular_file_and_refuses_the_rest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    f = tmp_path / "export.csv"
    f.write_text("a,b\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert check_path("export.csv") == f  # relative to the working directory
    assert check_path(f"  {f}  ") == f
    own_link = tmp_path / "mine.csv"
    own_link.symlink_to(f)
    assert check_path(str(own_link)) == own_link  # a link of one's own is fine
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    with pytest.raises(PathProblem, match=r"is a FIFO \(named pipe\), not a file: nothing was read"):
        check_path(str(fifo))
    with pytest.raises(PathProblem, match="is a directory"):
        check_path(str(tmp_path))
    with pytest.raises(PathProblem, match="no such file"):
        check_path(str(tmp_path / "nope" / "x.csv"))
    with pytest.raises(PathProblem, match="type the path"):
        check_path("   ")
    with pytest.raises(PathProblem, match=r"\\x1b"):
        check_path("ex\x1b[2Jport.csv")


@pytest.mark.skipif(os.geteuid() != 0, reason="a link owned by another user needs root to make")
def test_check_path_refuses_a_link_another_user_made_anywhere_on_the_path(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (real / "x.csv").write_text("a\n", encoding="utf-8")
    planted = tmp_path / "shared"
    planted.symlink_to(real)
    os.lchown(planted, 4242, 4242)
    with pytest.raises(PathProblem, match=r"is a symbolic link made by another user \(uid 4242\)"):
        check_path(str(planted / "x.csv"))


def test_complete_path_offers_the_first_match_and_never_a_control_character(tmp_path: Path) -> None:
    (tmp_path / "facturen-2026.csv").write_text("", encoding="utf-8")
    (tmp_path / "fac\x1bevil.csv").write_text("", encoding="utf-8")
    (tmp_path / "folder").mkdir()
    assert complete_path(f"{tmp_path}/fa") == f"{tmp_path}/facturen-2026.csv"
    assert complete_path(f"{tmp_path}/fo") == f"{tmp_path}/folder/"
    assert complete_path(f"{tmp_path}/zz") is None
    assert complete_path(f"{tmp_path}/fac\x1b") is None


def test_guess_columns_knows_the_built_in_headers_and_common_words() -> None:
    moneybird = ["Factuurnummer", "Contact", "Factuurdatum", "Vervaldatum", "Totaalbedrag incl. btw", "Betaald op"]
    assert guess_columns(moneybird) == {
        "invoice": "Factuurnummer",
        "client": "Contact",
        "issued": "Factuurdatum",
        "due": "Vervaldatum",
        "amount": "Totaalbedrag incl. btw",
        "paid": "Betaald op",
    }
    own = ["Doc No", "Customer Name", "Doc Date", "Due Date", "Total Gross", "Paid Date"]
    guessed = guess_columns(own)
    assert guessed["client"] == "Customer Name"
    assert guessed["due"] == "Due Date" and guessed["issued"] == "Doc Date"  # a due date is not the issue date
    assert guessed["amount"] == "Total Gross" and guessed["paid"] == "Paid Date"
    assert len(set(guessed.values())) == len(guessed)  # each header once
    assert guess_columns(["x", "y"]) == {}


def test_guessing_the_date_format_and_the_decimal_mark() -> None:
    assert guess_date_format(["03-11-2026", "28-11-2026"]) == "%d-%m-%Y"
    assert guess_date_format(["2026-11-03"]) == "%Y-%m-%d"
    assert guess_date_format(["11/28/2026", "11/03/2026"]) == "%m/%d/%Y"
    assert guess_date_format(["03/11/2026", "28/11/2026"]) == "%d/%m/%Y"
    assert guess_date_format(["soon"]) is None
    assert guess_decimal(["1.234,56", "12,50"], ".") == ","
    assert guess_decimal(["1,234.56"], ",") == "."
    assert guess_decimal(["100", "1.234"], ",") == ","  # both readings fit: the default


def test_read_as_shows_the_reading_or_what_is_wrong() -> None:
    p = Profile(name="t", decimal=",", date_format="%d-%m-%Y", columns={})
    assert read_as("issued", "03-11-2026", p) == ("2026-11-03", True)
    assert read_as("issued", "2026-11-03", p) == ("not a date like 31-12-2026 (%d-%m-%Y)", False)
    assert read_as("issued", "", p)[1] is False
    assert read_as("due", "", p) == ("empty: due after the payment term", True)
    assert read_as("paid", "", p) == ("empty: open", True)
    assert read_as("amount", "€ 1.234,56", p) == ("1,234.56", True)
    assert read_as("amount", "97.250", p) == ("97,250.00", True)
    assert read_as("amount", "97.250", p, decimal=",", currency="EUR") == ("97.250,00 EUR", True)
    assert read_as("amount", "€ 97.250", p, decimal=",", currency="EUR") == ("97.250,00 EUR", True)
    shown, ok = read_as("amount", "$ 97.250", p, decimal=",", currency="EUR")
    assert not ok and "$" in shown
    shown, ok = read_as("amount", "97.25", p)
    assert not ok and "97.25" in shown and "1.234,56" in shown
    data = model.AgencyData(clients=[model.Client(id="c-acme", name="ACME Ltd")])
    assert read_as("client", "acme   LTD", p, data) == ("ACME Ltd (a stored client)", True)
    assert read_as("client", "Globex", p, data) == ("Globex (a new client)", True)
    shown, ok = read_as("client", "Evil\x1b]0;x\x07", p, data)
    assert not ok and "\x1b" not in shown


def test_a_saved_profile_reads_back_as_it_was_made(tmp_path: Path) -> None:
    base = builtin_profiles()["moneybird"]
    columns = dict(base.columns)
    columns["client"] = "Relatie"  # one column changed: the others keep their alternatives
    made = make_profile(
        base, name="mine", columns=columns, delimiter=";", decimal=",", date_format="%d/%m/%Y", encoding="utf-8"
    )
    path = save_profile(made, tmp_path / "sub" / "mine.toml")
    back = load_profile(str(path))
    assert back.columns == columns
    assert (back.delimiter, back.decimal, back.date_format) == (";", ",", "%d/%m/%Y")
    assert back.skip_status == base.skip_status
    assert "client" not in back.alternatives and back.alternatives.get("invoice") == base.alternatives.get("invoice")
    assert back.headers_for("client") == ("Relatie",)
    # not over an existing file without asking, never through a link
    with pytest.raises(ProfileExists):
        save_profile(made, path)
    assert save_profile(made, path, overwrite=True) == path
    target = tmp_path / "target.toml"
    target.write_text("# keep\n", encoding="utf-8")
    link = tmp_path / "link.toml"
    link.symlink_to(target)
    with pytest.raises(PathProblem, match="is a symbolic link"):
        save_profile(made, link, overwrite=True)
    assert target.read_text(encoding="utf-8") == "# keep\n"
    with pytest.raises(PathProblem, match=r"ends in \.toml"):
        save_profile(made, tmp_path / "mine.txt")


def test_the_default_place_is_the_config_directory(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TUI_ADVISOR_CONFIG", str(tmp_path / "conf" / "config.toml"))
    assert default_profile_path("Moneybird mine!") == tmp_path / "conf" / "profiles" / "moneybird-mine.toml"


def test_an_import_with_a_payment_term_past_the_calendars_end_refuses_the_row_without_a_crash(tmp_path: Path) -> None:
    from tui_advisor.importing import plan_import

    csv = tmp_path / "x.csv"
    csv.write_text(
        "Factuurnummer;Contact;Factuurdatum;Totaalbedrag incl. btw\n1;Acme;01-10-2026;100,00\n", encoding="utf-8"
    )
    data = model.AgencyData(agency=model.Agency(name="T", payment_term_days=999_999_999_999))
    plan = plan_import(csv, builtin_profiles()["moneybird"], data, date(2026, 12, 1))
    assert not plan.new and len(plan.rejected) == 1 and "payment term" in str(plan.rejected[0])
