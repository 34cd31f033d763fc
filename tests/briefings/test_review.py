"""The Chief of Staff's review of a draft: the week rule, commentary, status polling, regenerate."""

import datetime as dt

import pytest
from django.urls import reverse

from briefings.models import Briefing
from briefings.selectors import briefing_default_week, briefing_week_on
from briefings.services import briefing_generate
from briefings.services.review import (
    COMMENTARY_MAX_CHARS,
    BriefingNotEditableError,
    briefing_comment,
    briefing_rerender,
)
from cto_office.clock import IsoWeek
from tests import factories
from tests.briefings import dataset
from tests.briefings.test_services import pdf_text


def urls(name: str) -> str:
    return reverse(f"briefings:{name}", args=dataset.WEEK)


@pytest.fixture
def draft(week_data) -> Briefing:
    return briefing_generate(
        iso_year=dataset.WEEK[0], iso_week=dataset.WEEK[1], today=dataset.TODAY
    )


@pytest.mark.parametrize(
    "day, weekday, expected",
    [
        (dt.date(2025, 11, 17), 4, IsoWeek(2025, 46)),  # Monday, Friday briefings: last week
        (dt.date(2025, 11, 20), 4, IsoWeek(2025, 46)),  # Thursday: still last week
        (dt.date(2025, 11, 21), 4, IsoWeek(2025, 47)),  # the Friday itself: this week
        (dt.date(2025, 11, 23), 4, IsoWeek(2025, 47)),  # Sunday
        (dt.date(2025, 11, 17), 0, IsoWeek(2025, 47)),  # Monday briefings on a Monday
        (dt.date(2026, 1, 1), 4, IsoWeek(2025, 52)),  # Thursday 1 Jan: the last week of 2025
    ],
)
def test_a_generation_before_the_briefing_weekday_covers_the_last_complete_week(
    day, weekday, expected
):
    assert briefing_week_on(day, weekday=weekday) == expected


def test_default_week_reads_the_office_weekday(db):
    factories.OfficeSettingsFactory(briefing_weekday=2)
    assert briefing_default_week(today=dt.date(2025, 11, 18)) == IsoWeek(2025, 46)
    assert briefing_default_week(today=dt.date(2025, 11, 19)) == IsoWeek(2025, 47)


def test_commentary_goes_on_the_cover_of_the_pdf_and_in_the_preview(
    client, cos, draft, django_capture_on_commit_callbacks
):
    client.force_login(cos)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            urls("comment"),
            {"commentary": "Look at **hiring** in Verify.\n\n<script>alert(1)</script>"},
            HTTP_HX_REQUEST="true",
        )
    assert response.status_code == 200
    html = response.content.decode()
    # The form comes back, and the preview's commentary is swapped out of band.
    assert html.lstrip().startswith('<section id="briefing-commentary-form"')
    assert 'id="briefing-commentary" hx-swap-oob="true"' in html
    assert "<strong>hiring</strong>" in html and "<script>" not in html
    draft.refresh_from_db()
    assert draft.commentary_by == cos and draft.commentary_at is not None
    pages, _ = pdf_text(draft)  # re-rendered from the snapshot after the commit (eager Celery)
    assert "Look at hiring in Verify." in pages[0]
    assert draft.page_count == len(pages)
    detail = client.get(urls("detail")).content.decode()
    assert "Look at <strong>hiring</strong> in Verify." in detail


def test_a_one_line_commentary_does_not_add_a_page(draft, cos):
    pages_before = draft.page_count
    briefing_comment(briefing=draft, commentary="One line.", by=cos)
    assert briefing_rerender(briefing_id=draft.pk)
    draft.refresh_from_db()
    assert draft.page_count == pages_before


def test_too_long_commentary_is_refused_with_input_kept(client, cos, draft):
    client.force_login(cos)
    text = "x" * (COMMENTARY_MAX_CHARS + 1)
    response = client.post(urls("comment"), {"commentary": text}, HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert text in response.content.decode()
    draft.refresh_from_db()
    assert draft.commentary == ""


def test_a_published_briefing_takes_no_commentary(draft, cos):
    Briefing.objects.filter(pk=draft.pk).update(state="published", published_at=draft.generated_at)
    with pytest.raises(BriefingNotEditableError, match="is published"):
        briefing_comment(briefing=draft, commentary="late", by=cos)


@pytest.mark.parametrize("name", ["comment", "regenerate", "publish", "retry"])
def test_the_cto_cannot_change_a_briefing(client, cto, draft, name):
    client.force_login(cto)
    assert client.post(urls(name), {"commentary": "x"}).status_code == 403


@pytest.mark.parametrize("name", ["comment", "regenerate", "publish", "status", "detail"])
def test_review_urls_are_404_for_a_team_lead(client, lead, draft, name):
    client.force_login(lead)
    method = client.get if name in ("status", "detail") else client.post
    assert method(urls(name)).status_code == 404


def test_a_pending_briefing_polls_its_status_and_the_final_poll_swaps_the_preview(
    client, cos, draft, django_assert_max_num_queries
):
    Briefing.objects.filter(pk=draft.pk).update(state=Briefing.State.PENDING)
    client.force_login(cos)
    page = client.get(urls("detail")).content.decode()
    assert f'hx-get="{urls("status")}" hx-trigger="every 2s"' in page
    assert "Generating: gathering" in page
    with django_assert_max_num_queries(8):
        poll = client.get(urls("status"), HTTP_HX_REQUEST="true").content.decode()
    assert poll.lstrip().startswith('<section id="briefing-status"')
    assert "hx-swap-oob" not in poll  # still pending: the preview stays
    Briefing.objects.filter(pk=draft.pk).update(state=Briefing.State.DRAFT)
    poll = client.get(urls("status"), HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in poll.split('<div id="briefing-preview"')[0]  # polling stops
    assert '<div id="briefing-preview" hx-swap-oob="true">' in poll


def test_a_failed_briefing_shows_its_error_and_a_retry_button(client, cos):
    factories.BriefingFactory(
        iso_year=2025, iso_week=47, state=Briefing.State.FAILED, error="RuntimeError: boom"
    )
    client.force_login(cos)
    html = client.get(urls("detail")).content.decode()
    assert "The last generation failed" in html and "RuntimeError: boom" in html
    assert "Retry the generation" in html


@pytest.mark.django_db(transaction=True)
def test_regenerate_queues_the_job_and_answers_with_the_polling_status(
    client, cos, week_data, monkeypatch
):
    """With a broker the request only queues: the answer is the pending status that polls."""
    queued = []
    monkeypatch.setattr(
        "briefings.tasks.generate_weekly_briefing.delay", lambda *args: queued.append(args)
    )
    factories.BriefingFactory(iso_year=2025, iso_week=47, state=Briefing.State.FAILED, error="x")
    client.force_login(cos)
    response = client.post(urls("regenerate"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert queued == [(2025, 47)]
    assert "Regenerating 2025-W47 with fresh data." in html
    assert 'hx-trigger="every 2s"' in html
    assert Briefing.objects.get().state == Briefing.State.PENDING
