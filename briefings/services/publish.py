"""Publishing the weekly briefing: freeze it, and e-mail it once to each recipient.

``briefing_publish`` freezes a draft (state ``published``, the PDF rendered
again so its cover says so) and creates one ``BriefingDelivery`` row per
recipient in the same transaction; ``briefing_delivery_send`` claims a row
and sends its message. The task layer (``briefings.tasks``) enqueues the
sending after the commit and retries a transient SMTP failure.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from briefings.headline import headline_numbers
from briefings.models import Briefing, BriefingDelivery
from briefings.selectors import briefing_recipients
from briefings.services import (
    briefing_render_html,
    briefing_render_pdf,
    briefing_save_pdf,
)
from briefings.services.review import BriefingNotEditableError
from cto_office.mail import Attachment, absolute_url, build_message

if TYPE_CHECKING:
    from django.contrib.auth.models import User

__all__ = ["BriefingChangedError", "briefing_delivery_send", "briefing_publish"]

MAIL_TEMPLATE = "briefings/mail/published"


class BriefingChangedError(Exception):
    """The draft changed between the page the Chief of Staff saw (``since_seen``) or the
    render the publish made and the publish (409)."""

    def __init__(self, briefing: Briefing, *, since_seen: bool = False) -> None:
        self.briefing = briefing
        when = max((t for t in (briefing.generated_at, briefing.commentary_at) if t), default=None)
        what = "since you reviewed it" if since_seen else "while it was being published"
        super().__init__(
            f"The draft of {briefing.label} changed {what} "
            f"(regenerated or annotated at {when:%H:%M:%S} UTC); review it again."
            if when
            else f"The draft of {briefing.label} changed {what}."
        )


def briefing_publish(
    *, briefing: Briefing, by: User | None, seen_version: str | None = None
) -> Briefing:
    """Freeze a draft briefing and create its deliveries; return it published.

    ``by`` is the Chief of Staff, or None when the schedule publishes it
    (``OfficeSettings.briefing_auto_publish_hour``). Steps: render the stored
    snapshot once more with the cover saying "Published" (no live data is
    read: the CTO gets what the CoS reviewed), store the PDF, then in one
    transaction flip the row ``draft`` → ``published`` with a conditional
    update on the generation and commentary times the render used, and create
    a ``BriefingDelivery`` per recipient (``briefings.selectors.briefing_recipients``;
    the unique constraint keeps it to one per address).

    ``seen_version``: the ``Briefing.draft_version`` the Chief of Staff reviewed (the
    publish form's); None when the schedule publishes.

    Raises ``BriefingNotEditableError`` when the briefing is not a draft
    (published already, pending, failed), and ``BriefingChangedError`` when it is
    not the draft ``seen_version`` names, or was regenerated, annotated or
    published while rendering (the new file is deleted). Sending is the caller's next step, after the commit.
    """
    if briefing.state != Briefing.State.DRAFT:
        raise BriefingNotEditableError(briefing, "only a draft can be published")
    if seen_version is not None and seen_version != briefing.draft_version:
        raise BriefingChangedError(briefing, since_seen=True)
    now = timezone.now()
    frozen = copy.copy(briefing)  # what the cover shows: published, now
    frozen.state, frozen.published_at = Briefing.State.PUBLISHED, now
    html = briefing_render_html(
        snapshot=briefing.snapshot, briefing=frozen, generated_at=briefing.generated_at
    )
    pdf, page_count = briefing_render_pdf(html=html)
    old_name, storage = briefing.pdf.name, briefing.pdf.storage
    new_name = briefing_save_pdf(briefing=briefing, pdf=pdf)
    with transaction.atomic():
        updated = Briefing.objects.filter(
            pk=briefing.pk,
            state=Briefing.State.DRAFT,
            generated_at=briefing.generated_at,
            commentary_at=briefing.commentary_at,
        ).update(
            state=Briefing.State.PUBLISHED,
            published_at=now,
            published_by=by,
            html=html,
            pdf=new_name,
            page_count=page_count,
        )
        if updated:
            BriefingDelivery.objects.bulk_create(
                [
                    BriefingDelivery(briefing_id=briefing.pk, email=email, is_cto=is_cto)
                    for email, is_cto in briefing_recipients()
                ],
                ignore_conflicts=True,
            )
    briefing.refresh_from_db()
    if not updated:
        storage.delete(new_name)
        raise BriefingChangedError(briefing)
    if old_name and old_name != new_name:
        storage.delete(old_name)
    return briefing


def briefing_delivery_send(*, delivery_id: int) -> bool:
    """Claim one delivery and send its e-mail; True if this call sent it.

    The claim is a conditional update ``pending``/``failed`` → ``sending``
    (attempts + 1): of two workers racing for the row one wins, the other gets
    False and sends nothing. The message (``briefings/mail/published``) has the
    commentary and the five headline numbers in its body and the PDF attached;
    a CTO recipient also gets the link to the archive page. An SMTP error marks
    the row ``failed`` with the error and is re-raised for the task to decide
    on a retry (``cto_office.mail.is_transient``).
    """
    claimed = BriefingDelivery.objects.filter(
        pk=delivery_id, state__in=[BriefingDelivery.State.PENDING, BriefingDelivery.State.FAILED]
    ).update(
        state=BriefingDelivery.State.SENDING, attempts=F("attempts") + 1, updated_at=timezone.now()
    )
    if not claimed:
        return False
    delivery = BriefingDelivery.objects.select_related("briefing").get(pk=delivery_id)
    briefing = delivery.briefing
    week = briefing.week
    detail = reverse("briefings:detail", args=[week.year, week.week])
    with briefing.pdf.open("rb") as fh:
        pdf = fh.read()
    message = build_message(
        to=[delivery.email],
        template=MAIL_TEMPLATE,
        context={
            "label": briefing.label,
            "range_label": briefing.snapshot["week"]["range_label"],
            "commentary": briefing.commentary,
            "numbers": headline_numbers(briefing.snapshot),
            "archive_url": absolute_url(reverse("briefings:archive")) if delivery.is_cto else "",
            "detail_url": absolute_url(detail) if delivery.is_cto else "",
            "filename": f"cto-briefing-{briefing.label}.pdf",
        },
        attachments=[Attachment(f"cto-briefing-{briefing.label}.pdf", pdf, "application/pdf")],
    )
    try:
        message.send()
    except Exception as exc:
        BriefingDelivery.objects.filter(pk=delivery_id).update(
            state=BriefingDelivery.State.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:2000],
            updated_at=timezone.now(),
        )
        raise
    now = timezone.now()
    BriefingDelivery.objects.filter(pk=delivery_id).update(
        state=BriefingDelivery.State.SENT, sent_at=now, error="", updated_at=now
    )
    return True
