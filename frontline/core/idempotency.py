"""Offline phones resend: a write carries a key the user chose, and the same key again is the
same write. Keys are the user's own; the same key with a different request is a conflict
(the API answers 409, core/api_errors.py)."""

import hashlib
import json


class IdempotencyConflict(Exception):
    """This user already used the key for a different request."""

    def __init__(self) -> None:
        super().__init__("这个请求编号（idempotency_key）已用于另一份内容，请换一个编号")


def request_fingerprint(**values) -> str:
    """A digest of what a request asked for: a repeat under the same key must ask the same."""
    text = json.dumps(values, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:32]
