"""The enterprise list in Excel, imported through core's staged import: the same columns
the list exports, so an exported sheet edited and uploaded again updates what changed.

A row names an enterprise node that already exists (the jurisdiction tree, core's node
import, makes nodes): a node without a record gets one (建档), a registered enterprise
found by its credit code gets the changed fields. A wrong check character is named with
the one expected; an unknown sector, grid or enterprise, a code of another place's
enterprise or a code twice in one file is a row error, and then nothing is written."""

from typing import Any

from django.core.exceptions import ValidationError

from frontline.core.cells import cell_text
from frontline.core.scoping import user_can
from frontline.core.spreadsheets import RowError
from frontline.core.staged_import import Importer, ImportUrls, Sections, Sorter
from frontline.enterprises import selectors, services
from frontline.enterprises.models import (
    MAX_HEADCOUNT,
    Enterprise,
    uscc_normalise,
    uscc_validate,
)

# The export's first columns, in its order; the export's others (状态 …) are ignored.
COLUMNS = {
    "name": ("企业名称", "企业", "单位名称"),
    "uscc": ("统一社会信用代码", "信用代码", "社会信用代码"),
    "grid": ("网格", "所属网格"),
    "sector": ("行业", "所属行业"),
    "planned": ("计划复工人数", "计划人数"),
    "onsite": ("在岗人数", "在岗"),
    "party_branch": ("党支部",),
}
HEADERS = [spellings[0] for spellings in COLUMNS.values()]
# Fields an update compares and writes, in the order the row carries them.
FIELDS = ("uscc", "sector", "planned_headcount", "onsite_headcount", "party_branch")
KEY_SUFFIX = "（重点行业）"


class EnterpriseImporter(Importer):
    """The enterprise list: register enterprise nodes, or update registered enterprises."""

    key = "enterprises.enterprise"
    title = "企业清单"
    permission = "enterprises.manage"
    refusal = "没有企业建档的权限"
    urls = ImportUrls.named("enterprises", "enterprise_import")
    done_url = "enterprises:list"
    done_label = "复工复产"
    columns = COLUMNS
    required = ("name", "uscc", "sector")
    example_rows = [
        ["三店机械有限公司", "91320707MA1XY0012W", "工业园网格", "机械制造", 80, 60, ""]
    ]
    sections = ("new", "updated")
    stats = (
        ("total", "共几行"),
        ("new", "新建档"),
        ("updated", "更新"),
        ("unchanged", "未变"),
        ("bad", "有错的行"),
    )
    audit_fields = ("uscc", "sector", "planned_headcount", "onsite_headcount", "party_branch")
    heading = "从 Excel 导入企业清单"
    file_label = "企业清单（.xlsx 或 .csv，可用“导出 Excel”得到的表修改后上传）"
    changed_since = "预览之后企业档案已有变化（可能有人同时建档或修改），请重新上传"
    unit = "家"

    def start(self, mapping: dict[str, int]) -> None:
        self.mapping = mapping
        self.sectors = {s.name: s.pk for s in selectors.sectors()}
        # Enterprise nodes the actor may register, by name and by (grid, name).
        self.by_name: dict[str, list[tuple[int, str]]] = {}
        for node in selectors.unregistered_nodes(self.actor).select_related("parent"):
            grid = node.parent.name if node.parent_id else ""
            self.by_name.setdefault(node.name, []).append((node.pk, grid))
        self.codes_seen: dict[str, int] = {}
        self.claimed: set[int] = set()  # nodes a row of this file registers

    def _cell(self, raw: list[Any], key: str) -> Any:
        index = self.mapping.get(key)
        return raw[index] if index is not None and index < len(raw) else None

    def _count(self, number: int, raw: list[Any], key: str, label: str, errors: list) -> int:
        value = self._cell(raw, key)
        text = cell_text(value)
        if text == "":
            return 0
        try:
            count = int(text)
        except ValueError:
            errors.append(RowError(number, label, f"{label}“{text}”应为整数"))
            return 0
        if not 0 <= count <= MAX_HEADCOUNT:
            errors.append(RowError(number, label, f"{label}应在 0–{MAX_HEADCOUNT} 之间"))
        return count

    def check(self, number: int, raw: list[Any]) -> dict | list[RowError] | None:
        name = cell_text(self._cell(raw, "name"))
        raw_code = self._cell(raw, "uscc")
        if not name and raw_code in (None, ""):
            return None
        errors: list[RowError] = []
        if not name:
            errors.append(RowError(number, "企业名称", "企业名称不能为空"))
        code = ""
        if isinstance(raw_code, (int, float)):
            # An 18-digit number in Excel has lost its last digits: never converted.
            errors.append(
                RowError(number, "统一社会信用代码", "信用代码存成了数字，请设为文本后重填")
            )
        else:
            code = uscc_normalise(raw_code)
            try:
                uscc_validate(code)
            except ValidationError as error:
                errors.append(RowError(number, "统一社会信用代码", error.messages[0]))
            else:
                first = self.codes_seen.setdefault(code, number)
                if first != number:
                    errors.append(
                        RowError(number, "统一社会信用代码", f"与第 {first} 行的信用代码重复")
                    )
        sector_name = cell_text(self._cell(raw, "sector")).removesuffix(KEY_SUFFIX)
        sector = self.sectors.get(sector_name)
        if sector is None:
            known = "、".join(self.sectors)
            what = f"没有“{sector_name}”这个行业" if sector_name else "行业不能为空"
            errors.append(RowError(number, "行业", f"{what}；可用：{known}"))
        planned = self._count(number, raw, "planned", "计划复工人数", errors)
        onsite = self._count(number, raw, "onsite", "在岗人数", errors)
        branch = cell_text(self._cell(raw, "party_branch"))
        if len(branch) > 100:
            errors.append(RowError(number, "党支部", "党支部超过 100 个字"))
        if errors:
            return errors
        return {
            "row": number,
            "name": name,
            "grid": cell_text(self._cell(raw, "grid")),
            "uscc": code,
            "sector": sector,
            "planned_headcount": planned,
            "onsite_headcount": onsite,
            "party_branch": branch,
        }

    def _node_for(self, row: dict) -> tuple[int | None, str]:
        """The unregistered enterprise node a new row names, or why there is none."""
        found = self.by_name.get(row["name"], [])
        if row["grid"]:
            found = [f for f in found if f[1] == row["grid"]]
        if len(found) == 1:
            return found[0][0], ""
        if found:
            return None, f"有 {len(found)} 家同名企业“{row['name']}”，请填写网格加以区分"
        where = f"{row['grid']}下" if row["grid"] else "您的辖区内"
        return None, (
            f"{where}没有尚未建档的企业“{row['name']}”；请先在辖区结构中添加该企业，或核对信用代码"
        )

    def classify(self, rows: list[tuple[dict, list[Any]]], out: Sorter) -> None:
        """A code already registered updates that enterprise (if the actor manages it); a
        new code registers the named node."""
        codes = [row["uscc"] for row, _ in rows]
        stored = {
            e.uscc: e
            for e in Enterprise.objects.filter(uscc__in=codes).select_related(
                "node", "node__parent"
            )
        }
        new, updated = out.writer("new").add, out.writer("updated").add
        claimed = self.claimed
        for row, raw in rows:
            enterprise = stored.get(row["uscc"])
            if enterprise is None:
                node_id, why = self._node_for(row)
                if node_id is None:
                    out.bad([RowError(row["row"], "企业名称", why)], raw)
                elif node_id in claimed:
                    out.bad([RowError(row["row"], "企业名称", "同一家企业在文件中出现两次")], raw)
                else:
                    claimed.add(node_id)
                    out.counts.new += 1
                    new({**row, "node": node_id})
                continue
            if not user_can(self.actor, "enterprises.manage", enterprise.node):
                out.bad(
                    [RowError(row["row"], "统一社会信用代码", "该信用代码已登记为其他辖区的企业")],
                    raw,
                )
                continue
            if enterprise.node.name != row["name"]:
                message = f"该信用代码已登记为“{enterprise.node.name}”，与企业名称不符"
                out.bad([RowError(row["row"], "统一社会信用代码", message)], raw)
                continue
            changes = {
                field: row[field]
                for field in FIELDS
                if field != "uscc"
                and getattr(enterprise, "sector_id" if field == "sector" else field) != row[field]
            }
            if changes:
                out.counts.updated += 1
                updated({"row": row["row"], "id": enterprise.pk, **changes})
            else:
                out.counts.unchanged += 1

    def commit(self, staged, sections: Sections) -> None:
        """Register and update through the services (each audited); any refusal undoes all."""
        sectors = {s.pk: s for s in selectors.sectors()}
        new = list(sections.rows("new"))
        nodes = {
            n.pk: n
            for n in selectors.unregistered_nodes(self.actor).filter(
                pk__in=[row["node"] for row in new]
            )
        }
        for row in new:
            node = nodes.get(row["node"])
            if node is None:
                raise ValidationError(self.changed_since)
            self._write(
                row,
                lambda row=row, node=node: services.enterprise_register(
                    actor=self.actor,
                    node=node,
                    uscc=row["uscc"],
                    sector=sectors[row["sector"]],
                    planned_headcount=row["planned_headcount"],
                    onsite_headcount=row["onsite_headcount"],
                    party_branch=row["party_branch"],
                ),
            )
        updated = list(sections.rows("updated"))
        enterprises = selectors.enterprises_for(self.actor, "enterprises.manage").in_bulk(
            [row["id"] for row in updated]
        )
        for row in updated:
            enterprise = enterprises.get(row["id"])
            if enterprise is None:
                raise ValidationError(self.changed_since)
            changes = {k: v for k, v in row.items() if k in FIELDS}
            if "sector" in changes:
                changes["sector"] = sectors[changes["sector"]]
            self._write(
                row,
                lambda enterprise=enterprise, changes=changes: services.enterprise_update(
                    actor=self.actor, enterprise=enterprise, **changes
                ),
            )

    @staticmethod
    def _write(row: dict, write) -> None:
        try:
            write()
        except ValidationError as error:
            raise ValidationError(f"第 {row['row']} 行：{'；'.join(error.messages)}") from None

    def audit_reason(self, staged) -> str:
        return f"新建档 {staged.new_count} 家，更新 {staged.updated_count} 家"

    def confirm_text(self, staged) -> str:
        return (
            f"共 {staged.total_rows} 行全部通过检查。确认后将一次性写入：新建档 "
            f"{staged.new_count} 家，更新 {staged.updated_count} 家。"
        )

    def nothing_text(self, staged) -> str:
        return f"文件中的 {staged.total_rows} 家企业都已建档且没有变化，不需要导入。"

    def success_message(self, staged) -> str:
        return (
            f"已导入：新建档 {staged.new_count} 家，更新 {staged.updated_count} 家，"
            f"未变 {staged.unchanged_count} 家"
        )
