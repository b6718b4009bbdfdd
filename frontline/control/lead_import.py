"""Bulk registration of key persons from a 流调 lead list, on the roster import machinery.

Each row is checked like a roster row (ID, phone, village and grid, duplicates in
the file) plus the key-person columns (category, origin, arrival date). A person
registered as a key person in the last six months is not registered again: the
preview shows the earlier record. Confirming writes everything in one
transaction, or nothing.
"""

from datetime import date, datetime, timedelta
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from frontline.control.models import FoundVia, KeyPerson, KeyPersonCategory, LeadImport
from frontline.control.services import key_person_register
from frontline.core.audit import audit_record
from frontline.core.models import Node, NodeKind, User
from frontline.core.personal_data import text_normalise
from frontline.core.scoping import user_can
from frontline.core.spreadsheets import (
    RowError,
    UploadRejected,
    cell_text,
    header_find,
    upload_open,
)
from frontline.people.imports import SealedWriter, import_scope, sealed_frames
from frontline.people.models import Resident
from frontline.people.roster import COLUMNS as ROSTER_COLUMNS
from frontline.people.roster import RowChecker, data_rows, places_for
from frontline.people.services import resident_create

SEEN_WITHIN = timedelta(days=183)
MAX_ROWS = 20_000
LEAD_MAX_BYTES = 10 * 1024 * 1024

COLUMNS: dict[str, tuple[str, ...]] = {
    **{
        key: ROSTER_COLUMNS[key]
        for key in ("name", "id_number", "phone", "village", "grid", "address", "notes")
    },
    "category": ("类别", "人员类别", "重点人员类别", "管控类别", "类型"),
    "origin": ("来源地", "来自", "出发地", "来源地区", "从何地来", "途经地"),
    "arrival": ("抵达日期", "到达日期", "返乡日期", "来赣日期", "抵达时间", "到达时间"),
}
COLUMN_LABELS = {
    "name": "姓名",
    "id_number": "身份证号",
    "phone": "手机号",
    "village": "村/社区",
    "grid": "网格",
    "address": "住址",
    "category": "类别",
    "origin": "来源地",
    "arrival": "抵达日期",
    "notes": "备注",
}
TEMPLATE_EXAMPLE = [
    "王小明",
    "320721198506150021",
    "13800138000",
    "三店村",
    "第一网格",
    "三店村 1 组 8 号",
    "重点地区来返人员",
    "湖北省武汉市",
    "2020-01-25",
    "",
]


def _arrival(value: Any) -> date | str | None:
    """A date cell, or text such as 2020-01-25, 2020/1/25, 2020年1月25日; else an error text."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip().replace("年", "-").replace("月", "-").replace("日", "")
    for pattern in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return "抵达日期无法识别，请写成 2020-01-25"


def _cell(raw: list[Any], mapping: dict[str, int], key: str) -> str:
    index = mapping.get(key)
    return text_normalise(cell_text(raw[index])) if index is not None and index < len(raw) else ""


def _extra(
    number: int,
    raw: list[Any],
    mapping: dict[str, int],
    categories: dict[str, KeyPersonCategory],
    default: KeyPersonCategory,
) -> tuple[dict, list[RowError]]:
    errors = []
    label = _cell(raw, mapping, "category")
    category = categories.get(label) if label else default
    if category is None:
        errors.append(
            RowError(number, "类别", f"没有“{label}”这个类别；可用：{'、'.join(categories)}")
        )
    index = mapping.get("arrival")
    arrival = _arrival(raw[index] if index is not None and index < len(raw) else None)
    if isinstance(arrival, str):
        errors.append(RowError(number, "抵达日期", arrival))
        arrival = None
    elif arrival and arrival > timezone.localdate():
        errors.append(RowError(number, "抵达日期", "抵达日期晚于今天"))
    origin = _cell(raw, mapping, "origin")
    if len(origin) > 100:
        errors.append(RowError(number, "来源地", "来源地超过 100 个字"))
    extra = {
        "category": category.pk if category else None,
        "origin": origin,
        "arrival": arrival.isoformat() if arrival else "",
    }
    return extra, errors


def lead_preview(*, actor: User, upload: IO[bytes], filename: str = "") -> LeadImport:
    """Check every row of a lead list and hold the result for confirmation."""
    import_nodes, scope_node = import_scope(actor, "control.import", "没有导入流调名单的权限")
    sheet = upload_open(upload, max_bytes=LEAD_MAX_BYTES)
    mapping, header_row, missing = header_find(sheet.rows, COLUMNS, required=["name", "id_number"])
    if missing:
        names = "、".join(COLUMN_LABELS[m] for m in missing)
        raise UploadRejected(f"找不到必需的列：{names}。请使用下载的模板。")
    all_names = set(Node.objects.filter(kind=NodeKind.VILLAGE).values_list("name", flat=True))
    places = places_for(import_nodes, all_names)
    if "village" not in mapping and places.default_village is None:
        raise UploadRejected("找不到“村/社区”列：您管辖多个村，请在每一行写明所在村/社区。")
    checker = RowChecker(mapping, places, {})
    categories = {c.name: c for c in KeyPersonCategory.objects.filter(is_active=True)}
    default = next(iter(categories.values()))
    good: list[dict] = []
    errors: list[dict] = []
    total = 0
    for number, raw in data_rows(sheet.rows, header_row):
        result = checker.check(number, raw)
        if result is None:
            continue
        total += 1
        if total > MAX_ROWS:
            raise UploadRejected(f"一次最多导入 {MAX_ROWS} 行，请分批导入")
        extra, extra_errors = _extra(number, raw, mapping, categories, default)
        row_errors = (result if isinstance(result, list) else []) + extra_errors
        if row_errors:
            errors += [{"row": e.row, "column": e.column, "message": e.message} for e in row_errors]
            continue
        good.append(
            {
                "row": number,
                "name": result.name,
                "id": result.id_value,
                "id_hash": result.id_hash,
                "phone": result.phone,
                "node": result.node_id,
                "address": result.address,
                "notes": result.notes,
                **extra,
            }
        )
    seen = _seen(good)
    writer = SealedWriter()
    for item in good:
        if item["id_hash"] not in seen:
            writer.add(item)
    bad_rows = len({e["row"] for e in errors})
    lead = LeadImport(
        node=scope_node,
        created_by=actor,
        filename=filename[:200],
        total_rows=total,
        new_count=0 if errors else len(good) - len(seen),
        seen_count=len(seen),
        bad_count=bad_rows,
        errors=sorted(errors, key=lambda e: e["row"])[:1000],
        seen=[
            {"row": item["row"], **seen[item["id_hash"]]}
            for item in good
            if item["id_hash"] in seen
        ],
        payload=b"" if errors else writer.close(),
    )
    lead.save()
    return lead


def _seen(rows: list[dict]) -> dict[str, dict]:
    """Rows whose resident was registered as a key person in the last six months."""
    since = timezone.now() - SEEN_WITHIN
    hashes = [row["id_hash"] for row in rows]
    found: dict[str, dict] = {}
    for start in range(0, len(hashes), 500):
        for person in (
            KeyPerson.objects.filter(
                resident__id_hash__in=hashes[start : start + 500], created_at__gte=since
            )
            .select_related("resident")
            .order_by("created_at")
        ):
            found[person.resident.id_hash] = {
                "key_person_id": person.pk,
                "registered": timezone.localtime(person.created_at).strftime("%Y-%m-%d"),
                "status": person.get_status_display(),
            }
    return found


@transaction.atomic
def lead_commit(*, actor: User, lead: LeadImport) -> LeadImport:
    """Register every checked row as a key person (creating residents not yet known)."""
    lead = LeadImport.objects.select_for_update().get(pk=lead.pk)
    if lead.is_committed:
        raise ValidationError("该名单已经导入")
    if lead.bad_count:
        raise ValidationError("名单有错误行，请修改后重新上传")
    rows = [row for frame in sealed_frames(bytes(lead.payload)) for row in frame]
    if _seen(rows):
        raise ValidationError("预览之后有人已被登记为重点人员，请重新上传")
    nodes = {n.pk: n for n in Node.objects.filter(pk__in={row["node"] for row in rows})}
    categories = {c.pk: c for c in KeyPersonCategory.objects.all()}
    residents = {
        r.id_hash: r
        for r in Resident.objects.filter(
            id_hash__in=[row["id_hash"] for row in rows]
        ).select_related("node")
    }
    for row in rows:
        resident = residents.get(row["id_hash"])
        if resident is None:
            resident, _ = resident_create(
                actor=actor,
                name=row["name"],
                id_number=row["id"],
                node=nodes[row["node"]],
                phone=row["phone"],
                address=row["address"],
                notes=row["notes"],
            )
        elif not user_can(actor, "control.edit", resident.node):
            # Registered elsewhere: the other village follows this person.
            raise ValidationError(
                f"第 {row['row']} 行的人员已在其他辖区登记，请联系上级调整所在辖区"
            )
        key_person_register(
            actor=actor,
            resident=resident,
            category=categories[row["category"]],
            found_via=FoundVia.IMPORT,
            origin=row["origin"],
            arrival_date=date.fromisoformat(row["arrival"]) if row["arrival"] else None,
        )
    lead.is_committed, lead.committed_at = True, timezone.now()
    lead.payload = b""  # the plaintext-capable payload is not kept once it has been written
    lead.save(update_fields=["is_committed", "committed_at", "payload"])
    audit_record(
        actor=actor,
        action="control.lead_list.import",
        obj=lead,
        node=lead.node,
        fields=["key_persons"],
    )
    return lead
