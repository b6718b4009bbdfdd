"""Shared by the services of this app: constants and small helpers."""

from django.core.exceptions import ValidationError

from frontline.core.uploads import image_media_type
from frontline.supervision.models import (
    PHOTO_MAX_BYTES,
)


def photo_check(data: bytes | None, field: str = "photo") -> tuple[bytes | None, str]:
    """A photo's bytes and type; anything but a JPEG, PNG or WebP under 2 MB is refused."""
    if not data:
        return None, ""
    if len(data) > PHOTO_MAX_BYTES:
        raise ValidationError({field: "照片不能超过 2 MB"})
    kind = image_media_type(data)
    if not kind:
        raise ValidationError({field: "照片须为 JPG、PNG 或 WebP 图片"})
    return bytes(data), kind
