"""The district's lists the town keeps: kinds of key person and kinds of 五送 service."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from frontline.control.models import KeyPersonCategory, ServiceKind
from frontline.core.audit import audit_record
from frontline.core.models import User
from frontline.core.scoping import user_can


def _require_configure(actor: User) -> None:
    if not user_can(actor, "control.configure"):
        raise PermissionDenied("只有镇（区）领导和管理员可以维护这些类别")


def _changed(obj, values: dict) -> list[str]:
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    return changed


def _unique_name(model, obj, name: str, label: str) -> None:
    if model.objects.filter(name=name).exclude(pk=obj.pk).exists():
        raise ValidationError({"name": f"已有名为“{name}”的{label}"})


@transaction.atomic
def category_save(
    *,
    actor: User,
    category: KeyPersonCategory | None = None,
    name: str,
    sort_order: int = 0,
    is_active: bool = True,
) -> KeyPersonCategory:
    """Add a kind of key person, or rename, reorder, stop or restart one. A stopped kind
    is no longer offered; the people registered under it keep it."""
    _require_configure(actor)
    category = category or KeyPersonCategory()
    changed = _changed(
        category, {"name": name.strip(), "sort_order": sort_order, "is_active": is_active}
    )
    _unique_name(KeyPersonCategory, category, category.name, "重点人员类别")
    category.full_clean(validate_unique=False)
    if changed or category.pk is None:
        category.save()
        audit_record(actor=actor, action="control.category.save", obj=category, fields=changed)
    return category


@transaction.atomic
def service_kind_save(
    *,
    actor: User,
    kind: ServiceKind | None = None,
    name: str,
    quantity_label: str = "",
    sort_order: int = 0,
    is_active: bool = True,
) -> ServiceKind:
    """Add a kind of 五送 service, or rename, reorder, stop or restart one; the services
    already recorded keep their kind."""
    _require_configure(actor)
    kind = kind or ServiceKind()
    changed = _changed(
        kind,
        {
            "name": name.strip(),
            "quantity_label": quantity_label.strip(),
            "sort_order": sort_order,
            "is_active": is_active,
        },
    )
    _unique_name(ServiceKind, kind, kind.name, "五送服务类别")
    kind.full_clean(validate_unique=False)
    if changed or kind.pk is None:
        kind.save()
        audit_record(actor=actor, action="control.service_kind.save", obj=kind, fields=changed)
    return kind
