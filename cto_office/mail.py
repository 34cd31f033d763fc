"""Outgoing mail: the one way every message of the product is built, queued and sent.

Every mail has a text and an HTML part rendered from one pair of templates
(``<name>.txt`` and ``<name>.html``, the first line of the text template being
the subject), absolute links (``settings.SITE_URL``), and is sent by a Celery
task enqueued with ``transaction.on_commit`` so that a rolled-back write sends
nothing (Django docs, "Performing actions after commit").

Apps that must record what was sent (a chase digest, a briefing delivery) call
``build_message`` and send it from their own task, where their bookkeeping
lives; a plain notification calls ``mail_enqueue``.

Delivery semantics of ``mail_send`` (Celery settings in ``cto_office/settings.py``):
``acks_late`` with retries on SMTP and socket errors (a 4xx answer, a refused,
dropped or timed-out connection: ``EMAIL_TIMEOUT``), exponential back-off
(``retry_countdown``) up to ``MAX_RETRIES``; a permanent 5xx refusal
(``SMTPRecipientsRefused``, ``SMTPDataError`` with a 5xx code) is not retried.
Each queued mail carries a Message-ID fixed when it is enqueued, and once the
server has accepted it a mark is kept in the cache (``SENT_MARK_SECONDS``): a
task redelivered after a crash that came between the server's acceptance and
Celery's acknowledgement sends nothing again. What is left is the instant
between the server's "250" and the mark, and a timeout while the server was
accepting (RFC 5321 §6.1 asks servers to avoid that window, not that it cannot
happen): a duplicate then carries the same Message-ID, which mail clients fold
into one. Jobs that must never send twice keep a row per message in their own
app and claim it first.
"""

from __future__ import annotations

import errno
import logging
import smtplib
import socket
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import make_msgid
from django.db import transaction
from django.template.loader import render_to_string
from kombu.exceptions import OperationalError as BrokerUnreachable

logger = logging.getLogger(__name__)

MAX_RETRIES = 6

#: How long the "accepted by the server" mark of a message is kept: well past
#: the last retry (six back-offs of at most 8 minutes) and any redelivery.
SENT_MARK_SECONDS = 2 * 24 * 60 * 60

#: Transient: the connection failed or timed out, the name did not resolve, or the server
#: answered 4xx (``smtplib.SMTPException`` short of a 5xx, see ``is_transient``). Not every
#: ``OSError``: a missing attachment file (``FileNotFoundError``) will not appear on a retry.
TRANSIENT_MAIL_ERRORS = (smtplib.SMTPException, ConnectionError, TimeoutError, socket.gaierror)
#: ``OSError`` numbers of a network that is down or unreachable for now.
TRANSIENT_NETWORK_ERRNOS = frozenset(
    {errno.ENETDOWN, errno.ENETUNREACH, errno.EHOSTDOWN, errno.EHOSTUNREACH}
)


def absolute_url(path: str) -> str:
    """``path`` (``/actions/ACT-12/``) as an absolute URL on ``settings.SITE_URL``.

    A value that already has a scheme is returned unchanged.
    """
    if "://" in path:
        return path
    return f"{settings.SITE_URL}/{path.lstrip('/')}"


@dataclass(frozen=True)
class Attachment:
    """A file attached to a message: name shown to the reader, bytes, MIME type."""

    filename: str
    content: bytes
    mimetype: str


def is_permanent(exc: BaseException) -> bool:
    """True for an SMTP refusal with a 5xx code (RFC 5321 §4.2.1): retrying cannot help."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in exc.recipients.values())
    code = getattr(exc, "smtp_code", None)
    return isinstance(code, int) and code >= 500


def is_transient(exc: BaseException) -> bool:
    """True for an error worth retrying: a 4xx answer, a dropped or refused connection, a timeout."""
    if is_permanent(exc):
        return False
    if isinstance(exc, TRANSIENT_MAIL_ERRORS):
        return True
    return isinstance(exc, OSError) and exc.errno in TRANSIENT_NETWORK_ERRNOS


def build_message(
    *,
    to: Sequence[str],
    template: str,
    context: dict,
    attachments: Iterable[Attachment] = (),
    reply_to: Sequence[str] = (),
    message_id: str = "",
) -> EmailMultiAlternatives:
    """A two-part message from ``templates/<template>.txt`` and ``.html``.

    The text template's first line is the subject (stripped, one line); the rest is
    the text body. Both templates get ``context`` plus ``site_url``. ``message_id``
    (``make_msgid()``) fixes the Message-ID header, so every attempt to send one
    mail carries the same one; empty, Django makes a new one. Raises
    ``TemplateDoesNotExist`` when either template is missing.
    """
    context = {**context, "site_url": settings.SITE_URL}
    text = render_to_string(f"{template}.txt", context)
    subject, _, body = text.lstrip().partition("\n")
    html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=body.lstrip("\n"),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=list(to),
        reply_to=list(reply_to),
        headers={"Message-ID": message_id} if message_id else None,
    )
    message.attach_alternative(html, "text/html")
    for attachment in attachments:
        message.attach(attachment.filename, attachment.content, attachment.mimetype)
    return message


def retry_countdown(retries: int) -> int:
    """Seconds before retry number ``retries + 1``: ``settings.MAIL_RETRY_BACKOFF_SECONDS``
    (30 s by default) doubled each time, capped at ``settings.TASK_RETRY_COUNTDOWN_MAX`` (8 min).

    The cap keeps a message waiting for its retry, which the worker holds
    unacknowledged, inside the broker's visibility timeout: past it Redis hands
    the message to a second worker and the mail goes out twice (an uncapped
    sixth retry waited 960 s against a 900 s timeout).
    """
    return min(settings.MAIL_RETRY_BACKOFF_SECONDS * 2**retries, settings.TASK_RETRY_COUNTDOWN_MAX)


@shared_task(bind=True, acks_late=True, max_retries=MAX_RETRIES)
def mail_send(self, *, to: list[str], template: str, context: dict, message_id: str = "") -> int:
    """Render and send one notification (``context`` must be JSON: ids, strings, paths).

    Returns the number of messages the backend accepted (0 or 1); 0 also when
    the server already accepted ``message_id`` (a redelivered task). Retries a
    transient failure with exponential back-off (``retry_countdown``);
    re-raises a permanent one, which Celery records as failed.
    """
    sent_mark = f"mail-sent:{message_id}"
    if message_id and _cache_call(cache.get, sent_mark):
        logger.info(
            "mail %s to %s already accepted as %s; not sent again", template, to, message_id
        )
        return 0
    message = build_message(to=to, template=template, context=context, message_id=message_id)
    try:
        sent = message.send()
    except Exception as exc:
        retry_or_raise(self, exc, what=f"mail {template} to {to}")
        raise
    if message_id:
        _cache_call(cache.set, sent_mark, True, SENT_MARK_SECONDS)
    return sent


def retry_or_raise(task, exc: Exception, *, what: str) -> None:
    """In a bound Celery task's ``except`` block: retry ``task`` for a transient mail error
    (``retry_countdown``, at most ``MAX_RETRIES``); return for a permanent one, which the
    caller re-raises. Raises ``celery.exceptions.Retry`` (Celery docs, "Retrying").
    """
    if not is_transient(exc):
        return
    countdown = retry_countdown(task.request.retries)
    logger.warning("%s failed (%s); retry in %s s", what, exc, countdown)
    raise task.retry(exc=exc, countdown=countdown, max_retries=MAX_RETRIES) from exc


def _cache_call(method, *args):
    """``method(*args)`` on the cache, or None if the cache (Redis) cannot be reached.

    The "accepted" mark only saves a redelivered task from sending twice; a mail
    must still go out, and not be sent again, when Redis is away.
    """
    try:
        return method(*args)
    except Exception as exc:  # each cache backend raises its own connection errors
        logger.warning("cache unavailable for the mail's sent mark: %s", exc)
        return None


def mail_enqueue(*, to: Sequence[str], template: str, context: dict) -> None:
    """Queue one notification to be sent after the current transaction commits.

    ``to`` with no address sends nothing. The context is passed to Celery as JSON,
    so it carries plain values (names, keys, absolute links), never model instances.
    The Message-ID is made here, once per notification (see the module's docstring).
    If the broker (Redis) cannot be reached, the mail is sent right there, in the
    committing process, rather than lost: one attempt (the request must not wait
    through the back-offs of ``retry_countdown``); if the mail server fails too, the
    failure is logged (a robust on-commit callback).
    """
    recipients = sorted({address for address in to if address})
    if not recipients:
        return
    kwargs = {
        "to": recipients,
        "template": template,
        "context": context,
        "message_id": make_msgid(),
    }

    def send_after_commit() -> None:
        # A named function: Django logs a robust callback's failure (here: the
        # broker and the mail server both unreachable) by its __qualname__.
        try:
            mail_send.delay(**kwargs)
        except BrokerUnreachable as exc:
            logger.warning("mail %s to %s not queued (%s); sending it now", template, to, exc)
            mail_send.apply(kwargs=kwargs, retries=MAX_RETRIES).get()  # the last try: no retry

    transaction.on_commit(send_after_commit, robust=True)
