"""Importing actions from Jira CSV exports (issue 8 §5): the real file, other dialects, errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from actions.jira import JiraFileError, parse_date
from actions.models import ActionItem
from actions.services.jira_import import actions_import_jira
from tests import factories

pytestmark = pytest.mark.django_db

REAL = (
    Path(__file__).resolve().parents[3]
    / "shared"
    / "data"
    / "jira"
    / "jira_cloud_en_testautogen_ericmedlock.csv"
)
TODAY = dt.date(2026, 11, 23)
HEADER = "Summary,Issue key,Status,Priority,Assignee,Due date,Labels,Labels,Description\n"


@pytest.fixture
def assignee(db):
    return factories.UserFactory(
        first_name="Saicharan", last_name="Basireddy", email="sai@example.com"
    )


def rows_of(**cells) -> bytes:
    base = {
        "Summary": "Fix the build",
        "Issue key": "OPS-1",
        "Status": "To Do",
        "Priority": "High",
        "Assignee": "sai@example.com",
        "Due date": "15/Feb/26 4:37 PM",
        "Labels": "",
        "Description": "",
    }
    base.update(cells)
    values = [
        base["Summary"],
        base["Issue key"],
        base["Status"],
        base["Priority"],
        base["Assignee"],
        base["Due date"],
        base["Labels"],
        "",
        base["Description"],
    ]
    return (HEADER + ",".join(f'"{v}"' for v in values) + "\n").encode()


def test_the_real_jira_cloud_export_imports_all_22_issues_and_a_reimport_updates_them(
    cos, assignee
):
    data = REAL.read_bytes()
    result = actions_import_jira(by=cos, data=data)
    assert (len(result.created), result.total) == (22, 22)
    assert ActionItem.objects.count() == 22
    done = ActionItem.objects.get(external_key="TES-13")
    assert (done.status, done.owner, done.due_date) == ("done", assignee, dt.date(2025, 9, 18))
    assert ActionItem.objects.get(external_key="TES-24").status == "in_progress"
    assert ActionItem.objects.get(external_key="TES-25").owner == cos  # unassigned → the importer
    assert any("TES-25: unassigned in Jira" in note for note in result.notes)

    again = actions_import_jira(by=cos, data=data)
    assert (len(again.created), len(again.updated), len(again.unchanged)) == (0, 0, 22)
    assert ActionItem.objects.count() == 22


def test_a_dry_run_reports_and_writes_nothing(cos, assignee):
    result = actions_import_jira(by=cos, data=REAL.read_bytes(), dry_run=True)
    assert len(result.created) == 22 and result.dry_run
    assert ActionItem.objects.count() == 0


def test_a_changed_file_updates_the_same_action_with_history(cos, assignee):
    actions_import_jira(by=cos, data=rows_of())
    actions_import_jira(
        by=cos,
        data=rows_of(Status="Done", Summary="Fix the build for good", **{"Due date": "2026-03-01"}),
    )
    action = ActionItem.objects.get()
    assert (action.title, action.status, action.due_date) == (
        "Fix the build for good",
        "done",
        dt.date(2026, 3, 1),
    )
    notes = [u.note or u.describe() for u in action.updates.all()]
    assert any("Updated from Jira OPS-1: title" in n for n in notes)
    assert action.completed_at is not None


def test_semicolons_a_bom_iso_dates_repeated_labels_and_a_custom_status_by_category(cos, assignee):
    text = (
        "\ufeffSummary;Issue key;Status;Status Category;Assignee;Due date;Labels;Labels\n"
        "Patch kernels;OPS-7;Waiting for vendor;In Progress;Saicharan Basireddy;2026-12-04;infra;security\n"
    )
    actions_import_jira(by=cos, data=text.encode("utf-8"))
    action = ActionItem.objects.get()
    assert (action.status, action.owner, action.due_date) == (
        "in_progress",
        assignee,
        dt.date(2026, 12, 4),
    )
    assert action.description.endswith("Labels: infra, security")


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        ({"Due date": "31/Feb/26"}, "Due date", "is not a date Jira writes"),
        ({"Due date": "01/Jan/99 9:00 AM"}, "Due date", "not a believable due date"),
        ({"Due date": "3026-01-01"}, "Due date", "not a believable due date"),
        # Further than the services accept (ActionItem.MAX_YEARS_AHEAD): a row error, not a crash.
        ({"Due date": f"{dt.date.today().year + 7}-06-01"}, "Due date", "not a believable due"),
        ({"Assignee": "Nobody Known"}, "Assignee", "matches nobody here"),
        ({"Status": "Waiting for Godot"}, "Status", "unknown status"),
        ({"Priority": "Urgentissimo"}, "Priority", "unknown priority"),
        ({"Summary": ""}, "Summary", "empty"),
    ],
)
def test_a_bad_cell_names_its_row_and_column_and_imports_nothing(
    cos, assignee, cells, column, message
):
    good = rows_of(**{"Issue key": "OPS-2"}).decode().splitlines()[1]
    data = rows_of(**cells) + (good + "\n").encode()
    with pytest.raises(JiraFileError) as failure:
        actions_import_jira(by=cos, data=data)
    [error] = failure.value.errors
    assert (error.row, error.column) == (2, column)
    assert message in error.message
    assert ActionItem.objects.count() == 0


def test_a_file_that_is_not_a_jira_export_says_which_column_is_missing(cos):
    with pytest.raises(JiraFileError, match="Row 1, column Issue key: this column is missing"):
        actions_import_jira(by=cos, data=b"Name,Owner\nx,y\n")


def test_too_many_rows_are_refused_before_anything_is_written(cos, assignee):
    data = HEADER.encode() + b"".join(f"T,OPS-{n},To Do,,,,,,\n".encode() for n in range(5_001))
    with pytest.raises(JiraFileError, match="more than 5,000 issues"):
        actions_import_jira(by=cos, data=data)
    assert ActionItem.objects.count() == 0


def test_jira_date_formats():
    assert parse_date("15/Feb/26 4:37 PM", today=TODAY) == dt.date(2026, 2, 15)
    assert parse_date("18/Sep/25 12:00 AM", today=TODAY) == dt.date(2025, 9, 18)
    assert parse_date("2026-02-15T16:37:00.000+0000", today=TODAY) == dt.date(2026, 2, 15)
    assert parse_date("15/02/2026", today=TODAY) == dt.date(2026, 2, 15)


def test_the_command_reports_rows_and_fails_without_writing(cos, assignee, tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(rows_of(Status="Nope"))
    with pytest.raises(CommandError, match="Nothing imported: 1 problem"):
        call_command("import_actions", str(bad))
    assert "Row 2, column Status" in capsys.readouterr().err
    call_command("import_actions", str(REAL), "--dry-run")
    assert "Would import 22 issue(s)" in capsys.readouterr().out
    assert ActionItem.objects.count() == 0
