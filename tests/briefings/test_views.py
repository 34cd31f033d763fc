import pytest
from django.urls import reverse
from django.utils import timezone

from briefings.models import Briefing
from briefings.selectors import briefing_default_week
from briefings.services import briefing_generate
from tests import factories
from tests.briefings import dataset

ARCHIVE = reverse("briefings:archive")
GENERATE = reverse("briefings:generate")


def week_urls(year: int, week: int) -> list[str]:
    return [
        reverse("briefings:detail", args=[year, week]),
        reverse("briefings:pdf", args=[year, week]),
    ]


@pytest.fixture
def generated(week_data) -> Briefing:
    return briefing_generate(
        iso_year=dataset.WEEK[0], iso_week=dataset.WEEK[1], today=dataset.TODAY
    )


def test_urls_use_iso_week_labels():
    assert reverse("briefings:detail", args=[2026, 7]) == "/briefings/2026-W07/"
    assert reverse("briefings:pdf", args=[2026, 47]) == "/briefings/2026-W47/pdf/"


@pytest.mark.parametrize("who", ["lead", "staff"])
def test_archive_is_404_for_anyone_but_the_office(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(ARCHIVE).status_code == 404
    assert client.post(GENERATE).status_code == 404


@pytest.mark.parametrize("who", ["lead", "staff"])
def test_briefing_and_pdf_are_404_for_anyone_but_the_office(client, request, who, generated):
    client.force_login(request.getfixturevalue(who))
    for url in week_urls(generated.iso_year, generated.iso_week):
        assert client.get(url).status_code == 404


def test_archive_needs_login(client, db):
    response = client.get(ARCHIVE)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_cto_sees_the_archive_without_the_generate_button(
    client, cto, django_assert_max_num_queries
):
    client.force_login(cto)
    with django_assert_max_num_queries(8):
        response = client.get(ARCHIVE)
    assert response.status_code == 200
    assert b"Generate the briefing" not in response.content
    assert response["Vary"] and "HX-Request" in response["Vary"]


def test_cto_cannot_generate(client, cto):
    client.force_login(cto)
    assert client.post(GENERATE).status_code == 403


def test_generate_needs_post(client, cos):
    client.force_login(cos)
    assert client.get(GENERATE).status_code == 405


@pytest.mark.django_db(transaction=True)  # the task is enqueued on commit: let commits happen
def test_cos_generates_this_weeks_briefing_and_htmx_gets_the_list_partial(client, cos):
    client.force_login(cos)
    response = client.post(GENERATE, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="briefing-archive-list"')
    assert "<html" not in html
    assert "HX-Request" in response["Vary"]
    this_week = briefing_default_week()
    year, week = this_week.year, this_week.week
    briefing = Briefing.objects.get(iso_year=year, iso_week=week)
    assert briefing.state == Briefing.State.DRAFT  # eager Celery: generated within the request
    assert f"Briefing {briefing.label} generated" in html
    assert reverse("briefings:pdf", args=[year, week]) in html


def test_cos_generate_without_htmx_redirects_to_the_archive(client, cos):
    client.force_login(cos)
    response = client.post(GENERATE)
    assert response.status_code == 302 and response["Location"] == ARCHIVE
    assert Briefing.objects.count() == 1


def test_generating_a_published_week_is_refused_with_a_message(client, cos):
    this_week = briefing_default_week()
    year, week = this_week.year, this_week.week
    factories.BriefingFactory(
        iso_year=year, iso_week=week, state=Briefing.State.PUBLISHED, published_at=timezone.now()
    )
    client.force_login(cos)
    response = client.post(GENERATE, HTTP_HX_REQUEST="true")
    assert response.status_code == 409
    assert b"is published" in response.content


def test_cto_downloads_the_pdf(client, cto, generated):
    client.force_login(cto)
    response = client.get(reverse("briefings:pdf", args=[2025, 47]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="cto-briefing-2025-W47.pdf"'
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_detail_shows_the_preview_and_download(
    client, cto, generated, django_assert_max_num_queries
):
    client.force_login(cto)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("briefings:detail", args=[2025, 47]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Key results quietly behind" in html
    assert generated.snapshot["actions"]["overdue"][0]["key"] in html
    assert reverse("briefings:pdf", args=[2025, 47]) in html


def test_archive_lists_weeks_with_state_and_pages(client, cos, generated):
    client.force_login(cos)
    html = client.get(ARCHIVE).content.decode()
    assert "2025-W47" in html and "Draft" in html
    assert f'<td class="num">{generated.page_count}</td>' in html


def test_unknown_week_is_404(client, cto):
    client.force_login(cto)
    assert client.get(reverse("briefings:detail", args=[2025, 3])).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_a_failed_generation_is_shown_as_failed_with_its_error(client, cos, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("WeasyPrint exploded")

    monkeypatch.setattr("briefings.services.briefing_render_pdf", broken)
    client.force_login(cos)
    response = client.post(GENERATE, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    label = briefing_default_week().label
    assert f"Briefing {label} failed: RuntimeError: WeasyPrint exploded" in html
    assert "briefing-notice-error" in html
    assert ">Failed</span>" in html  # the row in the list shows the failed state
    assert Briefing.objects.get().state == Briefing.State.FAILED


def test_a_week_that_does_not_exist_is_404(client, cto):
    client.force_login(cto)
    assert client.get(reverse("briefings:detail", args=[2025, 53])).status_code == 404
    assert client.get(reverse("briefings:pdf", args=[2025, 0])).status_code == 404


def test_detail_of_a_failed_briefing_shows_the_failed_state_and_error(client, cto):
    factories.BriefingFactory(
        iso_year=2025, iso_week=47, state=Briefing.State.FAILED, error="RuntimeError: boom"
    )
    client.force_login(cto)
    html = client.get(reverse("briefings:detail", args=[2025, 47])).content.decode()
    assert "The last generation failed" in html and "RuntimeError: boom" in html
    assert "No preview yet" in html
