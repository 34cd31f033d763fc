"""The mail base (``cto_office/mail.py``) against a real SMTP server on loopback."""

from __future__ import annotations

import errno
import smtplib

import pytest
from django.db import transaction

from cto_office.mail import (
    absolute_url,
    build_message,
    is_permanent,
    is_transient,
    mail_enqueue,
    mail_send,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_notification_is_sent_after_commit_with_text_html_and_absolute_links(smtp_sink, settings):
    settings.SITE_URL = "https://cto.example.com"
    with transaction.atomic():
        mail_enqueue(
            to=["ada@example.com", "ada@example.com", ""],
            template="mail/test_notice",
            context={"name": "Ada <3", "path": "/actions/ACT-1/"},
        )
        assert smtp_sink.messages == []  # nothing before the commit
    [message] = smtp_sink.messages
    assert message["Subject"] == "Notice for Ada <3"
    assert message["X-Envelope-To"] == "ada@example.com"
    text, html = smtp_sink.parts(message)
    assert "https://cto.example.com/actions/ACT-1/" in text
    assert 'href="https://cto.example.com/actions/ACT-1/"' in html
    assert "Ada &lt;3" in html


def test_a_rolled_back_write_sends_nothing(smtp_sink):
    with pytest.raises(RuntimeError), transaction.atomic():
        mail_enqueue(
            to=["ada@example.com"],
            template="mail/test_notice",
            context={"name": "Ada", "path": "/"},
        )
        raise RuntimeError("rolled back")
    assert smtp_sink.messages == []


def test_a_transient_refusal_is_retried_by_the_worker_until_delivered(
    smtp_sink, redis_worker, settings
):
    settings.MAIL_RETRY_BACKOFF_SECONDS = 0
    smtp_sink.fail_next = 2  # answered 421 twice, then accepted
    mail_send.apply_async(
        kwargs={
            "to": ["ada@example.com"],
            "template": "mail/test_notice",
            "context": {"name": "Ada", "path": "/"},
        },
        ignore_result=False,  # results are not kept in production (CELERY_TASK_IGNORE_RESULT)
    ).get(timeout=60)
    assert len(smtp_sink.messages) == 1
    assert smtp_sink.fail_next == 0


def test_a_permanent_refusal_is_not_retried(smtp_sink):
    smtp_sink.fail_next, smtp_sink.fail_code = 5, "550 5.1.1 No such user"
    with pytest.raises(smtplib.SMTPDataError):
        mail_send.delay(
            to=["nobody@example.com"],
            template="mail/test_notice",
            context={"name": "Ada", "path": "/"},
        )
    assert smtp_sink.fail_next == 4  # one attempt only
    assert smtp_sink.messages == []


def test_error_classes_follow_rfc_5321_reply_codes():
    assert is_permanent(smtplib.SMTPDataError(550, b"no"))
    assert is_transient(smtplib.SMTPDataError(421, b"later"))
    assert is_transient(TimeoutError())
    assert not is_transient(ValueError())
    assert is_transient(OSError(errno.ENETUNREACH, "Network is unreachable"))
    assert not is_transient(FileNotFoundError(errno.ENOENT, "briefing.pdf"))  # same on a retry
    assert is_permanent(smtplib.SMTPRecipientsRefused({"a@x": (550, b"no")}))


def test_build_message_takes_the_subject_from_the_first_text_line(settings):
    settings.SITE_URL = "http://localhost:8000"
    message = build_message(
        to=["a@x"], template="mail/test_notice", context={"name": "B", "path": "/x/"}
    )
    assert message.subject == "Notice for B"
    assert message.body.startswith("Hello B,")
    assert absolute_url("/x/") == "http://localhost:8000/x/"
    assert absolute_url("https://a/b") == "https://a/b"
