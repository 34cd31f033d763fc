"""CSV imports of the briefing's inputs: tech-debt and headcount snapshots, key-result values.

A spreadsheet export (Excel, Google Sheets, Numbers, Jira, an HRIS) is read
with the standard ``csv`` module: the byte-order mark Excel writes is dropped
(``utf-8-sig``), the dialect (comma, semicolon or tab; quoting) is sniffed
(``csv.Sniffer``), and the header must name exactly the columns of the kind
(any order, any case; see ``IMPORT_KINDS`` and the template CSVs in
``static/briefings/csv/``). Every cell is checked; each error names its row
(as the spreadsheet numbers it, the header being row 1) and column.

``csv_import_parse`` is the preview: rows and errors, nothing written.
``csv_import_commit`` writes all rows in one transaction, or none if any row
has an error (all-or-nothing). A snapshot for a team and date that exists is
replaced (a corrected export); a key-result value is a check-in
(``key_result_check_in``, one per key result and day).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.db import transaction

from briefings.models import HeadcountSnapshot, KeyResult, TechDebtSnapshot
from briefings.services.check_ins import CheckInError, key_result_check_in
from cto_office.models import Team

if TYPE_CHECKING:
    from django.contrib.auth.models import User

__all__ = [
    "IMPORT_KINDS",
    "MAX_IMPORT_BYTES",
    "CsvImportError",
    "ParsedImport",
    "csv_import_commit",
    "csv_import_parse",
]

#: Larger files are refused before reading (a weekly export is a few kilobytes).
MAX_IMPORT_BYTES = 2 * 1024 * 1024


class CellError(ValueError):
    """A cell that does not parse; the message says what was expected."""


def _whole(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise CellError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise CellError(f"{text!r} is negative")
    return value


def _decimal(text: str) -> Decimal:
    try:
        value = Decimal(
            text.replace(",", ".") if text.count(",") == 1 and "." not in text else text
        )
    except InvalidOperation:
        raise CellError(f"{text!r} is not a number") from None
    if not value.is_finite():
        raise CellError(f"{text!r} is not a number")
    return value


def _share(text: str) -> Decimal:
    """A share 0–1; ``35%`` is read as 0.35."""
    value = _decimal(text[:-1]) / 100 if text.endswith("%") else _decimal(text)
    if not Decimal(0) <= value <= Decimal(1):
        raise CellError(f"{text!r} is not between 0 and 1 (or 0% and 100%)")
    return value.quantize(Decimal("0.01"))


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CellError(f"{text!r} is not a date like 2026-11-20") from None


@dataclass(frozen=True)
class ImportKind:
    """One kind of import: its label, its columns with their parsers, and who it writes."""

    label: str
    columns: dict[str, Callable[[str], Any]]
    optional: frozenset[str] = frozenset()


IMPORT_KINDS: dict[str, ImportKind] = {
    "tech_debt": ImportKind(
        "Tech-debt snapshots",
        {
            "team": str,
            "date": _date,
            "items_open": _whole,
            "effort_days": _decimal,
            "critical": _whole,
            "high": _whole,
            "medium": _whole,
            "low": _whole,
            "capacity_share": _share,
        },
    ),
    "headcount": ImportKind(
        "Headcount snapshots",
        {
            "team": str,
            "date": _date,
            "filled": _whole,
            "planned": _whole,
            "open_requisitions": _whole,
            "starters": _whole,
            "leavers": _whole,
        },
    ),
    "key_results": ImportKind(
        "Key-result values",
        {"key_result": _whole, "date": _date, "value": _decimal, "confidence": _share, "note": str},
        optional=frozenset({"note"}),
    ),
}


@dataclass
class ParsedImport:
    """A parsed file: ``rows`` (dicts of parsed values, with ``_row``, the spreadsheet row
    number) and ``errors`` (messages naming row and column). Valid only without errors."""

    kind: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


class CsvImportError(Exception):
    """The file was not imported; ``errors`` lists every problem found."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__(f"Nothing was imported: {len(errors)} error(s). " + "; ".join(errors[:5]))


def csv_import_parse(*, kind: str, data: bytes) -> ParsedImport:
    """Read and check a CSV file of ``kind`` (a key of ``IMPORT_KINDS``); write nothing.

    Teams are matched by slug or by name (case-insensitive), key results by id.
    A header that lacks a column or has an unknown one is one error naming
    them, and no row is read. Two queries (teams, key results) at most.
    """
    spec = IMPORT_KINDS[kind]
    parsed = ParsedImport(kind=kind)
    if len(data) > MAX_IMPORT_BYTES:
        parsed.errors.append(f"The file is larger than {MAX_IMPORT_BYTES // 1024 // 1024} MB.")
        return parsed
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        parsed.errors.append("The file is not UTF-8 text: export it as CSV (UTF-8).")
        return parsed
    if not text.strip():
        parsed.errors.append("The file is empty.")
        return parsed
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    header = [h.strip().lower().replace(" ", "_") for h in next(reader)]
    expected = set(spec.columns)
    missing = sorted(expected - spec.optional - set(header))
    unknown = sorted(set(header) - expected)
    if missing or unknown:
        parts = []
        if missing:
            parts.append(f"missing column(s): {', '.join(missing)}")
        if unknown:
            parts.append(f"unknown column(s): {', '.join(unknown)}")
        parsed.errors.append(
            f"Row 1 (header): {'; '.join(parts)}. Expected: {', '.join(spec.columns)}."
        )
        return parsed
    lookup = _lookups(kind)
    for number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue  # a blank line, as spreadsheets leave at the end
        if len(cells) != len(header):
            parsed.errors.append(f"Row {number}: {len(cells)} cells for {len(header)} columns.")
            continue
        row: dict[str, Any] = {"_row": number}
        for column, raw in zip(header, cells):
            cell = raw.strip()
            if not cell and column in spec.optional:
                row[column] = ""
                continue
            if not cell:
                parsed.errors.append(f"Row {number}, column {column}: empty.")
                continue
            try:
                row[column] = lookup.get(column, spec.columns[column])(cell)
            except CellError as exc:
                parsed.errors.append(f"Row {number}, column {column}: {exc}.")
        parsed.rows.append(row)
    if not parsed.rows and not parsed.errors:
        parsed.errors.append("The file has a header but no rows.")
    return parsed


def _lookups(kind: str) -> dict[str, Callable[[str], Any]]:
    """Parsers that resolve a cell to a row of ours: ``team`` by slug or name, ``key_result`` by id."""
    if kind == "key_results":
        key_results = {kr.pk: kr for kr in KeyResult.objects.select_related("objective")}

        def key_result(text: str) -> KeyResult:
            pk = _whole(text)
            if pk not in key_results:
                raise CellError(f"no key result has id {pk}")
            return key_results[pk]

        return {"key_result": key_result}
    teams: dict[str, Team] = {}
    for team in Team.objects.all():
        teams[team.slug.lower()] = team
        teams.setdefault(team.name.lower(), team)

    def team(text: str) -> Team:
        try:
            return teams[text.lower()]
        except KeyError:
            raise CellError(f"no team is called {text!r} (use its name or slug)") from None

    return {"team": team}


def csv_import_commit(*, kind: str, data: bytes, by: User) -> int:
    """Import a CSV file of ``kind`` all-or-nothing; return the number of rows written.

    Raises ``CsvImportError`` with every error (nothing written) when the file
    does not parse, or when a row is refused while writing (a key-result value
    dated outside its quarter): the transaction is rolled back.
    """
    parsed = csv_import_parse(kind=kind, data=data)
    if parsed.errors:
        raise CsvImportError(parsed.errors)
    errors: list[str] = []
    with transaction.atomic():
        for row in parsed.rows:
            values = {
                k: v for k, v in row.items() if k not in ("_row", "team", "date", "key_result")
            }
            if kind == "key_results":
                try:
                    key_result_check_in(
                        key_result=row["key_result"],
                        value=row["value"],
                        confidence=row["confidence"],
                        note=row.get("note", ""),
                        day=row["date"],
                        by=by,
                    )
                except CheckInError as exc:
                    errors.append(f"Row {row['_row']}, column date: {exc}")
                continue
            model = TechDebtSnapshot if kind == "tech_debt" else HeadcountSnapshot
            model.objects.update_or_create(team=row["team"], date=row["date"], defaults=values)
        if errors:
            transaction.set_rollback(True)
    if errors:
        raise CsvImportError(errors)
    return len(parsed.rows)
