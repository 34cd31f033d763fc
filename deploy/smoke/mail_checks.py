"""The checks of the product's mails through the real topology: the change is made in a
process of its own (``manage.py`` or ``manage.py shell``, as a request or a beat tick
would), its mails are queued on commit to Redis, the worker sends them to the SMTP sink,
and the sink's Maildir is read to see who got what, and that nobody got it twice."""

from __future__ import annotations

import datetime as dt
import json
import mailbox
import re
import time
from collections import Counter
from email.utils import getaddresses

from deploy.smoke.config import USERNAME, CheckFailed, wait_for
from deploy.smoke.processes import Topology

#: A staff member and a team lead of the demo organisation (README, "Two commands").
STAFF = "rebeca.andrade"
LEAD = "bruce.velasquez"
#: Seconds to wait for a worker's mails, and then for any unexpected extra one.
MAIL_TIMEOUT = 120
SETTLE = 5


class MailChecks(Topology):
    """``check_<name>`` for the mail checks in ``CHECKS``; each returns a detail or raises."""

    def sink(self) -> dict[str, tuple[tuple[str, ...], str]]:
        """``(recipients, subject)`` of every message in the sink so far, by Maildir key (a
        Maildir has no order: what is new is what was not there before). One message may
        go to several people (``mail_enqueue`` sends one message to a list)."""
        box = mailbox.Maildir(self.maildir, factory=None, create=False)
        return {
            key: (
                tuple(address for _, address in getaddresses(message.get_all("To", []))),
                " ".join(str(message["Subject"]).split()),  # unfolded
            )
            for key, message in box.items()
        }

    def _received(self, before: set[str]) -> tuple[list[tuple[tuple[str, ...], str]], Counter]:
        """The messages not in ``before``, and how many each recipient got."""
        new = [mail for key, mail in self.sink().items() if key not in before]
        return new, Counter(address for recipients, _ in new for address in recipients)

    def python(self, code: str) -> dict:
        """Run ``code`` in ``manage.py shell`` (a process of its own, like a request); the JSON
        object it prints last."""
        output = self.manage("shell", "-c", code).stdout.strip().splitlines()
        return json.loads(output[-1])

    def expect_mails(
        self, before: set[str], wanted: Counter, what: str
    ) -> list[tuple[tuple[str, ...], str]]:
        """Wait until the sink holds ``wanted`` (recipient → count) besides the messages
        ``before`` (their keys), then check that nothing more arrives; the new messages."""
        expected = sum(wanted.values())
        wait_for(
            lambda: self._received(before)[1].total() >= expected,
            timeout=MAIL_TIMEOUT,
            interval=1,
            what=f"{expected} mail(s) for {what}",
        )
        time.sleep(SETTLE)
        new, got = self._received(before)
        if got != wanted:
            raise CheckFailed(f"{what}: expected {dict(wanted)}, the sink got {dict(got)}")
        return new

    def chase(self, *args: str) -> tuple[str, Counter]:
        """Run ``manage.py chase_overdue_actions *args``; its output and its recipients."""
        output = self.manage("chase_overdue_actions", *args).stdout
        return output, Counter(re.findall(r"<([^>]+)> —", output))

    def check_chase_run_mails(self) -> str:
        # Today's chase first, as beat's hourly tick would: once it is done, a tick firing
        # during this check finds nothing left to send today (one digest a day per person).
        before = set(self.sink())
        self.expect_mails(before, self.chase()[1], "today's chase")
        # Then tomorrow (machine date), a day nobody has chased, twice.
        day = (dt.date.today() + dt.timedelta(days=1)).isoformat()
        before = set(self.sink())
        first, recipients = self.chase("--date", day)
        if not recipients:
            raise CheckFailed(f"the chase queued no digest: {first.strip()[:300]}")
        self.expect_mails(before, recipients, f"the chase of {day}")
        again, _ = self.chase("--date", day)
        if "sent 0 digest(s)" not in again:
            raise CheckFailed(f"a second run queued again: {again.strip()[:300]}")
        self.expect_mails(before, recipients, "the chase's second run (none)")
        return (
            f"chase of {day}: {len(recipients)} digests queued and delivered by the worker, "
            "one per recipient; a second run queued none and the sink got none"
        )

    def check_escalation_mails(self) -> str:
        before = set(self.sink())
        raised = self.python(
            f"""
import json
from django.contrib.auth.models import User
from actions import services
from cto_office import access
staff = User.objects.get(username={STAFF!r})
escalation = services.escalation_raise(by=staff, title="Smoke: production is down",
    category="incident", severity="critical")
chiefs = access.chiefs_of_staff().exclude(email="").values_list("email", flat=True)
print(json.dumps({{"pk": escalation.pk, "chiefs": list(chiefs)}}))
"""
        )
        self.expect_mails(before, Counter(raised["chiefs"]), "a critical escalation")
        before = set(self.sink())
        routed = self.python(
            f"""
import json
from django.contrib.auth.models import User
from actions import services
from actions.models import Escalation
escalation = Escalation.objects.get(pk={raised["pk"]})
lead = User.objects.get(username={LEAD!r})
services.escalation_route(escalation=escalation, to=lead, by=User.objects.get(username={USERNAME!r}),
    note="Yours: please take it")
print(json.dumps({{"to": [lead.email, escalation.raised_by.email]}}))
"""
        )
        self.expect_mails(before, Counter(routed["to"]), "routing the escalation")
        return (
            f"a critical escalation mailed {len(raised['chiefs'])} Chief(s) of Staff; routing it "
            "mailed the new owner and the raiser, once each"
        )

    def check_meeting_mails(self) -> str:
        before = set(self.sink())
        published = self.python(
            f"""
import json
from django.contrib.auth.models import User
from cadence.models import Meeting
from cadence.tasks import agenda_publish_and_mail
from cadence.services import meeting_mark_held, minutes_save
cos = User.objects.get(username={USERNAME!r})
meeting = (Meeting.objects.filter(state="draft", agenda_items__isnull=False,
    attendees__isnull=False).distinct().order_by("start").first())
agenda_publish_and_mail(meeting=meeting, by=cos)
meeting_mark_held(meeting=meeting, by=cos)
minutes_save(meeting=meeting, by=cos, minutes="Smoke: decided to ship.")
print(json.dumps({{"pk": meeting.pk, "to": [u.email for u in meeting.attendees.all() if u.email]}}))
"""
        )
        people = Counter(published["to"])
        self.expect_mails(before, people, f"meeting {published['pk']}'s agenda")
        before = set(self.sink())
        self.python(
            f"""
import json
from django.contrib.auth.models import User
from cadence.models import Meeting
from cadence.tasks import minutes_publish_and_mail
meeting = Meeting.objects.get(pk={published["pk"]})
minutes_publish_and_mail(meeting=meeting, by=User.objects.get(username={USERNAME!r}))
print(json.dumps({{}}))
"""
        )
        self.expect_mails(before, people, f"meeting {published['pk']}'s minutes")
        return (
            f"meeting {published['pk']}: the agenda and then the minutes mailed its "
            f"{len(people)} attendees once each"
        )

    def check_briefing_publish_mail(self) -> str:
        before = set(self.sink())
        published = self.python(
            f"""
import json
from django.contrib.auth.models import User
from briefings.models import Briefing
from briefings.tasks import briefing_publish_and_deliver
briefing = Briefing.objects.filter(state="draft").order_by("-iso_year", "-iso_week").first()
briefing = briefing_publish_and_deliver(briefing=briefing, by=User.objects.get(username={USERNAME!r}))
print(json.dumps({{"week": str(briefing), "to": list(briefing.deliveries.values_list("email", flat=True))}}))
"""
        )
        new = self.expect_mails(before, Counter(published["to"]), "the published briefing")
        return (
            f"{published['week']}: published and mailed to {len(published['to'])} recipient(s) once each "
            f"(subject “{new[0][1]}”)"
        )
