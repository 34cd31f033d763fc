"""Pre-reads on the meeting page: add (upload, link or Markdown), mark as read, and the
only way an uploaded file is ever served.

``MEDIA_URL`` is never served as such (in development or production): a file
is fetched through ``pre_read_download``, which finds the pre-read through
``access.pre_reads_for`` (404 for anyone who may not see its meeting) and sends
it as an attachment with ``X-Content-Type-Options: nosniff`` and the type the
content was checked to be, so a browser never renders it on our origin.
"""

from __future__ import annotations

import posixpath

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET, require_POST

from cadence import forms, services
from cadence.uploads import UploadRejected, check_upload
from cadence.views.page import apply_form, done, managed_meeting_for, meeting_for, refused
from cto_office import access
from cto_office.htmx import HtmxHttpRequest


@require_POST
def pre_read_add(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    meeting = managed_meeting_for(request, pk)
    return apply_form(
        request,
        meeting,
        "pre_read",
        forms.PreReadForm(request.POST, request.FILES),
        lambda data: services.pre_read_add(
            meeting=meeting,
            by=request.user,
            title=data["title"],
            file=data["file"],
            url=data["url"],
            body=data["body"],
        ),
    )


@require_POST
def pre_read_acknowledge(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Mark as read: the signed-in person has read the posted ``pre_read``."""
    meeting = meeting_for(request, pk)
    value = request.POST.get("pre_read") or ""
    pre_read = meeting.pre_reads.filter(pk=int(value)).first() if value.isdigit() else None
    if pre_read is None:
        return refused(request, meeting, services.CadenceInvalid("That pre-read is gone."))
    services.pre_read_acknowledge(pre_read=pre_read, by=request.user)
    return done(request, meeting)


@require_GET
def pre_read_download(request: HtmxHttpRequest, pre_read_pk: int) -> FileResponse:
    """The pre-read's file as an attachment, for those who may see its meeting."""
    pre_read = get_object_or_404(access.pre_reads_for(request.user), pk=pre_read_pk)
    if not pre_read.file:
        raise Http404("This pre-read has no file.")
    handle = pre_read.file.open("rb")
    try:
        kind = check_upload(handle, name=pre_read.file.name)
    except UploadRejected:
        handle.close()
        raise Http404("This file is not one we serve.") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=posixpath.basename(pre_read.file.name),
        content_type=kind.mimetype,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
