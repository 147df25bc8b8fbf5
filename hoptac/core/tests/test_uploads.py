"""Uploaded files are judged by their bytes, renamed by the server and never run as our pages."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from hoptac.core import uploads


def picture(kind="PNG", size=(8, 6)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (10, 120, 40)).save(out, format=kind)
    return out.getvalue()


def office_file(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize("kind,extension", [("PNG", "png"), ("JPEG", "jpg"), ("WEBP", "webp")])
def test_a_real_image_is_re_encoded_under_a_server_name(kind, extension):
    stored = uploads.image(SimpleUploadedFile("evil.html", picture(kind), content_type="text/html"))
    assert stored.name.endswith("." + extension) and "evil" not in stored.name
    with Image.open(io.BytesIO(stored.read())) as again:
        assert again.format == kind and again.size == (8, 6)


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script></html>",  # PNG magic in front of HTML
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        picture("GIF"),  # a real image, but not a format we publish
    ],
)
def test_anything_pillow_cannot_decode_as_a_photo_is_refused(data):
    with pytest.raises(ValidationError, match="JPEG, PNG"):
        uploads.image(SimpleUploadedFile("anh.png", data, content_type="image/png"))


def test_a_decompression_bomb_is_refused_from_its_header():
    with pytest.raises(ValidationError, match="25"):
        uploads.image(SimpleUploadedFile("big.png", picture(size=(6000, 5000))))


@pytest.mark.parametrize(
    "data,extension",
    [
        (b"%PDF-1.7\n%...\n", "pdf"),
        (picture("JPEG"), "jpg"),
        (office_file({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"}), "docx"),
        (office_file({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<x/>"}), "xlsx"),
        (
            office_file({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<o/>"}),
            "odt",
        ),
        (office_file({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}), "ods"),
    ],
)
def test_allowed_documents_are_recognised_by_content(data, extension):
    stored = uploads.document(SimpleUploadedFile("bao-cao.bin", data))
    assert stored.name.endswith("." + extension) and "bao-cao" not in stored.name


@pytest.mark.parametrize(
    "data",
    [
        b"<html><body>minh chung</body></html>",
        b'<svg xmlns="http://www.w3.org/2000/svg"/>',
        office_file({"index.html": b"<html/>"}),  # a zip that is no office document
        b"MZ\x90\x00",  # a Windows program
    ],
)
def test_other_documents_are_refused_whatever_their_name(data):
    with pytest.raises(ValidationError, match="PDF, JPEG, PNG, DOCX, XLSX, ODT"):
        uploads.document(SimpleUploadedFile("minh-chung.pdf", data, content_type="application/pdf"))
