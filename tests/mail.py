"""A real SMTP server on loopback for the tests that send mail (aiosmtpd).

``smtp_sink`` (a fixture in ``tests/conftest.py``) starts one per test on a free
port, points Django's SMTP backend at it, and yields the ``SmtpSink``: the
messages it accepted, parsed, and a switch to answer the next ``DATA`` with an
error code (421 transient, 550 permanent) so retry paths can be tested.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
import time
from dataclasses import dataclass, field
from email.message import EmailMessage

from aiosmtpd.controller import Controller


@dataclass
class SmtpSink:
    """Messages accepted by the loopback server, oldest first, and failure switches."""

    messages: list[EmailMessage] = field(default_factory=list)
    #: While > 0, each DATA is answered with ``fail_code`` and the counter decreases.
    fail_next: int = 0
    fail_code: str = "421 4.3.0 Try again later"
    #: While > 0, each DATA hangs ``stall_seconds`` (past the client's timeout), keeps
    #: nothing and the counter decreases: a server that stopped answering.
    stall_next: int = 0
    stall_seconds: float = 3.0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        if self.stall_next > 0:
            self.stall_next -= 1
            await asyncio.sleep(self.stall_seconds)
            return "451 4.3.0 Timed out"
        if self.fail_next > 0:
            self.fail_next -= 1
            return self.fail_code
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 OK"

    def wait_for(self, count: int, timeout: float = 60) -> list[EmailMessage]:
        """Wait until the server has accepted ``count`` messages (a worker sends them in
        another thread); raises ``AssertionError`` after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while len(self.messages) < count:
            assert time.monotonic() < deadline, (
                f"{len(self.messages)} of {count} messages after {timeout} s"
            )
            time.sleep(0.05)
        return self.messages

    def to(self, address: str) -> list[EmailMessage]:
        """The accepted messages whose envelope included ``address``."""
        return [m for m in self.messages if address in m["X-Envelope-To"].split(", ")]

    @staticmethod
    def parts(message: EmailMessage) -> tuple[str, str]:
        """The message's (text, html) bodies; raises ``AssertionError`` if either is missing."""
        text = message.get_body(preferencelist=("plain",))
        html = message.get_body(preferencelist=("html",))
        assert text is not None and html is not None, "a mail needs both a text and an HTML part"
        return text.get_content(), html.get_content()


def start_sink(port: int = 0) -> tuple[Controller, SmtpSink]:
    """Start a sink on 127.0.0.1 on ``port`` (default: a free one); the caller stops the controller."""
    sink = SmtpSink()
    if not port:
        with socket.socket() as probe:  # aiosmtpd's Controller cannot take port 0
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, sink
