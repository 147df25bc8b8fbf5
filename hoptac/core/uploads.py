"""Uploaded files: checked by their content, stored under names the server chooses, served safely.

A file's name and the browser's stated type are the uploader's words, not facts: a PNG header
in front of HTML, saved as ``evil.html`` and served from our origin, would run as our page
(stored XSS). So images are decoded and re-encoded by Pillow (what comes out is only pixels),
documents are accepted only when their bytes are one of the allowed formats, and every file is
stored as ``<random>.<extension of the detected format>``. Documents are served only through a
view that checks the viewer's access, as attachments with ``nosniff`` (see ``serve``).
"""

from __future__ import annotations

import io
import mimetypes
import uuid
import zipfile
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_IMAGE_PIXELS = 25_000_000  # 5,000 × 5,000: far above a product photo, far below a decompression bomb
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024

IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
# Evidence and report documents: what offices exchange (PDF, scans, Word/Excel, LibreOffice).
DOCUMENT_KINDS = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}


def _server_name(extension: str) -> str:
    return f"{uuid.uuid4().hex}.{extension}"


def _read(upload, limit: int, message: str) -> bytes:
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise ValidationError(message)
    upload.seek(0)
    data = upload.read(limit + 1)
    upload.seek(0)
    if len(data) > limit:
        raise ValidationError(message)
    return data


def image(upload) -> ContentFile:
    """A JPEG, PNG or WebP photo, decoded and re-encoded in its own format under a new name.

    Anything Pillow cannot decode is refused, and so are images above the size and pixel limits
    (checked from the header before the pixels are decoded).
    """
    from PIL import Image, UnidentifiedImageError

    data = _read(upload, MAX_IMAGE_BYTES, _("The image must be at most 5 MB."))
    refused = ValidationError(_("The image must be a JPEG, PNG or WebP file."))
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            if kind not in IMAGE_FORMATS:
                raise refused
            width, height = probe.size
            if width * height > MAX_IMAGE_PIXELS:
                raise ValidationError(_("The image is too large (at most 25 million pixels)."))
            probe.verify()
        with Image.open(io.BytesIO(data)) as opened:
            opened.load()
            picture: Image.Image = opened
            if kind == "JPEG" and picture.mode not in ("RGB", "L", "CMYK"):
                picture = picture.convert("RGB")
            out = io.BytesIO()
            # No metadata is carried over: EXIF may hold the phone's location.
            picture.save(out, format=kind, **({"quality": 90} if kind in ("JPEG", "WEBP") else {}))
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise refused from exc
    return ContentFile(out.getvalue(), name=_server_name(IMAGE_FORMATS[kind]))


def _zip_kind(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                declared = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
                for ext in ("odt", "ods"):
                    if declared == DOCUMENT_KINDS[ext]:
                        return ext
                return None
            if "[Content_Types].xml" in names:
                if any(n.startswith("word/") for n in names):
                    return "docx"
                if any(n.startswith("xl/") for n in names):
                    return "xlsx"
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    return None


def detect_document(data: bytes) -> str | None:
    """The allowed kind these bytes are, or None (decided from the content alone)."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    return None


def document(upload) -> ContentFile:
    """Evidence or a report file: PDF, JPEG, PNG, DOCX, XLSX, ODT or ODS, by content, renamed."""
    data = _read(upload, MAX_DOCUMENT_BYTES, _("The file must be at most 20 MB."))
    kind = detect_document(data)
    if kind is None:
        raise ValidationError(_("Only PDF, JPEG, PNG, DOCX, XLSX, ODT or ODS files are accepted."))
    if kind in ("jpg", "png"):
        return image(ContentFile(data))
    return ContentFile(data, name=_server_name(kind))


def serve(name: str, download_name: str, *, inline: bool = False) -> HttpResponseBase:
    """A stored file to a viewer whose access the calling view has already checked.

    With ``HOPTAC_SENDFILE=nginx`` the proxy sends the bytes (``X-Accel-Redirect`` to the internal
    location ``/protected/``), with ``apache`` through ``X-Sendfile``; otherwise Django streams it.
    """
    extension = PurePosixPath(name).suffix.lstrip(".").lower()
    content_type = (
        DOCUMENT_KINDS.get(extension) or mimetypes.guess_type(name)[0] or "application/octet-stream"
    )
    disposition = "inline" if inline else "attachment"
    mode = settings.HOPTAC_SENDFILE
    response: HttpResponseBase
    if mode in ("nginx", "apache"):
        response = HttpResponse(content_type=content_type)
        if mode == "nginx":
            response["X-Accel-Redirect"] = f"/protected/{name}"
        else:
            response["X-Sendfile"] = str(PurePosixPath(settings.MEDIA_ROOT) / name)
    else:
        response = FileResponse(default_storage.open(name, "rb"), content_type=content_type)
    response["Content-Disposition"] = f'{disposition}; filename="{download_name}.{extension}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = (
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    )
    response["Cache-Control"] = "private, no-store" if not inline else "public, max-age=86400"
    return response
