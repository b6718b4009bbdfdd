"""What an uploaded file really is, told by its first bytes — never by its name or the
browser's word — for every photo and document a phone sends (site photos, receipts,
inspection findings, enterprise evidence)."""

from django import forms

# The first bytes of each kind accepted anywhere; WebP is a RIFF container naming WEBP.
_SIGNATURES = (
    (b"\xff\xd8\xff", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"%PDF-", "pdf"),
)
IMAGES = frozenset({"jpg", "png", "webp"})
MEDIA_TYPES = {
    "jpg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "pdf": "application/pdf",
}
# Enough of a file to tell its kind.
HEAD_BYTES = 12


def file_kind(head: bytes) -> str | None:
    """jpg, png, webp or pdf from a file's first bytes; None for anything else."""
    for signature, kind in _SIGNATURES:
        if head.startswith(signature):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


def image_media_type(data: bytes) -> str:
    """image/jpeg, image/png or image/webp for a photo's bytes; "" when they are no photo."""
    kind = file_kind(data[:HEAD_BYTES])
    return MEDIA_TYPES[kind] if kind in IMAGES else ""


class SniffedFileField(forms.FileField):
    """An upload of the given kinds and size, renamed `<stem>.<kind>` by what it really is.

    `too_big` and `wrong_kind` are the Chinese messages shown beside the field."""

    def __init__(
        self,
        *,
        max_bytes: int,
        kinds: frozenset[str] = IMAGES,
        stem: str,
        too_big: str,
        wrong_kind: str,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.max_bytes, self.kinds, self.stem = max_bytes, kinds, stem
        self.too_big, self.wrong_kind = too_big, wrong_kind

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload:
            return None
        if upload.size > self.max_bytes:
            raise forms.ValidationError(self.too_big)
        head = upload.read(HEAD_BYTES)
        upload.seek(0)
        kind = file_kind(head)
        if kind not in self.kinds:
            raise forms.ValidationError(self.wrong_kind)
        upload.name = f"{self.stem}.{kind}"
        return upload
