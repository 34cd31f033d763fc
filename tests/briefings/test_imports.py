"""CSV imports of briefing inputs: dialects and BOM, row+column errors, all-or-nothing, the pages."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from briefings.models import HeadcountSnapshot, KeyResultCheckIn, TechDebtSnapshot
from briefings.services.imports import CsvImportError, csv_import_commit, csv_import_parse
from tests import factories

DEBT_HEADER = "team,date,items_open,effort_days,critical,high,medium,low,capacity_share"


@pytest.fixture
def teams(db):
    return [
        factories.TeamFactory(name="Gitaly Git Team", slug="gitaly"),
        factories.TeamFactory(name="Package Stage", slug="package"),
    ]


def test_a_good_file_with_bom_and_semicolons_is_imported(teams, cos):
    data = (
        "\ufeffTeam;Date;Items open;Effort days;Critical;High;Medium;Low;Capacity share\n"
        "gitaly;2026-11-20;42;130,5;2;9;18;13;18%\n"
        "Package Stage;2026-11-20;10;20;0;1;4;5;0.05\n"
    ).encode()
    assert csv_import_commit(kind="tech_debt", data=data, by=cos) == 2
    gitaly = TechDebtSnapshot.objects.get(team__slug="gitaly")
    assert (gitaly.effort_days, gitaly.capacity_share) == (Decimal("130.5"), Decimal("0.18"))
    # Imported again (a corrected export): replaced, not duplicated.
    csv_import_commit(kind="tech_debt", data=data.replace(b";42;", b";40;"), by=cos)
    assert TechDebtSnapshot.objects.count() == 2
    assert TechDebtSnapshot.objects.get(team__slug="gitaly").items_open == 40


def test_a_bad_row_names_row_and_column_and_nothing_is_written(teams, cos):
    data = (
        f"{DEBT_HEADER}\n"
        "gitaly,2026-11-20,42,130,2,9,18,13,0.2\n"
        "nope,2026-11-20,x,130,2,9,18,13,1.5\n"
    ).encode()
    parsed = csv_import_parse(kind="tech_debt", data=data)
    assert parsed.errors == [
        "Row 3, column team: no team is called 'nope' (use its name or slug).",
        "Row 3, column items_open: 'x' is not a whole number.",
        "Row 3, column capacity_share: '1.5' is not between 0 and 1 (or 0% and 100%).",
    ]
    with pytest.raises(CsvImportError):
        csv_import_commit(kind="tech_debt", data=data, by=cos)
    assert not TechDebtSnapshot.objects.exists()


def test_a_wrong_header_is_one_error_naming_the_columns(teams):
    data = b"team,date,filled,planned,reqs\ngitaly,2026-11-20,1,2,3\n"
    [error] = csv_import_parse(kind="headcount", data=data).errors
    assert error.startswith(
        "Row 1 (header): missing column(s): leavers, open_requisitions, starters; "
        "unknown column(s): reqs."
    )


def test_key_result_values_become_check_ins_all_or_nothing(db, cos):
    today = timezone.localdate()
    kr = factories.KeyResultFactory(
        objective=factories.ObjectiveFactory(
            period_start=today - dt.timedelta(days=10), period_end=today + dt.timedelta(days=80)
        )
    )
    late = today + dt.timedelta(days=200)
    bad = (
        f"key_result,date,value,confidence,note\n{kr.pk},{today},5,0.7,ok\n{kr.pk},{late},6,0.7,\n"
    )
    with pytest.raises(CsvImportError, match="Row 3, column date"):
        csv_import_commit(kind="key_results", data=bad.encode(), by=cos)
    assert not KeyResultCheckIn.objects.exists()
    good = f"key_result,date,value,confidence\n{kr.pk},{today},5,70%\n"
    assert csv_import_commit(kind="key_results", data=good.encode(), by=cos) == 1
    assert KeyResultCheckIn.objects.get().confidence == Decimal("0.70")


def test_preview_then_commit_through_the_pages(client, cos, teams):
    client.force_login(cos)
    csv = b"team\tdate\tfilled\tplanned\topen_requisitions\tstarters\tleavers\ngitaly\t2026-11-20\t14\t16\t2\t1\t0\n"
    preview = client.post(
        reverse("briefings:import_preview"),
        {"kind": "headcount", "file": SimpleUploadedFile("hc.csv", csv, "text/csv")},
    )
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "1 row read, no errors." in html and "Gitaly Git Team" in html
    assert not HeadcountSnapshot.objects.exists()  # a preview writes nothing
    token = html.split('name="token" value="')[1].split('"')[0]
    done = client.post(reverse("briefings:import_commit"), {"token": token})
    assert "Imported 1 row of headcount snapshots." in done.content.decode()
    assert HeadcountSnapshot.objects.get().planned == 16
    tampered = client.post(reverse("briefings:import_commit"), {"token": token[:-2] + "xx"})
    assert tampered.status_code == 400


def test_preview_with_errors_is_422_and_offers_no_import(client, cos, teams):
    client.force_login(cos)
    response = client.post(
        reverse("briefings:import_preview"),
        {"kind": "headcount", "file": SimpleUploadedFile("hc.csv", b"team,date\n", "text/csv")},
    )
    assert response.status_code == 422
    assert "Row 1 (header): missing column(s)" in response.content.decode()
    assert 'name="token"' not in response.content.decode()


@pytest.mark.parametrize("who", ["cto", "lead", "staff"])
def test_imports_are_for_the_chief_of_staff_only(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("briefings:imports")).status_code == 404
    assert client.post(reverse("briefings:import_commit"), {"token": "x"}).status_code == 404
