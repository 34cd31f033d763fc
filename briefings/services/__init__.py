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

Generation lives here, in the package itself; the other writes are its
modules: ``review`` (commentary), ``publish`` (freeze and deliveries),
``check_ins`` and ``imports`` (the data that feeds the briefing). They import
from this module; it imports none of them.
"""

from __future__ import annotations

import datetime as dt
import logging
import mimetypes
import posixpath
import time
import zoneinfo
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.files.base import ContentFile
from django.db import DatabaseError, connection
from django.db.models.fields.json import KT
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from briefings.changes import briefing_changes
from briefings.charts import CHART_TEAMS, briefing_charts
from briefings.lists import PDF_TOP
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
    "briefing_fail",
    "briefing_gather",
    "briefing_generate",
    "briefing_render_html",
    "briefing_render_pdf",
    "briefing_save_pdf",
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
    The PDF is tagged (``pdf_tags``: headings, tables and lists carry their
    structure, so a screen reader can navigate it); its title, author and
    keywords (the ISO week) come from the document's ``<title>`` and ``<meta>``.
    """
    document = HTML(
        string=html, base_url=PDF_BASE_URL, url_fetcher=StaticFilesOnlyFetcher()
    ).render(pdf_tags=True)
    return document.write_pdf(pdf_tags=True), len(document.pages)


def briefing_render_html(
    *, snapshot: dict, briefing: Briefing, generated_at: dt.datetime | None = None
) -> str:
    """The briefing document as HTML, from a snapshot (``briefings/briefing.html``).

    ``generated_at`` (aware; default now) is when the data was gathered, shown
    on the cover in the snapshot's office time zone; a re-render of a stored
    snapshot passes the row's ``generated_at``.
    """
    return render_to_string(
        "briefings/briefing.html",
        {
            "s": snapshot,
            "briefing": briefing,
            "generated_at": (generated_at or timezone.now()).astimezone(_zone(snapshot)),
            # Items link to their page in the app (absolute: the PDF leaves the site).
            "site_url": settings.SITE_URL,
            "charts": briefing_charts(snapshot),
            "charts_teams": CHART_TEAMS,
            # The PDF shows the top rows of each list; the browser view all of them.
            "top": PDF_TOP,
        },
    )


def briefing_save_pdf(*, briefing: Briefing, pdf: bytes) -> str:
    """Store ``pdf`` as a new file for ``briefing``; return its storage name (the row is not updated).

    ``Storage.save`` never overwrites: while the previous file holds the plain
    name the new one gets a suffix. The caller points the row at the new name
    with a conditional update, then deletes the old file (or the new one if
    the update found the row changed), so no file is orphaned.
    """
    storage = briefing.pdf.storage
    name = briefing.pdf.field.generate_filename(briefing, f"cto-briefing-{briefing.week.label}.pdf")
    return storage.save(name, ContentFile(pdf))


def _previous_snapshot(week: IsoWeek) -> dict | None:
    """The stored snapshot of the week before ``week``, or None (one query).

    "What changed" compares with what last week's briefing said, whether it was
    published or left a draft; a failed or never-generated week has none.
    """
    previous = week.previous()
    return (
        Briefing.objects.filter(iso_year=previous.year, iso_week=previous.week)
        .exclude(snapshot={})
        .values_list("snapshot", flat=True)
        .first()
    )


#: Weeks of stored briefings the history chart reads (``briefings.charts.history_chart``).
HISTORY_WEEKS = 12


def _history(week: IsoWeek, snapshot: dict) -> list[dict]:
    """Overdue actions and key results quietly behind at each of the last ``HISTORY_WEEKS``
    weeks' briefings, oldest first, ending with ``snapshot``'s own (one query).

    Read from the stored snapshots (two JSON keys each, extracted by the
    database), so the chart shows what each week's briefing said.
    """
    first = IsoWeek.of(week.monday - dt.timedelta(weeks=HISTORY_WEEKS - 1))
    rows = (
        Briefing.objects.filter(iso_year__gte=first.year, iso_year__lte=week.year)
        .exclude(snapshot={})
        .values_list(
            "iso_year",
            "iso_week",
            KT("snapshot__headline__overdue_actions"),
            KT("snapshot__headline__key_results_behind"),
        )
    )
    found = {
        IsoWeek(y, w): (overdue, behind)
        for y, w, overdue, behind in rows
        if first <= IsoWeek(y, w) < week
    }
    history = [
        {
            "week": w.label,
            "overdue_actions": int(found[w][0]) if found[w][0] is not None else None,
            "key_results_behind": int(found[w][1]) if found[w][1] is not None else None,
        }
        for w in sorted(found)
    ]
    headline = snapshot["headline"]
    history.append(
        {
            "week": week.label,
            "overdue_actions": headline["overdue_actions"],
            "key_results_behind": headline["key_results_behind"],
        }
    )
    return history


def briefing_gather(*, week: IsoWeek, today: dt.date | None = None) -> dict:
    """The snapshot a briefing of ``week`` is rendered from: ``briefing_snapshot`` plus
    ``changes`` (against the previous week's stored snapshot, ``briefing_changes``) and
    ``history`` (the headline figures of the last ``HISTORY_WEEKS`` stored weeks).

    ``today`` is an office date (see ``briefing_snapshot``). Reads only:
    ``SNAPSHOT_QUERIES`` + 2 queries.
    """
    snapshot = briefing_snapshot(week=week, today=today)
    snapshot["changes"] = briefing_changes(snapshot, _previous_snapshot(week))
    snapshot["history"] = _history(week, snapshot)
    return snapshot


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


#: First key of the PostgreSQL advisory locks taken per ISO week (the second is
#: ``year * 100 + week``); any constant no other lock in this database uses.
GENERATION_LOCK_NAMESPACE = 0x42F1


@contextmanager
def _generation_lock(week: IsoWeek) -> Iterator[None]:
    """Hold ``week``'s generation lock: one generation of a week at a time, across processes.

    On PostgreSQL a session-level advisory lock (PostgreSQL docs, "Advisory
    Locks"): a second generation of the same week waits here until the first
    is done; locks no row, so the archive page and a click on "Generate" never
    wait for a render; and dies with its session, so a worker killed with
    SIGKILL (or a dropped connection) releases it at once. Not a transaction
    lock on purpose: no transaction spans the seconds of rendering. SQLite (the
    embedded default, one process with eager tasks) has no concurrent runs.
    """
    if connection.vendor != "postgresql":
        yield
        return
    key = [GENERATION_LOCK_NAMESPACE, week.year * 100 + week.week]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s, %s)", key)
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", key)
        except DatabaseError:
            # The connection broke during the run: its session, and the lock, are gone.
            logger.warning("Briefing %s: lost the connection holding its lock", week)


def _delete_unreferenced_files(briefing: Briefing) -> None:
    """Delete the week's PDF files the row does not point at (call with the week's lock held).

    They are left by a run killed between storing its file and saving the row
    (SIGKILL, a lost connection); with the lock held no other run is writing one.
    """
    storage = briefing.pdf.storage
    folder, name = posixpath.split(briefing.pdf.field.generate_filename(briefing, "x.pdf"))
    stem = name.removesuffix(".pdf")
    if not storage.exists(folder):
        return
    for file_name in storage.listdir(folder)[1]:
        path = posixpath.join(folder, file_name)
        ours = file_name == name or (
            file_name.startswith(f"{stem}_") and file_name.endswith(".pdf")
        )
        if ours and path != briefing.pdf.name:
            storage.delete(path)
            logger.info("Briefing %s: deleted unreferenced file %s", briefing.label, path)


def briefing_fail(*, briefing: Briefing, error: str) -> None:
    """Mark ``briefing`` failed with ``error`` (shown in the archive), unless it is published."""
    Briefing.objects.filter(pk=briefing.pk).exclude(state=Briefing.State.PUBLISHED).update(
        state=Briefing.State.FAILED, error=error[:10_000]
    )


def briefing_generate(
    *, iso_year: int, iso_week: int, today: dt.date | None = None, coalesce: bool = False
) -> Briefing:
    """Generate (or regenerate) the briefing of ISO week ``iso_year``-W``iso_week``; return it as a draft.

    Steps: take the week's generation lock (``_generation_lock``: concurrent
    runs of one week wait for each other), delete files of the week no row
    points at, claim the row (state ``pending``), gather the snapshot, render
    the HTML and the PDF, store the PDF in ``Briefing.pdf`` (the previous file
    is deleted once the row points at the new one, so no file is orphaned),
    then save html, snapshot, page count, timings and state ``draft`` in one
    conditional update. ``today`` (office time zone) only matters for tests
    and backfills; see ``briefing_snapshot``.

    ``coalesce=True`` (the Celery task) returns a ``draft`` week as it is,
    without rendering: every request for a briefing (``briefing_claim``) sets
    it ``pending``, so a draft means another run finished after the request
    (five clicks, two beat ticks: one render). A request made while a run is
    rendering is served by that run.

    Raises ``ValueError`` for a week that does not exist (``IsoWeek``), and
    ``BriefingPublishedError`` for a published week (before or, if it
    was published meanwhile, after rendering: the new file is then discarded).
    Any other error leaves the row ``failed`` with the error text and is
    re-raised for the caller (the Celery task decides whether to retry).
    No transaction spans the rendering: it takes seconds and holds no row lock.
    """
    week = IsoWeek(iso_year, iso_week)  # ValueError for a week that does not exist
    with _generation_lock(week):
        if coalesce:
            done = Briefing.objects.filter(
                iso_year=week.year, iso_week=week.week, state=Briefing.State.DRAFT
            ).first()
            if done is not None:
                logger.info("Briefing %s is already generated: not rendered again", done.label)
                return done
        briefing = briefing_claim(week=week)
        _delete_unreferenced_files(briefing)
        return _generate_claimed(briefing=briefing, today=today)


def _generate_claimed(*, briefing: Briefing, today: dt.date | None) -> Briefing:
    old_name = briefing.pdf.name
    storage = briefing.pdf.storage
    started = time.perf_counter()
    new_name = ""
    try:
        snapshot = briefing_gather(week=briefing.week, today=today)
        html = briefing_render_html(snapshot=snapshot, briefing=briefing)
        pdf, page_count = briefing_render_pdf(html=html)
        new_name = briefing_save_pdf(briefing=briefing, pdf=pdf)
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
        briefing_fail(briefing=briefing, error=f"{type(exc).__name__}: {exc}")
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
