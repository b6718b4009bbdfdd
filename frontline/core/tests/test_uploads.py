"""A file is what its first bytes say, whatever its name or the browser claims."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import ValidationError

from frontline.core.uploads import IMAGES, SniffedFileField, file_kind, image_media_type

WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 "
WAV = b"RIFF\x24\x00\x00\x00WAVEfmt "


def test_kinds_are_told_by_their_first_bytes():
    assert file_kind(b"\xff\xd8\xff\xe0" + b"\0" * 8) == "jpg"
    assert file_kind(b"\x89PNG\r\n\x1a\n\0\0\0\0") == "png"
    assert file_kind(WEBP) == "webp"
    assert file_kind(b"%PDF-1.7\n") == "pdf"
    # A sound file is RIFF too: it is no photo.
    assert file_kind(WAV) is None and image_media_type(WAV) == ""
    assert image_media_type(WEBP) == "image/webp"
    assert image_media_type(b"%PDF-1.7\n") == ""


def _field(**kinds):
    return SniffedFileField(
        max_bytes=64, stem="photo", too_big="照片太大", wrong_kind="只能是图片", **kinds
    )


def test_an_upload_is_renamed_by_what_it_is_and_refused_in_chinese_otherwise():
    upload = _field().clean(SimpleUploadedFile("evil.exe", WEBP))
    assert upload.name == "photo.webp" and upload.read() == WEBP
    with pytest.raises(ValidationError, match="只能是图片"):
        _field().clean(SimpleUploadedFile("photo.jpg", b"%PDF-1.7\n"))
    assert _field(kinds=IMAGES | {"pdf"}).clean(SimpleUploadedFile("a", b"%PDF-1.7\n"))
    with pytest.raises(ValidationError, match="照片太大"):
        _field().clean(SimpleUploadedFile("big.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64))
