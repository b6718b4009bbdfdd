"""Importing a party-member roster (党员名册) on core's staged import.

Each row names a person by ID number, the organisation and the status. The person must
already be in the resident registry within the uploader's reach: the membership links
to that resident, never to a second copy of the person. A member already in the named
organisation is listed and left as is; one in another organisation is an error (a move
is a transfer, done on the member's page). Confirming records every row in one
transaction, or none.
"""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from frontline.core.cells import cell_date, cell_text
from frontline.core.personal_data import (
    PersonalDataError,
    id_number_parse,
    keyed_hasher,
    text_normalise,
)
from frontline.core.spreadsheets import RowError
from frontline.core.staged_import import Importer, ImportUrls, Sections, Sorter
from frontline.core.staged_import.models import StagedImport
from frontline.party import selectors, services
from frontline.party.models import MemberStatus
from frontline.people.public import PERSON_COLUMNS, residents_for

MAX_ROWS = 20_000
ID_AS_NUMBER = "身份证号被存成了数字，后几位已经丢失；请把这一列设置为“文本”格式后重新填写"
# Said alike of an ID registered outside the uploader's villages and of one registered nowhere.
NOT_IN_REACH = "您辖区的居民名册中没有这个身份证号，请先在人员花名册登记"

COLUMNS: dict[str, tuple[str, ...]] = {
    "name": PERSON_COLUMNS["name"] + ("党员姓名",),
    "id_number": PERSON_COLUMNS["id_number"],
    "org": ("党组织", "所在党组织", "所在党支部", "党支部", "支部名称", "组织名称"),
    "status": ("身份", "党员身份", "政治面貌", "人员身份"),
    "start_date": ("转入日期", "组织关系转入日期", "加入日期"),
}
# The spellings of each status cadres write; the labels themselves come first.
STATUS_WORDS = {
    **{label: value for value, label in MemberStatus.choices},
    "党员": MemberStatus.FULL,
    "中共党员": MemberStatus.FULL,
    "预备": MemberStatus.PROBATIONARY,
    "中共预备党员": MemberStatus.PROBATIONARY,
    "积极分子": MemberStatus.ACTIVIST,
}


class MemberImporter(Importer):
    """A roster of party members and activists: each row a membership of a registered
    resident in an organisation the uploader manages."""

    key = "party.member"
    title = "党员名册"
    permission = "party.manage"
    refusal = "没有登记党员的权限"
    urls = ImportUrls.named("party", "member_import")
    done_url = "party:member_list"
    done_label = "党员"
    columns = COLUMNS
    required = ("name", "id_number", "org", "status")
    example_rows = [["张秀兰", "320721198506150021", "三店村党支部", "正式党员", "2020-01-25"]]
    max_rows = MAX_ROWS
    stats = (
        ("total", "共几行"),
        ("new", "将登记"),
        ("unchanged", "已在本组织"),
        ("bad", "有错的行"),
    )
    audit_fields = ("resident", "org", "status", "start_date")
    export_fields = ("name", "id_number")
    heading = "从 Excel 导入党员名册"
    skipped_title = "已是本组织的党员或积极分子，不再登记"
    changed_since = "预览之后有人的组织关系已有变化，请重新上传"
    unit = "人"

    def start(self, mapping: dict[str, int]) -> None:
        self.mapping = mapping
        self.today = timezone.localdate()
        self.keyed_hash = keyed_hasher()
        self.seen: dict[str, int] = {}
        self.orgs: dict[str, list[int]] = {}
        self.org_names: dict[int, str] = {}
        for org in selectors.orgs_for(self.actor, self.permission).filter(end_date__isnull=True):
            self.orgs.setdefault(org.name, []).append(org.pk)
            self.org_names[org.pk] = org.name

    def _cell(self, raw: list[Any], key: str) -> Any:
        index = self.mapping.get(key)
        return raw[index] if index is not None and index < len(raw) else None

    def check(self, number: int, raw: list[Any]) -> dict | list[RowError] | None:
        if not any(cell_text(c).strip() for c in raw if c is not None):
            return None
        errors: list[RowError] = []
        name = text_normalise(cell_text(self._cell(raw, "name")))
        if not name:
            errors.append(RowError(number, "姓名", "姓名不能为空"))
        id_hash = self._id_hash(number, self._cell(raw, "id_number"), errors)
        org_name = text_normalise(cell_text(self._cell(raw, "org")))
        found = self.orgs.get(org_name, [])
        if not org_name:
            errors.append(RowError(number, "党组织", "党组织不能为空"))
        elif not found:
            errors.append(
                RowError(number, "党组织", f"您管理的党组织中没有“{org_name}”（或已撤销）")
            )
        elif len(found) > 1:
            errors.append(
                RowError(number, "党组织", f"有 {len(found)} 个党组织都叫“{org_name}”，无法区分")
            )
        word = text_normalise(cell_text(self._cell(raw, "status")))
        status = STATUS_WORDS.get(word)
        if status is None:
            known = "、".join(label for _, label in MemberStatus.choices)
            errors.append(RowError(number, "身份", f"身份应为{known}之一"))
        start = _date(self._cell(raw, "start_date"))
        if isinstance(start, str):
            errors.append(RowError(number, "转入日期", start))
        elif start and start > self.today:
            errors.append(RowError(number, "转入日期", "转入日期晚于今天"))
        if errors:
            return errors
        return {
            "row": number,
            "name": name,
            "id_hash": id_hash,
            "org": found[0],
            "status": str(status),
            "start": start.isoformat() if start else "",
        }

    def _id_hash(self, number: int, raw_id: Any, errors: list[RowError]) -> str:
        if isinstance(raw_id, (int, float)) and not isinstance(raw_id, bool):
            errors.append(RowError(number, "身份证号", ID_AS_NUMBER))
            return ""
        try:
            parsed = id_number_parse(cell_text(raw_id), today=self.today)
        except PersonalDataError as error:
            errors.append(RowError(number, "身份证号", str(error)))
            return ""
        id_hash = self.keyed_hash(parsed.value)
        first = self.seen.setdefault(id_hash, number)
        if first != number:
            errors.append(
                RowError(number, "身份证号", f"与第 {first} 行的身份证号重复（同一人只能一行）")
            )
        return id_hash

    def classify(self, rows: list[tuple[dict, list[Any]]], out: Sorter) -> None:
        """Each row against the registry (one query a batch) and current memberships."""
        residents = self._reachable_by_id_hash([row["id_hash"] for row, _ in rows])
        current = selectors.current_memberships_of([r.pk for r in residents.values()])
        add = out.writer("rows").add
        for row, raw in rows:
            number = row["row"]
            resident = residents.get(row["id_hash"])
            if resident is None:
                # Registered elsewhere or nowhere: the same words, or the preview would tell
                # a cadre which IDs are registered in villages not theirs.
                out.bad([RowError(number, "身份证号", NOT_IN_REACH)], raw)
                continue
            if resident.name != row["name"]:
                out.bad([RowError(number, "姓名", "姓名与居民名册中这个身份证号的姓名不一致")], raw)
                continue
            membership = current.get(resident.pk)
            if membership is not None and membership.org_id == row["org"]:
                out.skip(number, f"已是{membership.org.name}的{membership.get_status_display()}")
                continue
            if membership is not None:
                where = self.org_names.get(membership.org_id, "另一个党组织")
                out.bad(
                    [
                        RowError(
                            number,
                            "党组织",
                            f"此人已在“{where}”，一人只能在一个党组织；请办理组织关系转接",
                        )
                    ],
                    raw,
                )
                continue
            out.counts.new += 1
            add([number, resident.pk, row["org"], row["status"], row["start"]])

    def _reachable_by_id_hash(self, hashes: list[str]) -> dict[str, Any]:
        """Residents with these ID hashes among those the uploader may register, by hash."""
        found = {}
        reachable = residents_for(self.actor, self.permission).select_related("node")
        for start in range(0, len(hashes), 500):
            for resident in reachable.filter(id_hash__in=hashes[start : start + 500]):
                found[resident.id_hash] = resident
        return found

    def commit(self, staged: StagedImport, sections: Sections) -> None:
        """Record every membership; any refusal (a change since the preview) writes none."""
        rows = list(sections.rows("rows"))
        orgs = {o.pk: o for o in selectors.orgs_for(self.actor, self.permission)}
        residents = {
            r.pk: r
            for r in residents_for(self.actor, self.permission).filter(
                pk__in=[row[1] for row in rows]
            )
        }
        for number, resident_id, org_id, status, start in rows:
            org, resident = orgs.get(org_id), residents.get(resident_id)
            if org is None or resident is None:
                raise ValidationError(f"第 {number} 行：{self.changed_since}")
            try:
                services.member_add(
                    actor=self.actor,
                    org=org,
                    resident=resident,
                    status=status,
                    start_date=date.fromisoformat(start) if start else None,
                )
            except ValidationError as error:
                raise ValidationError(f"第 {number} 行：{'；'.join(error.messages)}") from None

    def audit_reason(self, staged: StagedImport) -> str:
        return f"登记 {staged.new_count} 名党员和积极分子"

    def confirm_text(self, staged: StagedImport) -> str:
        return (
            f"共 {staged.total_rows} 行全部通过检查。确认后将一次性登记 {staged.new_count} 人"
            f"（已在本组织的 {staged.unchanged_count} 人不变）。"
        )

    def confirm_button(self, staged: StagedImport) -> str:
        return f"确认登记 {staged.new_count} 人"

    def nothing_text(self, staged: StagedImport) -> str:
        return f"名册中的 {staged.total_rows} 人都已在所填的党组织，不需要再登记。"

    def success_message(self, staged: StagedImport) -> str:
        return f"已登记 {staged.new_count} 名党员和积极分子"


def _date(value: Any) -> date | str | None:
    """A date cell, or 2020-01-25, 2020/1/25, 2020年1月25日; else an error text."""
    try:
        return cell_date(value)
    except ValueError:
        return "转入日期无法识别，请写成 2020-01-25"
