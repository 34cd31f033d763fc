"""Writes of the Chief of Staff's review of a draft: the commentary, and re-rendering the
document from its stored snapshot so the PDF carries it.

A re-render reads no live data: the numbers stay those of the snapshot the
draft was generated from; only the commentary (and, at publishing, the
cover's state) change. Fresh data is a regeneration (``briefing_generate``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from briefings.models import Briefing
from briefings.services import (
    briefing_render_html,
    briefing_render_pdf,
    briefing_save_pdf,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

#: Longer commentary is refused: the cover holds about this much (a page of the PDF).
COMMENTARY_MAX_CHARS = 3_000

__all__ = [
    "COMMENTARY_MAX_CHARS",
    "BriefingNotEditableError",
    "briefing_comment",
    "briefing_rerender",
]


class BriefingNotEditableError(Exception):
    """The briefing cannot take this change in its current state (published, or not generated)."""

    def __init__(self, briefing: Briefing, what: str) -> None:
        self.briefing = briefing
        state = briefing.get_state_display().lower()
        super().__init__(f"The briefing for {briefing.label} is {state}: {what}.")


def briefing_comment(*, briefing: Briefing, commentary: str, by: User) -> Briefing:
    """Save the Chief of Staff's commentary (Markdown) on a draft, pending or failed briefing.

    The text is stored as typed, stripped of surrounding blanks; it is
    sanitised when rendered (``|markdown``: Markdown then nh3). Records who
    saved it and when (``commentary_by``, ``commentary_at``). Raises
    ``BriefingNotEditableError`` for a published briefing (checked in the same
    conditional update, so a publish a moment earlier wins) and ``ValueError``
    for a text over ``COMMENTARY_MAX_CHARS``. The caller re-renders the
    document (``briefing_rerender``) after the commit.
    """
    text = commentary.strip()
    if len(text) > COMMENTARY_MAX_CHARS:
        raise ValueError(
            f"Keep the commentary under {COMMENTARY_MAX_CHARS:,} characters "
            f"(this one has {len(text):,}): it goes on the cover."
        )
    now = timezone.now()
    with transaction.atomic():
        updated = (
            Briefing.objects.filter(pk=briefing.pk)
            .exclude(state=Briefing.State.PUBLISHED)
            .update(commentary=text, commentary_by=by, commentary_at=now)
        )
    briefing.refresh_from_db()
    if not updated:
        raise BriefingNotEditableError(briefing, "its commentary can no longer change")
    return briefing


def briefing_rerender(*, briefing_id: int) -> bool:
    """Render a draft again from its stored snapshot (new commentary); True if the row took it.

    Renders outside any transaction (WeasyPrint takes seconds), then points the
    row at the new HTML and PDF with a conditional update on the state, the
    generation time and the commentary time it rendered: if a regeneration,
    a publish or another commentary came in meanwhile, the update finds no row,
    the new file is deleted and False is returned (that newer event renders
    its own document). A pending, failed or published briefing is left alone.
    """
    briefing = Briefing.objects.get(pk=briefing_id)
    if briefing.state != Briefing.State.DRAFT or not briefing.snapshot:
        return False
    html = briefing_render_html(
        snapshot=briefing.snapshot, briefing=briefing, generated_at=briefing.generated_at
    )
    pdf, page_count = briefing_render_pdf(html=html)
    old_name, storage = briefing.pdf.name, briefing.pdf.storage
    new_name = briefing_save_pdf(briefing=briefing, pdf=pdf)
    updated = Briefing.objects.filter(
        pk=briefing.pk,
        state=Briefing.State.DRAFT,
        generated_at=briefing.generated_at,
        commentary_at=briefing.commentary_at,
    ).update(html=html, pdf=new_name, page_count=page_count)
    if not updated:
        storage.delete(new_name)
        return False
    if old_name and old_name != new_name:
        storage.delete(old_name)
    return True
