"""Publishing a briefing: frozen, e-mailed once per recipient to a real SMTP server."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from briefings import tasks
from briefings.models import Briefing, BriefingDelivery
from briefings.selectors import briefing_auto_publish_due
from briefings.services import BriefingPublishedError, briefing_generate
from briefings.services.publish import BriefingChangedError, briefing_publish
from briefings.services.review import BriefingNotEditableError
from cto_office.models import OfficeSettings
from tests import factories
from tests.briefings import dataset
from tests.briefings.test_services import pdf_text

pytestmark = pytest.mark.django_db(transaction=True)


def set_office(**fields) -> None:
    factories.OfficeSettingsFactory()
    OfficeSettings.objects.filter(pk=1).update(**fields)


@pytest.fixture
def draft(week_data, cto) -> Briefing:
    cto.email = "niklas@example.com"
    cto.save()
    set_office(briefing_recipients="vp@example.com, Niklas@example.com\nops@example.com")
    briefing = briefing_generate(
        iso_year=dataset.WEEK[0], iso_week=dataset.WEEK[1], today=dataset.TODAY
    )
    briefing.commentary = "Look at **hiring**."
    briefing.save(update_fields=["commentary"])
    return briefing


def test_publish_mails_the_pdf_once_to_the_cto_and_each_recipient(
    client, cos, draft, smtp_sink, settings
):
    settings.SITE_URL = "https://cto.example.com"
    client.force_login(cos)
    response = client.post(
        reverse("briefings:publish", args=dataset.WEEK),
        {"draft_version": draft.draft_version},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "Published 2025-W47" in response.content.decode()
    draft.refresh_from_db()
    assert draft.state == Briefing.State.PUBLISHED and draft.published_by == cos
    assert sorted(m["X-Envelope-To"] for m in smtp_sink.messages) == [
        "niklas@example.com",
        "ops@example.com",
        "vp@example.com",
    ]
    [to_cto] = smtp_sink.to("niklas@example.com")
    assert to_cto["Subject"].strip() == "Weekly CTO briefing 2025-W47 (17–23 November 2025)"
    text, html = smtp_sink.parts(to_cto)
    assert "Look at **hiring**." in text and "<strong>hiring</strong>" in html
    for number in (
        "Key results quietly behind",
        "Overdue actions",
        "Open escalations",
        "Headcount gap to plan",
        "Tech-debt effort",
    ):
        assert number in text
    assert "https://cto.example.com/briefings/" in text  # the CTO gets the archive link
    [attachment] = list(to_cto.iter_attachments())
    assert attachment.get_filename() == "cto-briefing-2025-W47.pdf"
    assert attachment.get_content().startswith(b"%PDF")
    [to_vp] = smtp_sink.to("vp@example.com")
    assert "https://cto.example.com/briefings/" not in smtp_sink.parts(to_vp)[0]
    # The frozen PDF says so on its cover.
    assert "PUBLISHED" in pdf_text(draft)[0][0]  # the cover state, upper-cased by the CSS
    assert set(BriefingDelivery.objects.values_list("state", flat=True)) == {"sent"}
    # Sending again (a duplicate task, a retry click) mails nobody twice.
    tasks.deliver_briefing.delay(draft.pk)
    assert len(smtp_sink.messages) == 3


def test_a_refused_mail_is_failed_and_visible_then_retried(client, cos, draft, smtp_sink, settings):
    settings.MAIL_RETRY_BACKOFF_SECONDS = 0
    smtp_sink.fail_next, smtp_sink.fail_code = 1, "550 5.1.1 No such user"
    briefing_publish(briefing=draft, by=cos)
    tasks.deliver_briefing.delay(draft.pk)
    failed = BriefingDelivery.objects.get(state="failed")
    assert failed.attempts == 1 and "550" in failed.error
    assert len(smtp_sink.messages) == 2
    client.force_login(cos)
    page = client.get(reverse("briefings:detail", args=dataset.WEEK)).content.decode()
    assert "No such user" in page and "Send the 1 unsent e-mail again" in page
    client.post(reverse("briefings:retry", args=dataset.WEEK), HTTP_HX_REQUEST="true")
    failed.refresh_from_db()
    assert failed.state == "sent" and failed.attempts == 2
    assert len(smtp_sink.messages) == 3


def test_a_transient_failure_is_retried_by_the_worker(
    cos, draft, smtp_sink, settings, redis_worker
):
    settings.MAIL_RETRY_BACKOFF_SECONDS = 0
    smtp_sink.fail_next = 2  # 421 twice, then accepted
    briefing_publish(briefing=draft, by=cos)
    # First run: two refused (failed), one sent; the retry sends the two.
    result = tasks.deliver_briefing.apply_async((draft.pk,), ignore_result=False)
    assert result.get(timeout=60) == {"sent": 2}
    assert len(smtp_sink.messages) == 3  # each recipient once
    assert sorted(BriefingDelivery.objects.values_list("attempts", flat=True)) == [1, 2, 2]
    assert set(BriefingDelivery.objects.values_list("state", flat=True)) == {"sent"}


def test_a_published_briefing_is_not_regenerated_or_published_again(cos, draft):
    briefing_publish(briefing=draft, by=cos)
    with pytest.raises(BriefingPublishedError):
        briefing_generate(iso_year=2025, iso_week=47, today=dataset.TODAY)
    with pytest.raises(BriefingNotEditableError, match="only a draft"):
        briefing_publish(briefing=draft, by=cos)
    assert BriefingDelivery.objects.count() == 3


def test_a_draft_annotated_since_the_page_was_opened_is_not_published(client, cos, draft):
    seen = draft.draft_version  # what the publish form on the page carries
    Briefing.objects.filter(pk=draft.pk).update(commentary_at=timezone.now())  # another tab
    client.force_login(cos)
    response = client.post(
        reverse("briefings:publish", args=dataset.WEEK),
        {"draft_version": seen},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 409
    assert "changed since you reviewed it" in response.content.decode()
    assert Briefing.objects.get(pk=draft.pk).state == Briefing.State.DRAFT
    assert not BriefingDelivery.objects.exists()


def test_a_draft_regenerated_while_publishing_is_a_conflict(client, cos, draft):
    stale = Briefing.objects.get(pk=draft.pk)
    Briefing.objects.filter(pk=draft.pk).update(generated_at=timezone.now())
    with pytest.raises(BriefingChangedError, match="changed while it was being published"):
        briefing_publish(briefing=stale, by=cos)
    assert not BriefingDelivery.objects.exists()
    assert Briefing.objects.get(pk=draft.pk).state == Briefing.State.DRAFT


def test_auto_publish_publishes_a_draft_the_cos_left_at_the_hour(draft, smtp_sink):
    set_office(briefing_weekday=4, briefing_auto_publish_hour=18)
    before = dt.datetime(2025, 11, 21, 17, 59, tzinfo=dataset.LONDON)
    at = dt.datetime(2025, 11, 21, 18, 10, tzinfo=dataset.LONDON)
    assert briefing_auto_publish_due(now=before) is None
    assert briefing_auto_publish_due(now=at) == draft


def test_auto_publish_is_off_by_default(draft):
    at = dt.datetime(2025, 11, 23, 23, 0, tzinfo=dataset.LONDON)
    assert briefing_auto_publish_due(now=at) is None
