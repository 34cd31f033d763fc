"""Writes of the briefings app: generating the weekly CTO briefing.

A briefing is generated in three steps: gather the snapshot
(``briefings.selectors.briefing_snapshot``), render ``briefings/briefing.html``
to HTML, and turn that into an A4 PDF with WeasyPrint. Generation is
idempotent per ISO week: one ``Briefing`` row per week (a unique constraint
makes a second impossible), re-running replaces the draft and its file.

A **published** briefing is never overwritten: ``briefing_generate`` refuses
with ``BriefingPublishedError``. What the CTO has read stays what the archive
shows; a correction would be a deliberate act (unpublish in admin, then
regenerate), not a side effect of the hourly schedule or a stray click.
"""

from __future__ import annotations

import datetime as dt
import logging
import mimetypes
import posixpath
import time
import zoneinfo
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from briefings.models import Briefing
from briefings.selectors import briefing_snapshot
from cto_office.clock import IsoWeek

logger = logging.getLogger(__name__)

#: The base URL the briefing HTML is rendered against. ``.invalid`` can never
#: resolve (RFC 2606), and the fetcher below never goes to the network anyway.
PDF_BASE_URL = "https://briefing.invalid/"

__all__ = [
    "BriefingPublishedError",
    "StaticFilesOnlyFetcher",
    "briefing_claim",
    "briefing_generate",
    "briefing_render_html",
    "briefing_render_pdf",
]


class BriefingPublishedError(Exception):
    """The week's briefing is published; it is not regenerated over the top."""

    def __init__(self, briefing: Briefing) -> None:
        self.briefing = briefing
        super().__init__(
            f"The briefing for {briefing.label} is published and will not be regenerated."
        )


class StaticFilesOnlyFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that serves our own static files and refuses everything else.

    WeasyPrint fetches every URL a document names (stylesheets, images,
    fonts); with the default fetcher a crafted ``<img src>`` in user text could
    read local files or reach the network (WeasyPrint docs, "Security"). This
    one answers only URLs under ``STATIC_URL`` of ``PDF_BASE_URL``, looked up
    with the staticfiles finders (development, tests) or the static storage
    (production, after ``collectstatic``, hashed names included). Anything else
    raises ``ValueError``: WeasyPrint logs it and renders without the resource.
    """

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        prefix = urljoin(PDF_BASE_URL, settings.STATIC_URL)
        if not url.startswith(prefix) or urlsplit(url).query:
            raise ValueError(
                f"Refused to fetch {url!r}: only our static files are served to the PDF renderer."
            )
        name = posixpath.normpath(unquote(url[len(prefix) :].split("#")[0]))
        if name.startswith(("/", "..")) or name in ("", "."):
            raise ValueError(f"Refused to fetch {url!r}: not a static file path.")
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        path = finders.find(name)
        if path:
            with open(path, "rb") as fh:
                body = fh.read()
        elif staticfiles_storage.exists(name):
            with staticfiles_storage.open(name) as fh:
                body = fh.read()
        else:
            raise ValueError(f"Refused to fetch {url!r}: no such static file.")
        return URLFetcherResponse(url, body, {"Content-Type": content_type})


def briefing_render_pdf(*, html: str) -> tuple[bytes, int]:
    """Render briefing HTML to PDF bytes with WeasyPrint; return ``(pdf, page_count)``.

    Only our static files are fetched (``StaticFilesOnlyFetcher``); fonts are
    the system's DejaVu family through fontconfig, nothing is downloaded.
    """
    document = HTML(
        string=html, base_url=PDF_BASE_URL, url_fetcher=StaticFilesOnlyFetcher()
    ).render()
    return document.write_pdf(), len(document.pages)


def briefing_render_html(*, snapshot: dict, briefing: Briefing) -> str:
    """The briefing document as HTML, from a snapshot (``briefings/briefing.html``)."""
    return render_to_string(
        "briefings/briefing.html",
        {
            "s": snapshot,
            "briefing": briefing,
            "generated_at": timezone.now().astimezone(_zone(snapshot)),
        },
    )


def _zone(snapshot: dict) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(snapshot["week"]["time_zone"])


def briefing_claim(*, week: IsoWeek) -> Briefing:
    """Get or create ``week``'s row and mark it pending (error cleared); return it.

    Raises ``BriefingPublishedError`` for a published week, which stays as it is.

    ``get_or_create`` handles the creation race itself: when a concurrent run
    inserts the same week first, the unique constraint ``briefing_one_per_iso_week``
    raises ``IntegrityError`` inside its savepoint and Django re-fetches the row
    (and re-raises if there is still none). The state change is a conditional
    update, so a briefing published a moment ago is not flipped back.
    """
    briefing, _ = Briefing.objects.get_or_create(iso_year=week.year, iso_week=week.week)
    claimed = (
        Briefing.objects.filter(pk=briefing.pk)
        .exclude(state=Briefing.State.PUBLISHED)
        .update(state=Briefing.State.PENDING, error="")
    )
    briefing.refresh_from_db()
    if not claimed:
        raise BriefingPublishedError(briefing)
    return briefing


def briefing_generate(*, iso_year: int, iso_week: int, today: dt.date | None = None) -> Briefing:
    """Generate (or regenerate) the briefing of ISO week ``iso_year``-W``iso_week``; return it as a draft.

    Steps: claim the row (state ``pending``), gather the snapshot, render the
    HTML and the PDF, store the PDF in ``Briefing.pdf`` (the previous file is
    deleted once the row points at the new one, so no file is orphaned), then
    save html, snapshot, page count, timings and state ``draft`` in one
    conditional update. ``today`` (office time zone) only matters for tests
    and backfills; see ``briefing_snapshot``.

    Raises ``ValueError`` for a week that does not exist (``IsoWeek``), and
    ``BriefingPublishedError`` for a published week (before or, if it
    was published meanwhile, after rendering: the new file is then discarded).
    Any other error leaves the row ``failed`` with the error text and is
    re-raised for the caller (the Celery task decides whether to retry).
    No transaction spans the rendering: it takes seconds and holds no locks.
    """
    week = IsoWeek(iso_year, iso_week)  # ValueError for a week that does not exist
    briefing = briefing_claim(week=week)
    old_name = briefing.pdf.name
    storage = briefing.pdf.storage
    started = time.perf_counter()
    new_name = ""
    try:
        snapshot = briefing_snapshot(week=week, today=today)
        html = briefing_render_html(snapshot=snapshot, briefing=briefing)
        pdf, page_count = briefing_render_pdf(html=html)
        # Storage.save never overwrites: while the old file holds the plain
        # name the new one gets a suffix; the old one is deleted below.
        new_name = storage.save(
            briefing.pdf.field.generate_filename(
                briefing, f"cto-briefing-{briefing.week.label}.pdf"
            ),
            ContentFile(pdf),
        )
        seconds = round(time.perf_counter() - started, 3)
        saved = (
            Briefing.objects.filter(pk=briefing.pk)
            .exclude(state=Briefing.State.PUBLISHED)
            .update(
                state=Briefing.State.DRAFT,
                error="",
                snapshot=snapshot,
                html=html,
                pdf=new_name,
                page_count=page_count,
                generated_at=timezone.now(),
                generation_seconds=seconds,
            )
        )
    except Exception as exc:
        if new_name:
            storage.delete(new_name)
        Briefing.objects.filter(pk=briefing.pk).exclude(state=Briefing.State.PUBLISHED).update(
            state=Briefing.State.FAILED, error=f"{type(exc).__name__}: {exc}"[:10_000]
        )
        logger.exception("Briefing %s failed", briefing.label)
        raise
    briefing.refresh_from_db()
    if not saved:  # published while we rendered: keep what was published
        storage.delete(new_name)
        raise BriefingPublishedError(briefing)
    if old_name and old_name != new_name:
        storage.delete(old_name)
    logger.info("Briefing %s generated: %s pages in %.2f s", briefing.label, page_count, seconds)
    return briefing
