"""The cadence's mails (DESIGN.md §3, ``send_agenda_and_pre_reads``) and its schedules.

Three mails, each at most once per meeting and person (``MeetingMail``'s unique
constraint, not a hope):

- ``agenda``: when the agenda is published, to every attendee: the agenda and
  the pre-read links;
- ``reminder``: ``OfficeSettings.pre_read_reminder_hours`` before the meeting,
  only to attendees who have not read every pre-read (the hourly tick);
- ``minutes``: when the minutes are published: decisions, new actions with
  owners and due dates, and the carried-over actions still open.

Publishing enqueues one ``send_meeting_mail`` per attendee on commit. The task
locks that person's ``MeetingMail`` row (creating it), sends only if it has no
``sent_at``, and sets it in the same transaction: a second task for the same
person waits on the lock and then finds it sent. A crash between the SMTP
server accepting the message and the commit may send it twice (RFC 5321's
"at least once", ``cto_office.mail``); nothing else does. A transient SMTP
failure rolls back and retries with back-off.
"""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cadence import services
from cadence.models import Meeting, MeetingMail, MeetingMailKind, MeetingSeries
from cadence.selectors import meeting_mail_context, reminder_recipients
from cto_office.clock import office_settings, office_tz
from cto_office.mail import MAX_RETRIES, absolute_url, build_message, retry_or_raise

TEMPLATES = {
    MeetingMailKind.AGENDA: "cadence/mail/agenda",
    MeetingMailKind.REMINDER: "cadence/mail/reminder",
    MeetingMailKind.MINUTES: "cadence/mail/minutes",
}


def _enqueue(meeting: Meeting, kind: str, user_ids: list[int]) -> None:
    for user_id in user_ids:
        send_meeting_mail.delay_on_commit(meeting.pk, user_id, kind)


def agenda_publish_and_mail(*, meeting: Meeting, by) -> Meeting:
    """``services.agenda_publish`` and, on commit, the agenda mail to each attendee."""
    with transaction.atomic():
        services.agenda_publish(meeting=meeting, by=by)
        _enqueue(
            meeting, MeetingMailKind.AGENDA, list(meeting.attendees.values_list("pk", flat=True))
        )
    return meeting


def minutes_publish_and_mail(*, meeting: Meeting, by) -> Meeting:
    """``services.minutes_publish`` and, on commit, the recap to each attendee."""
    with transaction.atomic():
        services.minutes_publish(meeting=meeting, by=by)
        _enqueue(
            meeting, MeetingMailKind.MINUTES, list(meeting.attendees.values_list("pk", flat=True))
        )
    return meeting


@shared_task(bind=True, acks_late=True, max_retries=MAX_RETRIES)
def send_meeting_mail(self, meeting_id: int, user_id: int, kind: str) -> int:
    """Send the ``kind`` mail about meeting ``meeting_id`` to user ``user_id`` unless already
    sent (returns 1 if sent now, 0 if not). Holds a row lock on the ``MeetingMail``
    row while sending; see the module docstring."""
    try:
        with transaction.atomic():
            MeetingMail.objects.get_or_create(meeting_id=meeting_id, user_id=user_id, kind=kind)
            row = MeetingMail.objects.select_for_update().get(
                meeting_id=meeting_id, user_id=user_id, kind=kind
            )
            if row.sent_at:
                return 0
            user = get_user_model().objects.get(pk=user_id)
            if not user.email:
                return 0
            meeting = Meeting.objects.select_related("series").get(pk=meeting_id)
            context = meeting_mail_context(meeting=meeting, user=user, tz=office_tz())
            context["meeting_url"] = absolute_url(
                reverse("cadence:meeting_detail", args=[meeting_id])
            )
            message = build_message(to=[user.email], template=TEMPLATES[kind], context=context)
            message.send()
            row.sent_at = timezone.now()
            row.save(update_fields=["sent_at"])
            return 1
    except Exception as exc:
        retry_or_raise(self, exc, what=f"meeting mail {meeting_id}/{user_id}/{kind}")
        raise


@shared_task
def send_pre_read_reminders(now_iso: str | None = None) -> int:
    """The hourly tick: for meetings with a published agenda starting within
    ``OfficeSettings.pre_read_reminder_hours``, queue a reminder to each attendee who
    has not read every pre-read. Returns how many were queued (the constraint drops
    repeats when the task runs)."""
    now = dt.datetime.fromisoformat(now_iso) if now_iso else timezone.now()
    hours = office_settings().pre_read_reminder_hours
    queued = 0
    with transaction.atomic():
        for meeting, user_ids in reminder_recipients(
            now=now, until=now + dt.timedelta(hours=hours)
        ):
            _enqueue(meeting, MeetingMailKind.REMINDER, user_ids)
            queued += len(user_ids)
    return queued


@shared_task
def schedule_series_occurrences() -> int:
    """The daily tick: extend every series' meetings to the scheduling horizon."""
    created = 0
    for series in MeetingSeries.objects.all():
        created += len(services.series_schedule(series=series))
    return created
