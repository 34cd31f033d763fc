"""The chase of overdue actions (issue 8 §3) against a real SMTP server on loopback."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actions.models import ActionItem, ChaseNotice
from actions.services.chase import chase_plan
from actions.tasks import chase_overdue_actions, send_chase_digest
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

DAY = dt.date(2026, 11, 23)


@pytest.fixture
def office(db):
    """Owner Ola in Verify, led by Lee; a CoS; the default ladder (1, 4, 8 days)."""
    factories.OfficeSettingsFactory(chase_ladder=[1, 4, 8])
    team = factories.TeamFactory(name="Verify")
    lead = factories.team_lead(team, username="lee", email="lee@example.com")
    owner = factories.UserFactory(username="ola", email="ola@example.com")
    factories.MembershipFactory(user=owner, team=team)
    cos = factories.chief_of_staff(username="cos", email="cos@example.com")
    return {"team": team, "lead": lead, "owner": owner, "cos": cos}


def overdue(office, days: int, **kwargs) -> ActionItem:
    return factories.ActionItemFactory(
        owner=office["owner"], team=office["team"], due_date=DAY - dt.timedelta(days=days), **kwargs
    )


def test_the_ladder_adds_the_lead_from_four_days_and_the_cos_from_eight(office, smtp_sink):
    one, five, nine = overdue(office, 1), overdue(office, 5), overdue(office, 9)
    factories.ActionItemFactory(owner=office["owner"], due_date=DAY)  # due today: not overdue
    overdue(
        office,
        20,
        status=ActionItem.Status.DONE,
        completed_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
    )

    chase_overdue_actions(DAY.isoformat())

    assert [
        len(smtp_sink.to(a)) for a in ("ola@example.com", "lee@example.com", "cos@example.com")
    ] == [1, 1, 1]
    owner_text, owner_html = smtp_sink.parts(smtp_sink.to("ola@example.com")[0])
    assert smtp_sink.to("ola@example.com")[0]["Subject"] == "3 overdue actions to look at today"
    assert [k for k in (nine.key, five.key, one.key) if k in owner_text] == [
        nine.key,
        five.key,
        one.key,
    ]
    assert (
        owner_text.index(nine.key) < owner_text.index(five.key) < owner_text.index(one.key)
    )  # oldest first
    assert "http://" in owner_text and f"/actions/ACT-{one.pk}/" in owner_html
    lead_text, _ = smtp_sink.parts(smtp_sink.to("lee@example.com")[0])
    assert five.key in lead_text and nine.key in lead_text and one.key not in lead_text
    cos_text, _ = smtp_sink.parts(smtp_sink.to("cos@example.com")[0])
    assert nine.key in cos_text and five.key not in cos_text
    assert set(ChaseNotice.objects.values_list("action_id", "level")) == {
        (one.pk, 1),
        (five.pk, 1),
        (nine.pk, 1),
        (five.pk, 2),
        (nine.pk, 2),
        (nine.pk, 3),
    }


def test_a_second_run_the_same_day_sends_nothing(office, smtp_sink):
    overdue(office, 2)
    chase_overdue_actions(DAY.isoformat())
    overdue(office, 3)  # became the owner's since the morning run
    chase_overdue_actions(DAY.isoformat())
    send_chase_digest(office["owner"].pk, DAY.isoformat())  # a duplicated task, too
    assert len(smtp_sink.messages) == 1
    assert ChaseNotice.objects.count() == 1


def test_the_next_day_chases_again(office, smtp_sink):
    overdue(office, 2)
    chase_overdue_actions(DAY.isoformat())
    chase_overdue_actions((DAY + dt.timedelta(days=1)).isoformat())
    assert len(smtp_sink.to("ola@example.com")) == 2


def test_a_permanent_refusal_for_one_recipient_leaves_the_others_sent_and_records_nothing_for_it(
    office, smtp_sink
):
    overdue(office, 5)
    smtp_sink.fail_next, smtp_sink.fail_code = 1, "550 5.1.1 Mailbox unavailable"
    chase_overdue_actions(DAY.isoformat())
    assert len(smtp_sink.messages) == 1  # of two digests, one refused, one accepted
    [delivered] = smtp_sink.messages[0]["X-Envelope-To"].split(", ")
    refused = "lee@example.com" if delivered == "ola@example.com" else "ola@example.com"
    assert not ChaseNotice.objects.filter(recipient__email=refused).exists()
    assert ChaseNotice.objects.filter(recipient__email=delivered).count() == 1


def test_a_transient_refusal_is_retried_by_the_worker_and_recorded_once(
    office, smtp_sink, redis_worker, settings
):
    settings.MAIL_RETRY_BACKOFF_SECONDS = 0
    overdue(office, 2)
    smtp_sink.fail_next = 1  # 421 once, then accepted
    send_chase_digest.delay(office["owner"].pk, DAY.isoformat())
    smtp_sink.wait_for(1)
    deadline = time.monotonic() + 30  # the notice commits just after the server accepts
    while not ChaseNotice.objects.filter(recipient=office["owner"]).exists():
        assert time.monotonic() < deadline, "no ChaseNotice recorded after the mail was accepted"
        time.sleep(0.05)
    time.sleep(0.5)  # a duplicate would have been sent by now
    assert len(smtp_sink.messages) == 1
    assert ChaseNotice.objects.filter(recipient=office["owner"]).count() == 1


def test_owners_without_an_address_or_inactive_are_reported_not_crashed_on(office, smtp_sink):
    office["owner"].email = ""
    office["owner"].save()
    office["lead"].is_active = False
    office["lead"].save()
    overdue(office, 5)
    plan = chase_plan(day=DAY)
    assert plan.digests == []
    assert sorted(reason for _, reason in plan.skipped) == ["inactive", "no e-mail address"]
    chase_overdue_actions(DAY.isoformat())
    assert smtp_sink.messages == []


def test_the_lead_chased_about_their_own_action_is_the_lead_above(office, smtp_sink):
    parent = factories.TeamFactory(name="Ops")
    boss = factories.team_lead(parent, username="boss", email="boss@example.com")
    office["team"].parent = parent
    office["team"].save()
    factories.ActionItemFactory(
        owner=office["lead"], team=office["team"], due_date=DAY - dt.timedelta(days=5)
    )
    chase_overdue_actions(DAY.isoformat())
    assert len(smtp_sink.to("boss@example.com")) == 1
    assert len(smtp_sink.to("lee@example.com")) == 1  # as the owner only
    assert ChaseNotice.objects.get(recipient=boss).level == ChaseNotice.Level.TEAM_LEAD


def test_the_plan_takes_the_same_number_of_queries_for_3_or_30_overdue_actions(office):
    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            chase_plan(day=DAY)
        return len(ctx.captured_queries)

    for days in (1, 5, 9):
        overdue(office, days)
    few = queries()
    # Owners who lead their own sub-team, nested three deep: the lead chased about each
    # is found by climbing the team tree, which must not cost a query per step.
    parent = office["team"]
    for n in range(27):
        team = factories.TeamFactory(name=f"Sub {n}", parent=parent)
        other = factories.team_lead(team, username=f"o{n}", email=f"o{n}@example.com")
        factories.ActionItemFactory(
            owner=other, team=team, due_date=DAY - dt.timedelta(days=n % 12 + 1)
        )
        parent = team if n % 3 < 2 else office["team"]
    plan = chase_plan(day=DAY)
    assert queries() == few
    leads = {
        digest.recipient.username
        for digest in plan.digests
        for line in digest.lines
        if line.level == ChaseNotice.Level.TEAM_LEAD
    }
    assert {"lee", "o3", "o4"} <= leads  # o4's action (6 days) goes to o3, who leads Sub 3


def test_the_command_dry_run_prints_the_digests_and_sends_nothing(office, smtp_sink, capsys):
    overdue(office, 9)
    call_command("chase_overdue_actions", "--date", DAY.isoformat(), "--dry-run")
    out = capsys.readouterr().out
    assert "would send 3 digest(s) listing 3 overdue action(s)" in out
    assert "<ola@example.com> — your overdue actions: 1" in out
    assert "<cos@example.com> — long overdue across the office: 1" in out
    assert smtp_sink.messages == [] and ChaseNotice.objects.count() == 0
    call_command("chase_overdue_actions", "--date", DAY.isoformat())
    assert len(smtp_sink.messages) == 3
