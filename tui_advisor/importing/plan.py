"""From an export's rows to what an import would change: new, updated and unchanged invoices,
rejected rows (line, column, value, what was expected), the clients it makes; and the write.

Invoices are keyed by their number in the source system: that number *is* the invoice's id
(trimmed), so importing the same or an overlapping export again finds the invoices it made and
adds nothing; two invoices with equal amounts and dates but different numbers are both kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from .. import model
from ..numbers import NumberError, read_amount
from ..safetext import control_problem, visible
from .profiles import FIELD_HELP, Profile
from .reader import (
    HEADER_SCAN,
    CsvFileError,
    detect_decimal,
    label_of,
    match_columns,
    norm_header,
    read_text_of,
    rows_of,
)

MAX_CLOSE_CHECKS = 1000  # new names compared with the stored clients for a hint (each ~0.5 ms against 2,000)


@dataclass(frozen=True)
class Rejection:
    """A row that cannot be imported: its line, the column (header) and value, what was expected."""

    line: int
    column: str
    value: str
    expected: str

    def __str__(self) -> str:
        col = f"column '{visible(self.column)}'" if self.column else "the row"
        val = f" value '{visible(self.value)}'" if self.column else ""
        return f"line {self.line}: {col}{val}: {self.expected}"


@dataclass
class Row:
    """One invoice as the export gives it (the client still a name)."""

    line: int
    number: str
    client: str
    issued: date
    amount: float
    due: date | None
    paid: date | None
    paid_known: bool  # the export says whether it is paid (a paid column, an open amount or a status)
    paid_undated: bool  # paid per the export, but it gives no date
    total: float | None = None  # the file's total incl. tax, when the amount is its net (None: the amount)


@dataclass
class ParsedFile:
    """An export read with a profile: its rows, the rows refused and the rows left out."""

    path: str
    profile: Profile
    headers: list[str]
    rows: list[Row]
    rejected: list[Rejection]
    skipped: list[tuple[int, str]]  # (line, why): drafts, voided, repeated lines of one invoice
    due_column: bool
    paid_column: bool
    unused: list[str] = field(default_factory=list)  # optional fields of the profile the file has no column for
    decimal: str = "."  # the decimal mark the amounts were read with
    detected: str | None = None  # why, when it was told from the amounts (the profile's decimal = "auto")
    amount_column: str = ""  # the header of the total read as ``amount``
    net_column: str | None = None  # the header of the amount before tax, when the file has it (the amount)
    tax_column: str | None = None  # the header of the tax in the total, when used (amount = total - tax)

    def amounts_basis(self) -> tuple[str, bool]:
        """What an invoice's amount is in this file, said once in the report: (the line, whether it
        is a warning: the amounts may include VAT / sales tax)."""
        total = visible(self.amount_column)
        if self.net_column is not None:
            return f"amounts before tax: '{visible(self.net_column)}'", False
        if self.tax_column is not None:
            return f"amounts before tax: '{total}' minus '{visible(self.tax_column)}'", False
        return (
            f"amounts are taken as they are in '{total}': if they include VAT, the revenue advice will "
            "overstate revenue; add a net or tax column to the profile",
            True,
        )


@dataclass
class Change:
    """An invoice the import adds or updates (``before``: the stored one, None for a new one)."""

    line: int
    invoice: model.Invoice
    before: model.Invoice | None = None
    fields: tuple[str, ...] = ()  # what changed in an update


@dataclass
class ImportPlan:
    """What importing a file would do to the data it was planned on."""

    path: str
    profile: Profile
    as_of: date
    new: list[Change] = field(default_factory=list)
    updated: list[Change] = field(default_factory=list)
    unchanged: list[Change] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)
    new_clients: list[model.Client] = field(default_factory=list)
    close_misses: list[tuple[str, str]] = field(default_factory=list)  # (name in the file, a stored client's name)
    notes: list[str] = field(default_factory=list)
    parsed: ParsedFile | None = None
    client_names: dict[str, str] = field(default_factory=dict)  # client id -> name (stored and new)
    revision: int | None = None  # the data file's revision the plan was made on, when known
    agency_named: bool = False  # the data planned on has an agency profile
    amounts: str = ""  # what the amounts are: before tax (which column), or as in the total (a warning)
    amounts_warning: bool = False  # the amounts are the totals as written: they may include VAT

    @property
    def changes(self) -> int:
        return len(self.new) + len(self.updated) + len(self.new_clients)

    def summary(self) -> str:
        parts = [
            f"{len(self.new)} new",
            f"{len(self.updated)} updated",
            f"{len(self.unchanged)} unchanged",
            f"{len(self.rejected)} rejected",
        ]
        text = "invoices: " + ", ".join(parts)
        if self.skipped:
            text += f"; {len(self.skipped)} row(s) left out"
        if self.new_clients:
            text += f"; {len(self.new_clients)} new client(s)"
        return text

    def document(self) -> dict[str, Any]:
        """The interchange document the store merges: the new clients, the new and updated invoices."""
        doc: dict[str, Any] = {"format": model.FORMAT, "version": model.VERSION}
        if self.new_clients:
            doc["clients"] = [model.record_to_json("clients", c) for c in self.new_clients]
        invoices = [c.invoice for c in self.new] + [c.invoice for c in self.updated]
        if invoices:
            doc["invoices"] = [model.record_to_json("invoices", i) for i in invoices]
        return doc


# ------------------------------------------------------------------ reading rows


def _example(fmt: str) -> str:
    return date(2026, 12, 31).strftime(fmt)


def read_rows(path: str | Path, profile: Profile, *, currency: str | None = None) -> ParsedFile:
    """Every row of the export, read strictly by the profile. A problem with the file as a
    whole (unreadable, a required column missing) raises CsvFileError; a bad row is rejected."""
    label = label_of(path)
    text = read_text_of(path, profile.encoding)
    try:
        it = rows_of(text, profile.delimiter)
        first = next(it, None)
        if first is None:
            raise CsvFileError(f"{label}: is empty: no header line")
        header_line, headers = first
        cols, problems = match_columns(headers, profile)
        scanned = [first]
        while problems and len(scanned) < HEADER_SCAN:  # a report's title lines above the header
            nxt = next(it, None)
            if nxt is None:
                break
            scanned.append(nxt)
            cols2, problems2 = match_columns(nxt[1], profile)
            if not problems2:
                (header_line, headers), cols, problems = nxt, cols2, problems2
        if problems and len(scanned) > 1:
            it = rows_of(text, profile.delimiter)  # no header found below: the first line is the one meant
            next(it)
        if "tax" in cols and "net" not in cols and cols["tax"] == cols["amount"]:
            problems.append(
                f"the tax column {visible(headers[cols['tax']].strip())!r} is the amount's column: "
                "map tax to the column of the tax in the total"
            )
        if problems:
            raise CsvFileError(
                f"{label}: line {header_line}: the header does not fit profile {profile.name!r}", problems
            )
        reading = profile
        detected: str | None = None
        if profile.decimal == "auto":  # told from the amounts themselves, only where they tell it
            body = list(it)
            idx = [cols[f] for f in ("amount", "net", "tax", "open") if f in cols]
            mark, why = detect_decimal([row[i] for _, row in body for i in idx if i < len(row)])
            if mark is None:
                raise CsvFileError(
                    f"{label}: the number style cannot be told from the amounts: {why}; "
                    'set the profile\'s [csv] decimal to "," (1.234,56) or "." (1,234.56)'
                )
            reading, detected, it = replace(profile, decimal=mark), why, iter(body)
        parsed = ParsedFile(str(path), profile, headers, [], [], [], "due" in cols, "paid" in cols)
        # net and tax: the amounts' basis line says what was used (never "not used" twice)
        parsed.unused = [f for f in profile.columns if f not in cols and f not in ("net", "tax")]
        parsed.amount_column = headers[cols["amount"]].strip()
        if "net" in cols:
            parsed.net_column = headers[cols["net"]].strip()
        elif "tax" in cols:
            parsed.tax_column = headers[cols["tax"]].strip()
        parsed.decimal = reading.decimal
        parsed.detected = detected
        _read_body(it, cols, headers, reading, parsed, currency)
    except CsvFileError as exc:
        if str(exc).startswith(label):
            raise
        raise CsvFileError(f"{label}: {exc}", exc.problems) from None
    return parsed


def _read_body(
    it: Any, cols: dict[str, int], headers: list[str], profile: Profile, out: ParsedFile, currency: str | None
) -> None:
    decimal, fmt = profile.decimal, profile.date_format
    example = _example(fmt)
    strptime = datetime.strptime
    width = len(headers)
    paid_status = {norm_header(s) for s in profile.paid_status}
    skip_status = {norm_header(s) for s in profile.skip_status}
    i_num, i_client, i_issued, i_amount = cols["invoice"], cols["client"], cols["issued"], cols["amount"]
    i_due, i_paid, i_open, i_status = cols.get("due"), cols.get("paid"), cols.get("open"), cols.get("status")
    i_type, i_terms, i_currency = cols.get("type"), cols.get("terms"), cols.get("currency")
    i_net = cols.get("net")
    i_tax = cols.get("tax") if i_net is None else None  # the net column, when there, is the amount
    credit_type = {norm_header(s) for s in profile.credit_type}
    rejected = out.rejected
    seen: dict[str, Row] = {}
    min_date, max_date = model.MIN_DATE, model.MAX_DATE

    def head(i: int) -> str:
        return headers[i].strip()

    dates: dict[str, date] = {}  # an export repeats its dates: each text is parsed once
    amounts: dict[str, float] = {}

    def read_date(line: int, i: int, value: str, what: str) -> date | None:
        known = dates.get(value)
        if known is not None:
            return known
        try:
            d = strptime(value.strip(), fmt).date()
        except ValueError:
            rejected.append(Rejection(line, head(i), value, f"expected {what} like {example} ({fmt})"))
            return None
        if not min_date <= d <= max_date:
            rejected.append(Rejection(line, head(i), value, f"expected {what} from {min_date} to {max_date}"))
            return None
        dates[value] = d
        return d

    def read_number(line: int, i: int, value: str, what: str) -> float | None:
        known = amounts.get(value)
        if known is not None:
            return known
        try:
            v = read_amount(value, decimal, label="amount", currency=currency)
        except NumberError as exc:
            why = str(exc).removeprefix("amount: ").removeprefix("amount ")  # the message names the style
            rejected.append(Rejection(line, head(i), value, f"expected {what}: {why}"))
            return None
        if not -model.MAX_MAGNITUDE < v < model.MAX_MAGNITUDE:
            rejected.append(Rejection(line, head(i), value, f"expected {what} {model.NUMBER_RANGE}"))
            return None
        amounts[value] = v
        return v

    id_max = model.KINDS["invoices"].by_name["id"].max_length or model.MAX_NAME
    name_max = model.KINDS["clients"].by_name["name"].max_length or model.MAX_NAME
    prefix = profile.id_prefix
    after_total = False
    for line, row in it:
        if len(row) > width and not after_total:
            rejected.append(
                Rejection(
                    line,
                    "",
                    "",
                    f"has {len(row)} fields but the header has {width} (a {_delim_name(profile.delimiter)} inside a value that is not in quotes?)",
                )
            )
            continue
        if len(row) < width:
            row = row + [""] * (width - len(row))
        if not row[i_num].strip() and not row[i_client].strip() and not row[i_amount].strip():
            out.skipped.append((line, "not an invoice row (a title, total or footer line)"))
            continue
        if after_total:
            out.skipped.append((line, "after the total line (the report's footer)"))
            continue
        if not row[i_num].strip() and norm_header(row[0]).startswith(("total", "totaal")):
            out.skipped.append((line, "a total line"))
            after_total = True
            continue
        if i_status is not None and skip_status and norm_header(row[i_status]) in skip_status:
            out.skipped.append((line, f"status {visible(row[i_status].strip())!r}"))
            continue
        before = len(rejected)
        number = row[i_num].strip()
        if number and prefix:
            number = prefix + number  # the invoice's id: the profile's prefix and the number in the source
        if not number:
            rejected.append(Rejection(line, head(i_num), row[i_num], f"is empty; expected {FIELD_HELP['invoice']}"))
        elif (bad := control_problem(number)) is not None:
            rejected.append(Rejection(line, head(i_num), number, f"{bad}; expected an invoice number"))
        elif len(number) > id_max:
            rejected.append(
                Rejection(line, head(i_num), number[:40] + "...", f"is {len(number)} characters; at most {id_max}")
            )
        name = " ".join(row[i_client].split())
        if not name:
            rejected.append(Rejection(line, head(i_client), row[i_client], "is empty; expected the client's name"))
        elif (bad := control_problem(row[i_client].strip())) is not None:
            rejected.append(Rejection(line, head(i_client), row[i_client], f"{bad}; expected the client's name"))
        elif len(name) > name_max:
            rejected.append(
                Rejection(line, head(i_client), name[:40] + "...", f"is {len(name)} characters; at most {name_max}")
            )
        issued = read_date(line, i_issued, row[i_issued], "the issue date")
        amount = read_number(line, i_amount, row[i_amount], "an amount")
        if currency and i_currency is not None and row[i_currency].strip():
            code = row[i_currency].strip()
            if code.upper() != currency.upper():
                rejected.append(
                    Rejection(
                        line,
                        head(i_currency),
                        code,
                        f"expected {currency}, the agency's currency (amounts are never converted)",
                    )
                )
        net = tax = None
        if i_net is not None:
            net = read_number(line, i_net, row[i_net], "the amount before tax")
        elif i_tax is not None:
            tax = read_number(line, i_tax, row[i_tax], "the tax in the total (0 when there is none)")
        if i_type is not None and norm_header(row[i_type]) in credit_type:
            # a credit note the export writes positive: its total, net and tax all made negative
            amount = -amount if amount is not None and amount > 0 else amount
            net = -net if net is not None and net > 0 else net
            tax = -tax if tax is not None and tax > 0 else tax
        total = None  # what the client owes, when the amount is before tax (the file's total incl. tax)
        if net is not None:
            total, amount = amount, net
        elif tax is not None and amount is not None:
            if abs(tax) > abs(amount):  # a tax larger than the total: not the tax of this total
                rejected.append(
                    Rejection(
                        line,
                        head(i_tax or 0),
                        row[i_tax or 0],
                        f"expected the tax in the total: it is more than the total "
                        f"{visible(row[i_amount].strip())!r} in {head(i_amount)!r}",
                    )
                )
                amount = None
            else:
                total, amount = amount, round(amount - tax, 2)
        elif (i_net is not None and net is None) or (i_tax is not None and tax is None):
            amount = None  # its net or tax cell was rejected above
        due = None
        if i_due is not None and row[i_due].strip():
            due = read_date(line, i_due, row[i_due], "the due date")
        elif i_terms is not None and row[i_terms].strip() and issued is not None:
            days = row[i_terms].strip()
            if days.isascii() and days.isdigit() and int(days) <= 3650:
                due = issued + timedelta(days=int(days))
                if due > max_date:
                    rejected.append(Rejection(line, head(i_terms), days, f"makes the due date {due}, after {max_date}"))
            else:
                rejected.append(Rejection(line, head(i_terms), days, "expected a payment term in days (0 to 3650)"))
        paid = None
        paid_known = i_paid is not None
        paid_undated = False
        if i_paid is not None and row[i_paid].strip():
            paid = read_date(line, i_paid, row[i_paid], "the date it was paid (or nothing: open)")
        if i_open is not None:
            paid_known = True
            text = row[i_open].strip()
            if text:
                open_amount = read_number(line, i_open, row[i_open], "the amount still open")
                if open_amount is not None and open_amount == 0 and paid is None:
                    paid_undated = True
        if i_status is not None and paid_status:
            paid_known = True
            if norm_header(row[i_status]) in paid_status and paid is None:
                paid_undated = True
        if len(rejected) > before or issued is None or amount is None:
            continue
        if due is not None and due < issued:
            rejected.append(Rejection(line, head(i_due or 0), row[i_due or 0], f"is before the issue date {issued}"))
            continue
        if paid is not None and paid < issued:
            rejected.append(Rejection(line, head(i_paid or 0), row[i_paid or 0], f"is before the issue date {issued}"))
            continue
        r = Row(line, number, name, issued, amount, due, paid, paid_known, paid_undated, total)
        prev = seen.get(number)
        if prev is not None and profile.sum_lines:
            if (prev.client.casefold(), prev.issued) == (r.client.casefold(), r.issued):
                prev.amount = round(prev.amount + r.amount, 2)
                if prev.total is not None or r.total is not None:
                    prev.total = round((prev.total or 0.0) + (r.total or 0.0), 2)
                out.skipped.append(
                    (line, f"a line of invoice {visible(number)!r} (line {prev.line}): its amount added")
                )
            else:
                rejected.append(
                    Rejection(
                        line,
                        head(i_num),
                        number,
                        f"invoice {visible(number)!r} is also on line {prev.line} with another client or issue date",
                    )
                )
            continue
        if prev is not None:
            if (prev.client.casefold(), prev.issued, prev.amount, prev.total, prev.due, prev.paid) == (
                r.client.casefold(),
                r.issued,
                r.amount,
                r.total,
                r.due,
                r.paid,
            ):
                out.skipped.append((line, f"another line of invoice {visible(number)!r} (line {prev.line})"))
            else:
                rejected.append(
                    Rejection(
                        line,
                        head(i_num),
                        number,
                        f"invoice {visible(number)!r} is also on line {prev.line} with other values "
                        "(one row per invoice, or repeated lines that agree)",
                    )
                )
            continue
        seen[number] = r
        out.rows.append(r)


def _delim_name(d: str) -> str:
    return {";": "semicolon", ",": "comma", "\t": "tab", "|": "bar"}.get(d, repr(d))


# ------------------------------------------------------------------ planning


def norm_name(name: str) -> str:
    """A client's name as matched: case and spacing ignored."""
    return model.name_key(name)


# legal forms a name may carry or not ("Initech" and "Initech B.V." are likely one client)
_LEGAL_FORMS = frozenset("bv nv vof cv ltd limited inc incorporated llc llp plc gmbh ag sa sarl bvba co corp".split())
_PUNCT = re.compile(r"[^\w\s]")


def core_name(name: str) -> str:
    """A name for the "close to a stored client" hint: punctuation and trailing legal forms
    left out (``Initech B.V.`` -> ``initech``), never used to match."""
    words = _PUNCT.sub("", norm_name(name)).split()
    while len(words) > 1 and words[-1] in _LEGAL_FORMS:
        words.pop()
    return " ".join(words)


def close_client(name: str, cores: list[str], norms: list[str], names: list[str]) -> str | None:
    """The stored client ``name`` is close to (``names``: as stored, ``norms`` and ``cores``: their
    matched and core names):
    the most similar whose name or core name is at least 80% alike (rapidfuzz's Indel ratio,
    the same measure as difflib's), or None."""
    from rapidfuzz import fuzz, process

    if not cores:
        return None
    best: tuple[float, int] | None = None
    for query, choices in ((core_name(name), cores), (norm_name(name), norms)):
        found = process.extractOne(query, choices, scorer=fuzz.ratio, score_cutoff=80)
        if found is not None and (best is None or found[1] > best[0]):
            best = (found[1], found[2])
    return names[best[1]] if best is not None else None


def plan_import(
    path: str | Path, profile: Profile, data: model.AgencyData, as_of: date, *, revision: int | None = None
) -> ImportPlan:
    """What importing ``path`` with ``profile`` would do to ``data`` (nothing is written).
    ``revision``: the data file's revision ``data`` was read at (a Snapshot's), when known: the
    write then needs no second read while the file stays at it."""
    currency = data.agency.currency if data.agency.name else None
    plan = plan_rows(read_rows(path, profile, currency=currency), data, as_of)
    plan.revision = revision
    return plan


def plan_rows(parsed: ParsedFile, data: model.AgencyData, as_of: date) -> ImportPlan:
    """The plan of already read rows against ``data`` (cheap: the write plans again under the lock)."""
    profile = parsed.profile
    plan = ImportPlan(parsed.path, profile, as_of, parsed=parsed)
    plan.rejected = list(parsed.rejected)
    plan.skipped = list(parsed.skipped)
    clients_by_name: dict[str, str] = {}
    client_ids: set[str] = set()
    stored_names: dict[str, str] = {}
    for c in data.clients:
        client_ids.add(c.id)
        clients_by_name.setdefault(norm_name(c.name), c.id)
        stored_names.setdefault(norm_name(c.name), c.name)
    aliases = {norm_name(k): v for k, v in profile.clients.items()}
    stored_list = list(stored_names.values())
    stored_cores = [core_name(n) for n in stored_list]
    stored_norms = list(stored_names)
    invoices = {i.id: i for i in data.invoices}
    term = getattr(data.agency, "payment_term_days", 30)
    term = term if isinstance(term, int) and term >= 0 else 30
    new_client_names: dict[str, str] = {}  # normalized -> new id
    misses_seen: set[str] = set()
    termed = undated = 0
    for r in parsed.rows:
        key = norm_name(r.client)
        target = aliases.get(key)
        client_id: str | None = None
        display = r.client
        if target is not None:
            if target in client_ids:
                client_id = target
            else:
                client_id = clients_by_name.get(norm_name(target))
                display = target
            key = norm_name(display)
        else:
            client_id = clients_by_name.get(key)
        if client_id is None:
            client_id = new_client_names.get(key)
        if client_id is None:
            new = model.Client(id=model.KINDS["clients"].new_id({"name": display}, client_ids), name=display)
            client_ids.add(new.id)
            new_client_names[key] = new.id
            plan.new_clients.append(new)
            if key not in misses_seen and len(misses_seen) < MAX_CLOSE_CHECKS:
                misses_seen.add(key)
                close = close_client(display, stored_cores, stored_norms, stored_list)
                if close is not None:
                    plan.close_misses.append((display, close))
            client_id = new.id
        old = invoices.get(r.number)
        due = r.due
        if due is None:
            if not parsed.due_column and old is not None and old.due is not None:
                due = old.due  # the export has no due dates: the stored one stays
            else:
                try:
                    due = r.issued + timedelta(days=term)
                except OverflowError:  # a term past the calendar's end (a valid setting): refused below
                    due = date.max
                termed += 1
                if due > model.MAX_DATE:
                    plan.rejected.append(
                        Rejection(r.line, "", "", f"its due date by the payment term ({due}) is after {model.MAX_DATE}")
                    )
                    continue
        paid = r.paid
        if r.paid_undated:
            if old is not None and old.paid is not None:
                paid = old.paid
            else:
                paid = max(r.issued, as_of)
                undated += 1
        elif not r.paid_known and old is not None:
            paid = old.paid  # the export does not say: what is stored stays
        engagement = old.engagement if old is not None and old.client == client_id else None
        # a stored invoice keeps what the export does not hold (its note, any field added later)
        inv = (
            replace(
                old,
                client=client_id,
                issued=r.issued,
                amount=r.amount,
                total=r.total,
                engagement=engagement,
                due=due,
                paid=paid,
            )
            if old is not None
            else model.Invoice(
                id=r.number,
                client=client_id,
                issued=r.issued,
                amount=r.amount,
                total=r.total,
                engagement=engagement,
                due=due,
                paid=paid,
            )
        )
        if old is None:
            plan.new.append(Change(r.line, inv))
            invoices[r.number] = inv
        elif old == inv:
            plan.unchanged.append(Change(r.line, inv, old))
        else:
            changed = tuple(
                f for f in ("client", "issued", "amount", "total", "due", "paid") if getattr(old, f) != getattr(inv, f)
            )
            plan.updated.append(Change(r.line, inv, old, changed))
            invoices[r.number] = inv
    plan.agency_named = bool(data.agency.name)
    plan.amounts, plan.amounts_warning = parsed.amounts_basis()
    if not plan.agency_named:
        plan.notes.append("the agency has no profile yet: the import is refused until it has one (set it up first)")
    if parsed.detected:
        style = "1.234,56" if parsed.decimal == "," else "1,234.56"
        plan.notes.append(f"amounts read in the style {style}, told from the file: {parsed.detected}")
    plan.client_names = {c.id: c.name for c in data.clients} | {c.id: c.name for c in plan.new_clients}
    if len(misses_seen) >= MAX_CLOSE_CHECKS and len(plan.new_clients) > MAX_CLOSE_CHECKS:
        plan.notes.append(
            f"{len(plan.new_clients)} new clients: only the first {MAX_CLOSE_CHECKS} were compared with the stored ones"
        )
    if parsed.unused:
        plan.notes.append(
            "not in the file, so not used: "
            + ", ".join(f"{f} ({visible(profile.columns[f])!r})" for f in parsed.unused)
        )
    if termed:
        plan.notes.append(
            f"{termed} invoice(s) have no due date in the export: due {term} days after issue (the agency's payment term)"
        )
    if undated:
        plan.notes.append(
            f"{undated} invoice(s) are paid per the export, which does not say when: paid date set to {max(as_of, date.min)} "
            "(the day of the import; edit them if you know the date)"
        )
    if not parsed.paid_column and not any(r.paid_known for r in parsed.rows) and parsed.rows:
        plan.notes.append("the profile maps no paid date, open amount or status: new invoices are imported as open")
    return plan


# ------------------------------------------------------------------ writing


class RowsRejected(Exception):
    """The plan has rejected rows and ``skip_bad`` was not given: nothing was written."""

    def __init__(self, plan: ImportPlan):
        self.plan = plan
        super().__init__(f"{label_of(plan.path)}: {len(plan.rejected)} row(s) cannot be imported; nothing was imported")


def apply_plan(store: Any, plan: ImportPlan, *, skip_bad: bool = False, attempts: int = 5) -> ImportPlan:
    """Write a plan through the store: one locked, audited, atomic write of its new clients and
    its new and updated invoices, written only if the file is still at the revision the plan was
    made on (checked under the lock); when a teammate wrote in between, the rows are planned again
    on the file as it is now (their change respected, never overwritten), up to ``attempts`` times.
    Returns the plan that was written. Raises RowsRejected (nothing written) when rows were
    rejected and ``skip_bad`` is false."""
    if plan.rejected and not skip_bad:
        raise RowsRejected(plan)
    assert plan.parsed is not None
    from ..store import Stale

    for attempt in range(attempts):
        if attempt == 0 and plan.revision is not None:
            current, revision, named = plan, plan.revision, plan.agency_named  # planned on a known revision
        else:
            snap = store.snapshot() if store.exists() else None
            data = snap.data if snap is not None else model.AgencyData()
            current = plan_rows(plan.parsed, data, plan.as_of)
            revision, named = (snap.revision if snap is not None else 0), bool(data.agency.name)
        if not named:
            raise CsvFileError(
                f"{store.path}: the agency has no profile yet; set it up first (run `tui-advisor` and fill in "
                "the agency profile, or import an interchange JSON file with the agency)"
            )
        if not current.changes:
            return current
        try:
            store.import_document(
                current.document(),
                expected_revision=revision,
                action=f"import csv ({plan.profile.name})",
            )
        except Stale:
            if attempt == attempts - 1:
                raise
            continue
        return current
    return plan  # pragma: no cover - the loop returns or raises
