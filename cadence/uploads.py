"""What a pre-read upload may be, decided by its content, never by its name.

Accepted (DESIGN.md §2, ``PreRead``): PDF, Office Open XML documents (Word,
Excel, PowerPoint: ZIP containers holding ``[Content_Types].xml``), OpenDocument
(ZIP with a ``mimetype`` entry), and UTF-8 plain text or Markdown. Refused:
everything else, in particular executables renamed ``.pdf`` and markup that a
browser would run (SVG, HTML: a script inside would run on our origin if the
file were ever shown inline). Files are also served only as attachments with
``X-Content-Type-Options: nosniff`` (``cadence.views.pre_read_download``).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

from django.conf import settings

#: Default size limit when ``settings.PRE_READ_MAX_BYTES`` is not set: 20 MiB.
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
_MARKUP = re.compile(rb"<\s*(svg|html|script|!doctype|\?xml|iframe|object)\b", re.IGNORECASE)


class UploadRejected(ValueError):
    """The file is not one we accept; the message says why, for the person uploading it."""


@dataclass(frozen=True)
class UploadKind:
    """What the content turned out to be: a label for people and the MIME type we serve it as."""

    label: str
    mimetype: str


def max_bytes() -> int:
    return getattr(settings, "PRE_READ_MAX_BYTES", DEFAULT_MAX_BYTES)


def check_upload(file: BinaryIO, *, name: str) -> UploadKind:
    """Sniff ``file`` (any readable, seekable binary file) and return what it is.

    Reads the whole file once (it is at most ``max_bytes()``), leaves it rewound.
    Raises ``UploadRejected`` naming the file and the reason: too large, empty,
    or content that is none of the accepted kinds.
    """
    file.seek(0, io.SEEK_END)
    size = file.tell()
    file.seek(0)
    limit = max_bytes()
    if size > limit:
        raise UploadRejected(
            f"“{name}” is {size / 1048576:.1f} MB; pre-reads may be at most "
            f"{limit / 1048576:.0f} MB."
        )
    if size == 0:
        raise UploadRejected(f"“{name}” is empty.")
    content = file.read()
    file.seek(0)
    if content.startswith(b"PK\x03\x04"):
        _refuse_zip_bomb(content, name=name)
    kind = _sniff(content)
    if kind is None:
        raise UploadRejected(
            f"“{name}” is not a PDF, an Office or OpenDocument file, or plain text or "
            "Markdown (judged by its content, not its name)."
        )
    return kind


#: An Office or OpenDocument file inflating to more than this is refused (a zip bomb):
#: real documents with images stay far below it.
MAX_INFLATED_BYTES = 100 * 1024 * 1024
#: ... and so is one whose entries inflate more than this many times (text compresses ~10x).
MAX_COMPRESSION_RATIO = 200


def _refuse_zip_bomb(content: bytes, *, name: str) -> None:
    """Raise ``UploadRejected`` when the archive would inflate past ``MAX_INFLATED_BYTES`` or
    by more than ``MAX_COMPRESSION_RATIO``, judged from its directory (nothing is inflated)."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            entries = archive.infolist()
    except zipfile.BadZipFile:
        return  # not a readable archive: _sniff refuses it
    inflated = sum(entry.file_size for entry in entries)
    packed = sum(entry.compress_size for entry in entries) or 1
    if inflated > MAX_INFLATED_BYTES or (
        inflated > 1024 * 1024 and inflated / packed > MAX_COMPRESSION_RATIO
    ):
        raise UploadRejected(
            f"“{name}” would expand to {inflated / 1048576:.0f} MB when opened: it looks like a "
            "zip bomb, not a document."
        )


def _sniff(content: bytes) -> UploadKind | None:
    if content.startswith(b"%PDF-"):
        return UploadKind("PDF", "application/pdf")
    if content.startswith(b"PK\x03\x04"):
        return _sniff_zip(content)
    return _sniff_text(content)


def _sniff_zip(content: bytes) -> UploadKind | None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" in names:
                for prefix, label, mimetype in (
                    (
                        "word/",
                        "Word document",
                        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    ),
                    (
                        "xl/",
                        "Excel workbook",
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    ),
                    (
                        "ppt/",
                        "PowerPoint presentation",
                        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
                    ),
                ):
                    if any(n.startswith(prefix) for n in names):
                        return UploadKind(label, mimetype)
            if "mimetype" in names:
                declared = archive.read("mimetype").decode("ascii", "replace").strip()
                if declared.startswith("application/vnd.oasis.opendocument."):
                    return UploadKind("OpenDocument file", declared)
    except (zipfile.BadZipFile, KeyError):
        return None
    return None


def _sniff_text(content: bytes) -> UploadKind | None:
    if b"\x00" in content:
        return None
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if _MARKUP.search(content):
        return None
    return UploadKind("Text or Markdown", "text/plain")
