"""The weekly check-in reminder: key-result owners who have not checked in this week get one mail.

It goes out at the office's chase hour on the day before the briefing weekday
(office time zone; the briefing day itself when that is a Monday), so the
check-ins land before the draft is generated. Its own weekly job, not part of
the action chase digests: those belong to the actions app, which the
briefings app does not reach into. One ``CheckInReminder`` row per person and
ISO week (a unique constraint) is written in the same transaction that queues
the mail (``cto_office.mail.mail_enqueue``, sent after the commit): a second
tick, or two at once, remind nobody twice.
"""

from __future__ import annotations

import datetime as dt
from itertools import groupby

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from briefings.models import CheckInReminder, KeyResult
from cto_office.clock import IsoWeek, monday_of, office_settings
from cto_office.mail import absolute_url, mail_enqueue
from cto_office.models import person_from_row

__all__ = ["MAIL_TEMPLATE", "check_in_reminder_due", "check_in_reminders_send"]

MAIL_TEMPLATE = "briefings/mail/check_in_reminder"


def check_in_reminder_due(*, now: dt.datetime | None = None) -> dt.date | None:
    """Today's office date if the reminder is due now, else None (one query).

    Due on the day before ``OfficeSettings.briefing_weekday`` (that day itself
    for a Monday briefing), from ``chase_hour`` to midnight, office time zone.
    """
    office = office_settings()
    local_now = (now or timezone.now()).astimezone(office.tz)
    reminder_weekday = max(office.briefing_weekday - 1, 0)
    if local_now.weekday() != reminder_weekday or local_now.hour < office.chase_hour:
        return None
    return local_now.date()


def check_in_reminders_send(*, today: dt.date) -> int:
    """Remind every owner of a current key result with no check-in in ``today``'s ISO week; return
    how many people were reminded by this call.

    ``today`` is an office date. Owners must be active and have an e-mail
    address. One query for the key results, then per owner one transaction:
    insert the ``CheckInReminder`` row (``get_or_create``: a concurrent run's
    row wins and this call sends nothing) and queue the mail, which lists the
    key results to check in and links to the check-ins page.
    """
    week = IsoWeek.of(today)
    rows = (
        KeyResult.objects.filter(
            objective__period_start__lte=today,
            objective__period_end__gte=today,
            owner__is_active=True,
        )
        .exclude(owner__email="")
        .exclude(check_ins__date__gte=monday_of(today))
        .order_by("owner_id", "team__name", "pk")
        .values(
            "title",
            "team__name",
            "owner_id",
            "owner__email",
            "owner__first_name",
            "owner__last_name",
            "owner__username",
        )
    )
    link = absolute_url(reverse("briefings:check_ins"))
    reminded = 0
    for owner_id, group in groupby(rows, key=lambda r: r["owner_id"]):
        key_results = list(group)
        with transaction.atomic():
            _, created = CheckInReminder.objects.get_or_create(
                user_id=owner_id,
                iso_year=week.year,
                iso_week=week.week,
                defaults={"key_results": len(key_results)},
            )
            if not created:
                continue
            mail_enqueue(
                to=[key_results[0]["owner__email"]],
                template=MAIL_TEMPLATE,
                context={
                    "name": person_from_row(key_results[0], "owner__"),
                    "week": week.label,
                    "key_results": [
                        {"title": r["title"], "team": r["team__name"]} for r in key_results
                    ],
                    "check_ins_url": link,
                },
            )
        reminded += 1
    return reminded
