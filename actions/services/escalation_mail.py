"""Who is told what about an escalation, by mail (``cto_office.mail``, sent after commit).

Each function is called inside a service's transaction; ``mail_enqueue`` sends
only if it commits. Recipients are people who may see the escalation
(``cto_office.access``): the Chiefs of Staff, its raiser, the person it is
routed to. The context is JSON (strings), as Celery carries it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse

from cto_office import access
from cto_office.mail import absolute_url, mail_enqueue
from cto_office.models import person_name

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from actions.models import Escalation


def _context(escalation: Escalation, *, by: User | None, note: str = "") -> dict[str, str]:
    return {
        "key": escalation.key,
        "title": escalation.title,
        "state": escalation.get_state_display(),
        "severity": escalation.get_severity_display(),
        "confidential": "yes" if escalation.confidential else "",
        "by": person_name(by) if by else "",
        "note": note,
        "url": absolute_url(reverse("actions:escalation_detail", kwargs={"pk": escalation.pk})),
    }


def notify_critical_raised(escalation: Escalation) -> None:
    """Every active Chief of Staff with an address hears of a new critical escalation (1 query)."""
    addresses = access.chiefs_of_staff().exclude(email="").values_list("email", flat=True)
    mail_enqueue(
        to=list(addresses),
        template="actions/mail/escalation_critical",
        context=_context(escalation, by=escalation.raised_by),
    )


def notify_routed_owner(escalation: Escalation, *, by: User, note: str) -> None:
    """The person ``escalation`` is now routed to (``routed_to``) hears it is theirs."""
    owner = escalation.routed_to
    if owner is None or not owner.is_active or owner.pk == by.pk:
        return
    mail_enqueue(
        to=[owner.email],
        template="actions/mail/escalation_routed_to_you",
        context=_context(escalation, by=by, note=note),
    )


def notify_raiser(escalation: Escalation, *, by: User, note: str) -> None:
    """The raiser hears their escalation was routed, converted, resolved, declined or closed as
    a duplicate (its new state is in the message); not when they did it themselves."""
    raiser = escalation.raised_by
    if not raiser.is_active or raiser.pk == by.pk:
        return
    mail_enqueue(
        to=[raiser.email],
        template="actions/mail/escalation_update",
        context=_context(escalation, by=by, note=note),
    )
