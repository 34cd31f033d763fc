"""Reading a Jira "Export CSV" file into action rows: columns, statuses, priorities, dates.

Pure parsing, no database: ``actions.services.jira_import`` matches owners and
writes. Jira Cloud and Data Center export one header row, repeat a column name for
multi-valued fields (``Labels``, ``Watchers``, ``Comment``), quote multi-line
fields, and write dates in the exporting user's format, by default
``15/Feb/26 4:37 PM`` (Jira docs, "Configuring the look and feel of Jira
applications": ``jira.date.time.picker.java.format`` is ``dd/MMM/yy h:mm a``).
Other locales and tools write ISO dates, semicolons (a spreadsheet's export in
a comma-decimal locale) or a byte-order mark: all are read. Columns used:

=================== ======== ===========================================================
column              required meaning
=================== ======== ===========================================================
Summary             yes      the action's title
Issue key           yes      ``TES-24``: re-importing updates the action with this key
Status              yes      mapped by ``STATUS_MAP``, else by ``Status Category``
Status Category     no       Jira's fixed category ("To Do", "In Progress", "Done")
Assignee            no       display name or e-mail address of the owner
Assignee Id         no       used when it holds an e-mail address
Priority            no       Highest/High/Medium/Low/Lowest (and Blocker/Critical/…)
Due date            no       the due date
Labels              no       repeated; kept in the description
Description         no       Markdown-ish text, multi-line
=================== ======== ===========================================================
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass, field

from actions.models import ActionItem, ActionStatus

MAX_ROWS = 5_000
MAX_BYTES = 5 * 1024 * 1024
REQUIRED = ("Summary", "Issue key", "Status")

#: Jira status names (case-insensitive) → action status. Custom statuses fall back
#: to Jira's ``Status Category`` column, which every workflow status belongs to.
STATUS_MAP = {
    "to do": ActionStatus.OPEN,
    "open": ActionStatus.OPEN,
    "backlog": ActionStatus.OPEN,
    "selected for development": ActionStatus.OPEN,
    "reopened": ActionStatus.OPEN,
    "in progress": ActionStatus.IN_PROGRESS,
    "in review": ActionStatus.IN_PROGRESS,
    "blocked": ActionStatus.BLOCKED,
    "on hold": ActionStatus.BLOCKED,
    "done": ActionStatus.DONE,
    "closed": ActionStatus.DONE,
    "resolved": ActionStatus.DONE,
    "won't do": ActionStatus.DROPPED,
    "cancelled": ActionStatus.DROPPED,
    "canceled": ActionStatus.DROPPED,
    "declined": ActionStatus.DROPPED,
}
STATUS_CATEGORY_MAP = {
    "to do": ActionStatus.OPEN,
    "new": ActionStatus.OPEN,
    "in progress": ActionStatus.IN_PROGRESS,
    "indeterminate": ActionStatus.IN_PROGRESS,
    "done": ActionStatus.DONE,
    "complete": ActionStatus.DONE,
}
PRIORITY_MAP = {
    "highest": ActionItem.Priority.CRITICAL,
    "blocker": ActionItem.Priority.CRITICAL,
    "critical": ActionItem.Priority.CRITICAL,
    "high": ActionItem.Priority.HIGH,
    "major": ActionItem.Priority.HIGH,
    "medium": ActionItem.Priority.MEDIUM,
    "": ActionItem.Priority.MEDIUM,
    "low": ActionItem.Priority.LOW,
    "lowest": ActionItem.Priority.LOW,
    "minor": ActionItem.Priority.LOW,
    "trivial": ActionItem.Priority.LOW,
}
#: Date formats tried in order (``strptime``, English month abbreviations).
DATE_FORMATS = (
    "%d/%b/%y %I:%M %p",
    "%d/%b/%y",
    "%d/%b/%Y %I:%M %p",
    "%d/%b/%Y",
    "%Y-%m-%d %H:%M",
    "%d/%m/%Y",
)


@dataclass(frozen=True)
class RowError:
    """What could not be read, where: ``row`` counts the header as row 1, like a spreadsheet."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"Row {self.row}, column {self.column}: {self.message}"


class JiraFileError(Exception):
    """The file cannot be imported; ``errors`` lists every problem found (row, column, message)."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors[:5]) + (" …" if len(errors) > 5 else ""))


@dataclass
class JiraRow:
    """One issue of the export, read and mapped but not yet matched to an owner."""

    row: int
    key: str
    title: str
    status: str
    priority: int
    assignee: str
    due_date: dt.date | None
    description: str
    labels: list[str] = field(default_factory=list)


def parse_date(text: str, *, today: dt.date) -> dt.date:
    """A Jira date (see ``DATE_FORMATS``, or ISO 8601) as a date; the time of day is dropped.

    Raises ``ValueError`` for text in none of those formats, or a year outside
    2000 to ``ActionItem.MAX_YEARS_AHEAD`` years from ``today`` (an impossible or mistyped due date).
    """
    text = " ".join(text.split())
    value = None
    try:
        value = dt.date.fromisoformat(text[:10]) if text[:4].isdigit() and "-" in text else None
    except ValueError:
        value = None
    for fmt in DATE_FORMATS if value is None else ():
        try:
            value = dt.datetime.strptime(text, fmt).date()
            break
        except ValueError:
            continue
    if value is None:
        raise ValueError(
            f"{text!r} is not a date Jira writes (like 15/Feb/26 4:37 PM or 2026-02-15)"
        )
    if value.year < 2000 or ActionItem.due_date_too_far(value, today):
        raise ValueError(f"{value:%Y-%m-%d} is not a believable due date")
    return value


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise JiraFileError(
            [RowError(1, "(file)", "the file is not UTF-8 text; export it again as CSV")]
        ) from exc


def _dialect(text: str) -> type[csv.Dialect] | csv.Dialect:
    try:
        return csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
    except csv.Error:
        return csv.excel


def read_jira_csv(data: bytes, *, today: dt.date) -> list[JiraRow]:
    """Every issue of a Jira CSV export (``data``, the file's bytes), in file order.

    Raises ``JiraFileError`` listing every unreadable cell (row and column) — the
    caller imports nothing then — or a file too big, empty, or missing a required column.
    """
    if len(data) > MAX_BYTES:
        raise JiraFileError(
            [RowError(1, "(file)", f"the file is over {MAX_BYTES // 1024 // 1024} MB")]
        )
    text = _decode(data)
    if "\x00" in text:
        raise JiraFileError(
            [RowError(1, "(file)", "the file holds NUL bytes: it is not a CSV export")]
        )
    reader = csv.reader(io.StringIO(text, newline=""), _dialect(text))
    header = [name.strip() for name in next(reader, [])]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise JiraFileError(
            [
                RowError(1, name, 'this column is missing (is it a Jira "Export CSV" file?)')
                for name in missing
            ]
        )
    rows, errors = [], []
    for number, cells in enumerate(_records(reader), start=2):
        if number - 1 > MAX_ROWS:
            raise JiraFileError(
                [RowError(number, "(file)", f"more than {MAX_ROWS:,} issues: split the export")]
            )
        if not any(cell.strip() for cell in cells):
            continue
        row = _read_row(number, header, cells, today=today, errors=errors)
        if row is not None:
            rows.append(row)
    if errors:
        raise JiraFileError(errors)
    if not rows:
        raise JiraFileError([RowError(2, "(file)", "the file has a header but no issues")])
    return rows


def _records(reader) -> Iterator[list[str]]:
    """The reader's records; a malformed one (an unclosed quote) raises ``JiraFileError``."""
    while True:
        try:
            yield next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise JiraFileError(
                [RowError(reader.line_num, "(file)", f"not readable as CSV ({exc})")]
            ) from exc


def _read_row(
    number: int, header: list[str], cells: list[str], *, today: dt.date, errors: list
) -> JiraRow | None:
    values: dict[str, list[str]] = {}
    for name, cell in zip(header, cells, strict=False):
        values.setdefault(name, []).append(cell.strip())

    def first(name: str) -> str:
        return next((v for v in values.get(name, []) if v), "")

    found = len(errors)
    key, title = first("Issue key"), " ".join(first("Summary").split())
    for column, value in (("Issue key", key), ("Summary", title)):
        if not value:
            errors.append(RowError(number, column, "empty"))
    status_name = first("Status")
    status = STATUS_MAP.get(status_name.lower()) or STATUS_CATEGORY_MAP.get(
        first("Status Category").lower()
    )
    if status is None:
        errors.append(
            RowError(
                number, "Status", f"unknown status {status_name!r}: no Status Category to map it by"
            )
        )
    priority = PRIORITY_MAP.get(first("Priority").lower())
    if priority is None:
        errors.append(RowError(number, "Priority", f"unknown priority {first('Priority')!r}"))
    due = None
    if first("Due date"):
        try:
            due = parse_date(first("Due date"), today=today)
        except ValueError as exc:
            errors.append(RowError(number, "Due date", str(exc)))
    if len(errors) > found:
        return None
    assignee = first("Assignee") or (first("Assignee Id") if "@" in first("Assignee Id") else "")
    return JiraRow(
        row=number,
        key=key,
        title=title[:300],
        status=status,
        priority=priority,
        assignee=assignee,
        due_date=due,
        description=first("Description"),
        labels=[label for label in values.get("Labels", []) if label],
    )
