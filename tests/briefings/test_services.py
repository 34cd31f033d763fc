import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from pypdf import PdfReader

from briefings import services
from briefings.models import Briefing
from briefings.services import (
    PDF_BASE_URL,
    BriefingPublishedError,
    StaticFilesOnlyFetcher,
    briefing_generate,
    briefing_render_pdf,
)
from tests import factories
from tests.briefings import dataset


def generate() -> Briefing:
    return briefing_generate(
        iso_year=dataset.WEEK[0], iso_week=dataset.WEEK[1], today=dataset.TODAY
    )


def pdf_text(briefing: Briefing) -> tuple[list[str], str]:
    with briefing.pdf.open("rb") as fh:
        reader = PdfReader(io.BytesIO(fh.read()))
    # Layout mode keeps each line as it is on the page (plain mode groups text by font).
    pages = [page.extract_text(extraction_mode="layout") for page in reader.pages]
    return pages, "\n".join(pages)


def test_pdf_carries_the_same_numbers_as_the_database(week_data):
    briefing = generate()
    assert briefing.state == Briefing.State.DRAFT
    pages, text = pdf_text(briefing)
    cover = pages[0]
    headline = briefing.snapshot["headline"]
    # The five headline numbers on the cover, each with its label.
    assert re.search(rf"\b{headline['key_results_behind']}\s+Key results quietly behind", cover)
    assert f"of {headline['key_results_total']} this quarter" in cover
    assert re.search(rf"\b{headline['overdue_actions']}\s+Overdue actions", cover)
    assert f"oldest {headline['oldest_overdue_days']} days late" in cover
    assert re.search(rf"\b{headline['open_escalations']}\s+Open escalations", cover)
    assert re.search(rf"\b{headline['headcount_gap']}\s+Headcount gap to plan", cover)
    assert (
        f"{headline['headcount_filled']} filled of {headline['headcount_planned']} planned" in cover
    )
    assert re.search(rf"\b{round(headline['debt_effort_days']):,}\s+Tech-debt effort", cover)
    assert (
        headline["key_results_behind"],
        headline["overdue_actions"],
        headline["open_escalations"],
    ) == (12, 12, 12)
    # An overdue action, its days overdue on the same table row, and a team name.
    action = week_data.overdue[0]
    assert re.search(rf"{action.key}\b[^\n]*\b16$", text, flags=re.MULTILINE), text
    assert "Gitaly Git Team" in text
    assert "Week 47, 2025" in cover and "17–23 November 2025" in cover


def test_pdf_has_several_pages_numbered_in_the_footer(week_data):
    briefing = generate()
    pages, _ = pdf_text(briefing)
    assert briefing.page_count == len(pages) > 1
    assert f"Page 2 of {briefing.page_count}" in pages[1]
    assert f"Page {briefing.page_count} of {briefing.page_count}" in pages[-1]
    assert briefing.generation_seconds > 0
    assert briefing.generated_at is not None
    assert briefing.html.startswith("<!doctype html>")
    assert briefing.snapshot["week"]["label"] == "2025-W47"


def test_regenerating_a_week_keeps_one_row_and_replaces_the_file(week_data):
    first = generate()
    first_path = Path(first.pdf.path)
    factories.ActionItemFactory(
        title="Late addition", due_date=dataset.MONDAY, created_at=dataset.local(dataset.MONDAY, 8)
    )
    second = generate()
    assert Briefing.objects.count() == 1
    assert second.pk == first.pk
    assert (
        second.snapshot["headline"]["overdue_actions"]
        == first.snapshot["headline"]["overdue_actions"] + 1
    )
    assert Path(second.pdf.path).exists()
    assert not first_path.exists() or first_path == Path(second.pdf.path)
    files = list((Path(settings.MEDIA_ROOT) / "briefings").rglob("*.pdf"))
    assert files == [Path(second.pdf.path)]  # no orphan file left behind
    third = generate()
    assert list((Path(settings.MEDIA_ROOT) / "briefings").rglob("*.pdf")) == [Path(third.pdf.path)]


def test_failed_render_leaves_state_failed_with_the_error(week_data, monkeypatch):
    def broken(*, html):
        raise RuntimeError("WeasyPrint exploded")

    monkeypatch.setattr(services, "briefing_render_pdf", broken)
    with pytest.raises(RuntimeError):
        generate()
    briefing = Briefing.objects.get()
    assert briefing.state == Briefing.State.FAILED
    assert briefing.error == "RuntimeError: WeasyPrint exploded"
    assert not briefing.pdf
    assert not list(Path(settings.MEDIA_ROOT).rglob("*.pdf"))


def test_published_briefing_is_not_overwritten(week_data):
    briefing = generate()
    Briefing.objects.filter(pk=briefing.pk).update(
        state=Briefing.State.PUBLISHED, published_at=timezone.now()
    )
    with pytest.raises(BriefingPublishedError):
        generate()
    briefing.refresh_from_db()
    assert briefing.state == Briefing.State.PUBLISHED
    assert Path(briefing.pdf.path).exists()


def test_week_that_does_not_exist_is_refused(db):
    with pytest.raises(ValueError):
        briefing_generate(iso_year=2025, iso_week=53)  # 2025 has 52 ISO weeks


# The URL fetcher (STYLE.md rule 9)


def test_fetcher_serves_our_static_stylesheet():
    response = StaticFilesOnlyFetcher()(f"{PDF_BASE_URL}static/briefings/briefing.css")
    assert response.content_type == "text/css"
    assert b"@page" in response.read()


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "https://example.com/static/briefings/briefing.css",
        f"{PDF_BASE_URL}static/../cto_office/settings.py",
        f"{PDF_BASE_URL}static/%2e%2e/%2e%2e/etc/passwd",
        f"{PDF_BASE_URL}media/briefings/2025/secret.pdf",
        "data:text/css,body{}",
    ],
)
def test_fetcher_refuses_everything_else(url):
    with pytest.raises(ValueError):
        StaticFilesOnlyFetcher()(url)


def test_render_does_not_fetch_local_files_or_the_network(tmp_path, monkeypatch):
    secret = tmp_path / "secret.css"
    secret.write_text("body { background: red }")
    html = (
        f'<link rel="stylesheet" href="file://{secret}">'
        '<img src="https://example.com/tracker.png"><p>Hello</p>'
    )
    attempts = []
    original = StaticFilesOnlyFetcher.fetch

    def spy(self, url, headers=None):
        try:
            response = original(self, url, headers)
        except ValueError:
            attempts.append((url, "refused"))
            raise
        attempts.append((url, "served"))
        return response

    monkeypatch.setattr(StaticFilesOnlyFetcher, "fetch", spy)
    pdf, pages = briefing_render_pdf(html=html)
    assert pdf.startswith(b"%PDF") and pages == 1
    assert sorted(attempts) == [
        (f"file://{secret}", "refused"),
        ("https://example.com/tracker.png", "refused"),
    ]


def test_cos_commentary_is_rendered_sanitised(week_data):
    factories.BriefingFactory(
        iso_year=2025,
        iso_week=47,
        commentary="Hiring is **the** risk this week.\n\n<script>alert(1)</script>"
        '<img src="file:///etc/passwd">',
    )
    briefing = generate()
    assert "From the Chief of Staff" in briefing.html
    assert "<strong>the</strong>" in briefing.html
    assert "<script" not in briefing.html and "/etc/passwd" not in briefing.html
    pages, _ = pdf_text(briefing)
    assert "Hiring is the risk this week." in pages[0]  # on the cover


def test_services_do_not_import_tasks():
    """Arrows go tasks → services: the services module names no ``briefings.tasks`` anywhere,
    not even inside a function (the cycle that used to hide there)."""
    import ast

    tree = ast.parse(Path(services.__file__).read_text())
    imported = {
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert not any(name and name.startswith("briefings.tasks") for name in imported)
