"""Bulk registration of key persons from a 流调 lead list, on core's staged import.

Each row's person columns are checked as a roster row is (people's public checker:
ID, phone, village and grid, duplicates in the file), then the key-person columns
(category, origin, arrival date). A person registered as a key person in the last six
months is not registered again: the preview lists the earlier record. Confirming
registers everyone in one transaction, or nobody.
"""

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from frontline.control.models import FoundVia, KeyPerson, KeyPersonCategory
from frontline.control.services import key_person_register
from frontline.core.cells import cell_date, cell_text
from frontline.core.models import Node
from frontline.core.personal_data import text_normalise
from frontline.core.scoping import user_can
from frontline.core.spreadsheets import RowError
from frontline.core.staged_import import Importer, ImportUrls, Sections, Sorter
from frontline.core.staged_import.models import StagedImport
from frontline.people.public import (
    PERSON_COLUMNS,
    person_row_checker,
    resident_create,
    residents_by_id_hash,
)

SEEN_WITHIN = timedelta(days=183)
MAX_ROWS = 20_000
LEAD_MAX_BYTES = 10 * 1024 * 1024

COLUMNS: dict[str, tuple[str, ...]] = {
    **{key: PERSON_COLUMNS[key] for key in ("name", "id_number", "phone", "village", "grid")},
    "address": PERSON_COLUMNS["address"],
    "category": ("类别", "人员类别", "重点人员类别", "管控类别", "类型"),
    "origin": ("来源地", "来自", "出发地", "来源地区", "从何地来", "途经地"),
    "arrival": ("抵达日期", "到达日期", "返乡日期", "来赣日期", "抵达时间", "到达时间"),
    "notes": PERSON_COLUMNS["notes"],
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


class LeadListImporter(Importer):
    """A 流调 lead list: each row registers a key person (and the resident, if new)."""

    key = "control.lead_list"
    title = "流调名单"
    permission = "control.import"
    refusal = "没有导入流调名单的权限"
    urls = ImportUrls(
        "control", "lead_upload", "lead_template", "lead_preview", "lead_errors", "lead_commit"
    )
    done_url = "control:key_person_list"
    done_label = "重点人员"
    columns = COLUMNS
    required = ("name", "id_number")
    example_rows = [TEMPLATE_EXAMPLE]
    max_bytes = LEAD_MAX_BYTES
    max_rows = MAX_ROWS
    stats = (
        ("total", "共几行"),
        ("new", "将登记"),
        ("unchanged", "半年内已登记"),
        ("bad", "有错的行"),
    )
    audit_fields = ("key_persons",)
    export_fields = ("name", "id_number", "phone")
    heading = "导入流调名单，批量登记重点人员"
    file_label = "流调名单（.xlsx 或 .csv）"
    help_template = "control/_lead_help.html"
    skipped_title = "半年内已登记过，不再重复登记"
    changed_since = "预览之后名单中的人员已有变化，请重新上传"

    def start(self, mapping: dict[str, int]) -> None:
        self.mapping = mapping
        self.persons = person_row_checker(
            actor=self.actor, permission=self.permission, mapping=mapping
        )
        self.categories = {c.name: c for c in KeyPersonCategory.objects.filter(is_active=True)}
        self.default_category = next(iter(self.categories.values()))
        self.today = timezone.localdate()

    def check(self, number: int, raw: list[Any]) -> dict | list[RowError] | None:
        person = self.persons.check(number, raw)
        if person is None:
            return None
        extra, errors = self._extra(number, raw)
        if isinstance(person, list):
            return person + errors
        if errors:
            return errors
        return {
            "row": number,
            "name": person.name,
            "id": person.id_value,
            "id_hash": person.id_hash,
            "phone": person.phone,
            "node": person.node_id,
            "address": person.address,
            "notes": person.notes,
            **extra,
        }

    def _cell(self, raw: list[Any], key: str) -> Any:
        index = self.mapping.get(key)
        return raw[index] if index is not None and index < len(raw) else None

    def _extra(self, number: int, raw: list[Any]) -> tuple[dict, list[RowError]]:
        """The key-person columns: category (default the first), origin, arrival date."""
        errors = []
        label = text_normalise(cell_text(self._cell(raw, "category")))
        category = self.categories.get(label) if label else self.default_category
        if category is None:
            known = "、".join(self.categories)
            errors.append(RowError(number, "类别", f"没有“{label}”这个类别；可用：{known}"))
        arrival = _arrival(self._cell(raw, "arrival"))
        if isinstance(arrival, str):
            errors.append(RowError(number, "抵达日期", arrival))
            arrival = None
        elif arrival and arrival > self.today:
            errors.append(RowError(number, "抵达日期", "抵达日期晚于今天"))
        origin = text_normalise(cell_text(self._cell(raw, "origin")))
        if len(origin) > 100:
            errors.append(RowError(number, "来源地", "来源地超过 100 个字"))
        extra = {
            "category": category.pk if category else None,
            "origin": origin,
            "arrival": arrival.isoformat() if arrival else "",
        }
        return extra, errors

    def classify(self, rows: list[tuple[dict, list[Any]]], out: Sorter) -> None:
        """A person followed as a key person in the last six months is listed, not
        registered again."""
        seen = _seen([row for row, _ in rows])
        add = out.writer("rows").add
        for row, _raw in rows:
            earlier = seen.get(row["id_hash"])
            if earlier is None:
                out.counts.new += 1
                add(row)
            else:
                out.skip(
                    row["row"],
                    f"{earlier['registered']} 登记 · {earlier['status']}",
                    reverse("control:key_person_detail", args=[earlier["key_person_id"]]),
                )

    def commit(self, staged: StagedImport, sections: Sections) -> None:
        """Register every row as a key person, creating the residents not yet known."""
        rows = list(sections.rows("rows"))
        if _seen(rows):
            raise ValidationError("预览之后有人已被登记为重点人员，请重新上传")
        nodes = {n.pk: n for n in Node.objects.filter(pk__in={row["node"] for row in rows})}
        categories = {c.pk: c for c in KeyPersonCategory.objects.all()}
        residents = residents_by_id_hash(row["id_hash"] for row in rows)
        for row in rows:
            resident = residents.get(row["id_hash"])
            if resident is None:
                resident, _ = resident_create(
                    actor=self.actor,
                    name=row["name"],
                    id_number=row["id"],
                    node=nodes[row["node"]],
                    phone=row["phone"],
                    address=row["address"],
                    notes=row["notes"],
                )
            elif not user_can(self.actor, "control.edit", resident.node):
                # Registered elsewhere: the other village follows this person.
                raise ValidationError(
                    f"第 {row['row']} 行的人员已在其他辖区登记，请联系上级调整所在辖区"
                )
            key_person_register(
                actor=self.actor,
                resident=resident,
                category=categories[row["category"]],
                found_via=FoundVia.IMPORT,
                origin=row["origin"],
                arrival_date=date.fromisoformat(row["arrival"]) if row["arrival"] else None,
            )

    def audit_reason(self, staged: StagedImport) -> str:
        return f"登记 {staged.new_count} 名重点人员"

    def confirm_text(self, staged: StagedImport) -> str:
        return (
            f"共 {staged.total_rows} 行全部通过检查。确认后将一次性登记全部 {staged.new_count} 人。"
        )

    def confirm_button(self, staged: StagedImport) -> str:
        return f"确认登记 {staged.new_count} 名重点人员"

    def nothing_text(self, staged: StagedImport) -> str:
        return f"名单中的 {staged.total_rows} 人半年内都已登记过，不需要再登记。"

    def success_message(self, staged: StagedImport) -> str:
        return f"已登记 {staged.new_count} 名重点人员"


def _arrival(value: Any) -> date | str | None:
    """A date cell, or text such as 2020-01-25, 2020/1/25, 2020年1月25日; else an error text."""
    try:
        return cell_date(value)
    except ValueError:
        return "抵达日期无法识别，请写成 2020-01-25"


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
