"""The escalation services: allowed and refused transitions, events written, the version check."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from actions import services
from actions.errors import EscalationConflict, EscalationInvalid, TransitionNotAllowed
from actions.models import ActionItem, Escalation, EscalationEvent
from cadence.models import AgendaItem
from tests import factories

pytestmark = pytest.mark.django_db

State = Escalation.State
Kind = EscalationEvent.Kind
DUE = dt.date(2026, 12, 1)


def _events(escalation: Escalation) -> list[tuple[str, str, str]]:
    return list(
        escalation.events.order_by("at", "pk").values_list("from_state", "to_state", "kind")
    )


def _raise(by, **kwargs) -> Escalation:
    return services.escalation_raise(
        by=by, **{"title": "Build farm down", "category": "incident", **kwargs}
    )


def test_raise_records_a_new_escalation_with_its_sla_and_event(staff):
    escalation = _raise(staff, severity="high", description="*Red* CI")
    escalation.refresh_from_db()
    assert (escalation.state, escalation.raised_by, escalation.version) == ("new", staff, 1)
    assert escalation.sla_due_at > escalation.created_at
    assert _events(escalation) == [("", "new", "raised")]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"title": " "}, "title"), ({"category": "x"}, "category"), ({"severity": "x"}, "severity")],
)
def test_raise_refuses_bad_values_and_writes_nothing(staff, kwargs, message):
    with pytest.raises(EscalationInvalid, match=message):
        _raise(staff, **kwargs)
    assert not Escalation.objects.exists()


def test_triage_sets_fields_and_moves_the_sla_with_the_severity(cos, staff):
    escalation = _raise(staff, severity="low")
    team = factories.TeamFactory()
    services.escalation_triage(escalation=escalation, by=cos, severity="critical", team=team)
    escalation.refresh_from_db()
    assert (escalation.state, escalation.severity, escalation.team) == ("triaged", "critical", team)
    assert escalation.sla_due_at - escalation.created_at == dt.timedelta(hours=4)
    assert _events(escalation)[-1] == ("new", "triaged", "triaged")


def test_route_from_new_records_the_implied_triage(cos, staff):
    escalation = _raise(staff)
    owner = factories.UserFactory()
    services.escalation_route(escalation=escalation, to=owner, by=cos, note="Yours")
    escalation.refresh_from_db()
    assert (escalation.state, escalation.routed_to, escalation.version) == ("routed", owner, 2)
    assert _events(escalation) == [
        ("", "new", "raised"),
        ("new", "triaged", "triaged"),
        ("triaged", "routed", "routed"),
    ]


def test_the_loser_of_a_race_gets_a_conflict_naming_who_did_what(cos, staff):
    escalation = _raise(staff)
    first_view = Escalation.objects.get(pk=escalation.pk)
    second_view = Escalation.objects.get(pk=escalation.pk)
    other_cos = factories.chief_of_staff(first_name="Ada", last_name="Lovelace")
    services.escalation_decline(escalation=first_view, by=other_cos, reason="Not ours")
    with pytest.raises(EscalationConflict, match="Ada Lovelace declined") as info:
        services.escalation_route(escalation=second_view, to=cos, by=cos, note="")
    assert info.value.when is not None
    escalation.refresh_from_db()
    assert (escalation.state, escalation.routed_to) == ("declined", None)
    assert len(_events(escalation)) == 3  # raised, implied triage, declined: nothing of the loser


def test_raise_to_cto_adds_a_decision_item_to_the_next_cto_staff_meeting(cos, staff):
    series = factories.MeetingSeriesFactory()
    factories.OfficeSettingsFactory(cto_staff_series=series)
    factories.MeetingFactory(series=series, start=timezone.now() - dt.timedelta(days=2))
    later = factories.MeetingFactory(series=series, start=timezone.now() + dt.timedelta(days=9))
    upcoming = factories.MeetingFactory(series=series, start=timezone.now() + dt.timedelta(days=2))
    factories.AgendaItemFactory(meeting=upcoming, position=3)
    escalation = _raise(staff)
    services.escalation_raise_to_cto(escalation=escalation, by=cos, note="Needs budget")
    escalation.refresh_from_db()
    item = escalation.agenda_item
    assert (escalation.state, item.meeting, item.kind, item.presenter, item.position) == (
        "raised_to_cto",
        upcoming,
        "decision",
        cos,
        4,
    )
    assert item.title == f"{escalation.key}: Build farm down"
    assert escalation.raised_to_cto_at is not None
    assert not later.agenda_items.exists()


def test_raise_to_cto_of_a_confidential_escalation_keeps_its_title_off_the_agenda(cos, staff):
    series = factories.MeetingSeriesFactory()
    factories.OfficeSettingsFactory(cto_staff_series=series)
    factories.MeetingFactory(series=series)
    escalation = _raise(staff, confidential=True, title="Harassment complaint")
    services.escalation_raise_to_cto(escalation=escalation, by=cos, note="Sensitive")
    item = AgendaItem.objects.get()
    assert "Harassment" not in item.title and item.notes == ""


def test_raise_to_cto_without_a_configured_series_keeps_it_raised_with_no_item(cos, staff):
    escalation = _raise(staff)
    services.escalation_raise_to_cto(escalation=escalation, by=cos, note="")
    escalation.refresh_from_db()
    assert (escalation.state, escalation.agenda_item) == ("raised_to_cto", None)


def test_the_cto_sends_back_to_triaged_with_a_comment(cos, cto, staff):
    escalation = _raise(staff)
    services.escalation_raise_to_cto(escalation=escalation, by=cos, note="")
    services.escalation_send_back(escalation=escalation, by=cto, note="Talk to the VP first")
    escalation.refresh_from_db()
    assert escalation.state == "triaged"
    assert _events(escalation)[-1] == ("raised_to_cto", "triaged", "sent_back")


def test_convert_makes_an_action_that_links_back_and_routes_to_its_owner(cos, staff):
    escalation = _raise(staff, team=factories.TeamFactory())
    owner = factories.UserFactory()
    action = services.escalation_convert_to_action(
        escalation=escalation, by=cos, owner=owner, due_date=DUE
    )
    escalation.refresh_from_db()
    assert (action.source, action.source_escalation, action.title) == (
        "escalation",
        escalation,
        "Build farm down",
    )
    assert (escalation.state, escalation.routed_to) == ("routed", owner)
    assert list(escalation.actions.all()) == [action]
    assert _events(escalation)[-1][2] == "converted"


def test_converting_a_confidential_escalation_needs_a_title_of_its_own(cos, staff):
    escalation = _raise(staff, confidential=True, title="Secret reorg")
    for title in (None, "secret reorg"):
        with pytest.raises(EscalationInvalid, match="confidential"):
            services.escalation_convert_to_action(
                escalation=escalation, by=cos, owner=staff, due_date=DUE, title=title
            )
    assert not ActionItem.objects.exists()
    action = services.escalation_convert_to_action(
        escalation=escalation, by=cos, owner=staff, due_date=DUE, title="Prepare team changes"
    )
    assert action.description == ""


def test_resolve_decline_need_a_note_and_stamp_the_time(cos, staff):
    escalation = _raise(staff)
    with pytest.raises(EscalationInvalid):
        services.escalation_resolve(escalation=escalation, by=cos, note=" ")
    services.escalation_resolve(escalation=escalation, by=cos, note="Fixed the runner")
    escalation.refresh_from_db()
    assert (escalation.state, escalation.resolution_note) == ("resolved", "Fixed the runner")
    assert escalation.resolved_at is not None
    other = _raise(staff)
    with pytest.raises(EscalationInvalid):
        services.escalation_decline(escalation=other, by=cos, reason="")
    services.escalation_decline(escalation=other, by=cos, reason="Not for us")
    assert Escalation.objects.get(pk=other.pk).state == "declined"


def test_mark_duplicate_points_at_the_original_never_itself(cos, staff):
    original, copy, copy_of_copy = _raise(staff), _raise(staff), _raise(staff)
    with pytest.raises(EscalationInvalid, match="itself"):
        services.escalation_mark_duplicate(escalation=original, of=original, by=cos)
    services.escalation_mark_duplicate(escalation=copy, of=original, by=cos)
    services.escalation_mark_duplicate(escalation=copy_of_copy, of=copy, by=cos)
    assert list(original.duplicates.order_by("pk")) == [copy, copy_of_copy]


def test_snooze_hides_until_a_future_time_and_comes_back_by_itself(cos, staff):
    escalation = _raise(staff)
    with pytest.raises(EscalationInvalid, match="future"):
        services.escalation_snooze(
            escalation=escalation, until=timezone.now(), reason="Wait", by=cos
        )
    until = timezone.now() + dt.timedelta(hours=2)
    services.escalation_snooze(escalation=escalation, until=until, reason="Vendor call", by=cos)
    assert list(Escalation.objects.snoozed(timezone.now())) == [escalation]
    assert not Escalation.objects.awake(timezone.now()).exists()
    assert list(Escalation.objects.awake(until + dt.timedelta(seconds=1))) == [escalation]


def test_reopen_only_from_a_closed_state(cos, staff):
    escalation = _raise(staff)
    with pytest.raises(TransitionNotAllowed, match="is new"):
        services.escalation_reopen(escalation=escalation, by=cos, note="Again")
    services.escalation_decline(escalation=escalation, by=cos, reason="No")
    services.escalation_reopen(escalation=escalation, by=cos, note="It came back")
    escalation.refresh_from_db()
    assert (escalation.state, escalation.resolved_at) == ("triaged", None)


@pytest.mark.parametrize(
    ("call", "state"),
    [
        (lambda e, u: services.escalation_route(escalation=e, to=u, by=u, note=""), "resolved"),
        (lambda e, u: services.escalation_triage(escalation=e, by=u), "routed"),
        (lambda e, u: services.escalation_send_back(escalation=e, by=u, note="x"), "triaged"),
        (
            lambda e, u: services.escalation_snooze(
                escalation=e, by=u, reason="x", until=timezone.now() + dt.timedelta(hours=1)
            ),
            "raised_to_cto",
        ),
        (lambda e, u: services.escalation_resolve(escalation=e, by=u, note="x"), "declined"),
    ],
)
def test_transitions_refused_from_the_wrong_state_write_nothing(cos, call, state):
    escalation = factories.EscalationFactory(
        state=state, routed_to=cos if state == "routed" else None
    )
    with pytest.raises(TransitionNotAllowed):
        call(escalation, cos)
    escalation.refresh_from_db()
    assert (escalation.state, escalation.version) == (state, 1)
    assert not escalation.events.exists()


def test_a_critical_escalation_mails_the_chief_of_staff(
    cos, staff, smtp_sink, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        escalation = _raise(staff, severity="critical")
    [message] = smtp_sink.to(cos.email)
    assert escalation.key in message["Subject"] and "Critical" in message["Subject"]


def test_a_superuser_counts_as_a_chief_of_staff_for_critical_mail(
    staff, smtp_sink, django_capture_on_commit_callbacks
):
    root = factories.UserFactory(is_superuser=True, email="root@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        _raise(staff, severity="critical")
    assert len(smtp_sink.to(root.email)) == 1  # as access.chiefs_of_staff() says


def test_routing_mails_the_owner_and_the_raiser(
    cos, staff, smtp_sink, django_capture_on_commit_callbacks
):
    escalation = _raise(staff, confidential=True)
    owner = factories.UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.escalation_route(escalation=escalation, to=owner, by=cos, note="Please")
    [to_owner] = smtp_sink.to(owner.email)
    text, _html = smtp_sink.parts(to_owner)
    assert "Confidential" in text or "confidential" in text
    [to_raiser] = smtp_sink.to(staff.email)
    assert "routed" in to_raiser["Subject"]
