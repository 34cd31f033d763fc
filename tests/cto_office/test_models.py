"""The shared organisation model: the triage SLA rule, person names, settings validation."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import ValidationError

from cto_office.models import EscalationSeverity, OfficeSettings, person_from_row, person_name
from tests import factories

LONDON = zoneinfo.ZoneInfo("Europe/London")


def test_sla_due_at_adds_the_severitys_hours():
    office = OfficeSettings()
    raised = dt.datetime(2026, 11, 23, 9, 30, tzinfo=LONDON)
    assert office.sla_due_at(severity="critical", raised_at=raised) == raised + dt.timedelta(
        hours=4
    )
    assert office.sla_due_at(severity=EscalationSeverity.LOW, raised_at=raised).date() == (
        dt.date(2026, 11, 30)
    )


def test_sla_due_at_counts_elapsed_hours_across_a_clock_change():
    """Raised on Saturday 24 Oct 2026 12:00 BST; the clocks go back on Sunday 25 Oct.
    24 elapsed hours later it is Sunday 11:00 GMT on the wall, not 12:00."""
    office = OfficeSettings()
    raised = dt.datetime(2026, 10, 24, 12, 0, tzinfo=LONDON)
    due = office.sla_due_at(severity="high", raised_at=raised)
    assert due.astimezone(dt.UTC) - raised.astimezone(dt.UTC) == dt.timedelta(hours=24)
    assert (due.astimezone(LONDON).hour, due.astimezone(LONDON).day) == (11, 25)


def test_sla_due_at_refuses_an_unknown_severity():
    with pytest.raises(KeyError):
        OfficeSettings().sla_due_at(
            severity="apocalyptic", raised_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
        )


def test_settings_validate_sla_hours_against_the_severities():
    office = OfficeSettings(sla_hours={"critical": 4, "high": 24, "medium": 72})
    with pytest.raises(ValidationError) as caught:
        office.clean()
    assert "sla_hours" in caught.value.message_dict


@pytest.mark.django_db
def test_person_name_prefers_the_full_name_then_the_username():
    assert person_name(factories.UserFactory(first_name="Ada", last_name="Okafor")) == "Ada Okafor"
    assert person_name(factories.UserFactory(first_name="", last_name="", username="ada")) == "ada"
    assert person_name(None) == "—"


def test_person_from_row_reads_prefixed_values():
    row = {"owner__first_name": "", "owner__last_name": "", "owner__username": "b.hanna"}
    assert person_from_row(row, "owner__") == "b.hanna"
