"""Idempotency keys of offline phones: one key, one user, one request body.

A phone replaying its queue sends each write with the key it made when the write was
queued. The key belongs to the user who sent it (unique per user in each model that
takes one): another user's key never returns their record. The record keeps a digest
of what was asked; the same key again with the same body is a retry (the stored record
is the answer), with a different body it is a mistake the phone must be told about
(`IdempotencyConflict`, answered 409 by the API).
"""

import hashlib
import json

from django.core.exceptions import ValidationError

CONFLICT_MESSAGE = (
    "该请求编号（idempotency_key）已用于内容不同的另一次提交；如是新的记录，请重新生成编号"
)


class IdempotencyConflict(ValidationError):
    """The same idempotency key sent again by the same user with a different body."""

    def __init__(self) -> None:
        super().__init__({"idempotency_key": CONFLICT_MESSAGE})


def request_digest(**fields) -> str:
    """A SHA-256 of what a write asked for, after parsing (so "36.5℃" and 36.5 agree:
    the services pass parsed values; decimals, dates and times are taken as their text)."""
    text = json.dumps(fields, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def idempotent_answer(stored, digest: str):
    """The stored record when the repeat asked for the same thing; a conflict otherwise.

    A record stored before digests were kept (empty digest) cannot be compared: it is
    answered as a retry, as it always was."""
    if stored.request_digest and stored.request_digest != digest:
        raise IdempotencyConflict()
    return stored
