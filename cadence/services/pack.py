"""The meeting pack: the agenda, the Markdown pre-reads and the list of attached files
as one PDF (DESIGN.md issue "Meeting pack"), rendered on request.

It renders with the briefing's WeasyPrint set-up (``briefings.services.briefing_render_pdf``:
only our static files are fetched, no network, no local paths), so there is one PDF
rule in the product. It is not stored: a pack reflects the meeting as it is when
downloaded, and takes well under a second for a normal agenda.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.template.loader import render_to_string
from django.utils import timezone

from briefings.services import briefing_render_pdf
from cadence.models import Meeting
from cadence.selectors import meeting_detail

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def meeting_pack_pdf(*, meeting: Meeting, user: User) -> bytes:
    """The pack of ``meeting`` as ``user`` sees it (carried-over actions scoped by access),
    as PDF bytes. Times are shown in the current (office) time zone."""
    now = timezone.now()
    detail = meeting_detail(user=user, meeting=meeting, now=now)
    html = render_to_string(
        "cadence/pack.html", {"meeting": meeting, "generated_at": timezone.localtime(now), **detail}
    )
    pdf, _pages = briefing_render_pdf(html=html)
    return pdf
