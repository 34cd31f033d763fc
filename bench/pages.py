"""Server time of the main pages over our smallest page (``signed_in``), for the CoS and a team lead.

Requests go through Django's whole stack in this process (``django.test.Client``:
middleware, session, access, templates; no network), against the large
organisation. Each page is fetched once to warm up, then ``REPEATS`` times;
the figure of a page is the median over the median of ``signed_in`` for the
same person, and the page's ratio is the worse of the two people's.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench.figures import median, ratio
from cadence.models import Meeting
from cto_office import access
from cto_office.clock import office_now

#: Who the pages are measured for: the CoS sees everything, the team lead a sub-department.
PEOPLE = {"CoS": "tamsin.okafor-lindqvist", "team lead": "bruce.velasquez"}
#: The pages with a ratio, in output order (``RATIO <page>_vs_minimal``).
PAGES = ("inbox", "register", "meeting", "home")
REPEATS = 7


@dataclass
class Timing:
    """One page for one person: median seconds, status and query count of the last request."""

    seconds: float
    status: int
    queries: int


def busiest_meeting(user) -> Meeting:
    """The past meeting with minutes ``user`` may see that has the most attendees (then the latest)."""
    # Counted on the plain queryset: meetings_for's own join on attendees would count only one.
    visible = access.meetings_for(user).values("pk")
    meeting = (
        Meeting.objects.filter(
            pk__in=visible, start__lt=office_now(), state=Meeting.State.MINUTES_PUBLISHED
        )
        .annotate(people=Count("attendees"))
        .order_by("-people", "-start")
        .first()
    )
    if meeting is None:
        raise RuntimeError(f"{user} sees no meeting with minutes: is the bench database seeded?")
    return meeting


def urls(meeting: Meeting) -> dict[str, str]:
    """The URL of each page, and of the baseline under ``minimal``."""
    return {
        "minimal": reverse("signed_in"),
        "inbox": reverse("actions:escalations"),
        "register": reverse("actions:register"),
        "meeting": reverse("cadence:meeting_detail", args=[meeting.pk]),
        "home": reverse("home"),
    }


def time_page(client: Client, url: str, repeats: int = REPEATS) -> Timing:
    """Fetch ``url`` once to warm up, then ``repeats`` times; the median time in seconds."""
    client.get(url)
    samples = []
    for _ in range(repeats):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            samples.append(time.perf_counter() - started)
    return Timing(median(samples), response.status_code, len(queries))


def measure_pages(log=print) -> dict[str, float]:
    """``{page: worse ratio over PEOPLE}`` for ``PAGES``; logs one line per person and page.

    A page that does not answer 200 for someone (e.g. a page that person may
    not open) is logged and left out of that person's ratios.
    """
    User = get_user_model()
    users = {label: User.objects.get(username=name) for label, name in PEOPLE.items()}
    meeting = busiest_meeting(users["team lead"])
    log(f"pages: meeting {meeting.pk} '{meeting}' ({meeting.people} attendees)")
    worst: dict[str, float] = {}
    for label, user in users.items():
        client = Client()
        client.force_login(user)
        timings = {page: time_page(client, url) for page, url in urls(meeting).items()}
        base = timings["minimal"]
        for page, timing in timings.items():
            figure = ratio(timing.seconds, base.seconds)
            log(
                f"pages: {page:<8} {label:<9} {timing.seconds * 1000:7.1f} ms median of "
                f"{REPEATS}, status {timing.status}, {timing.queries} queries, {figure:.2f}x minimal"
            )
            if page != "minimal" and timing.status == 200:
                worst[page] = max(worst.get(page, 0.0), figure)
    return worst
