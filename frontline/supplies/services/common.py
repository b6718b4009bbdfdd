"""Shared by the supplies services: idempotency keys and their digests, quantities as text."""

import hashlib
import json
from decimal import Decimal

from django.core.exceptions import ValidationError

from frontline.core.models import User

CENT = Decimal("0.01")
MILLI = Decimal("0.001")
ALLOCATION_RULE = "优先保障企业防疫需求；其次按需要日期先后；再按申请时间先后"


class IdempotencyConflict(ValidationError):
    """The same idempotency key was used by this user for a different request (API: 409)."""


def _digest(payload: dict) -> str:
    return hashlib.sha256(
        json.dumps(payload, sort_keys=True, default=str, ensure_ascii=False).encode()
    ).hexdigest()


def _key_clean(key: str) -> str:
    key = (key or "").strip()
    if len(key) > 64:
        raise ValidationError({"idempotency_key": "请求编号（idempotency_key）不能超过 64 个字符"})
    return key


def _repeat(model, actor: User, key: str, digest: str):
    """The row this user already stored with this key, or None; another body is a conflict."""
    if not key:
        return None
    stored = model.objects.filter(created_by=actor, idempotency_key=key).first()
    if stored is not None and stored.request_digest != digest:
        raise IdempotencyConflict(
            {"idempotency_key": "这个请求编号已用于另一笔不同的登记，请刷新后重新提交"}
        )
    return stored


def _fmt(value: Decimal) -> str:
    text = f"{value.quantize(MILLI).normalize():f}"
    return text
