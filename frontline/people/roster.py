"""Reading a village roster (花名册): find the header, check every row, resolve its place.

Real rosters are messy: a title row or a two-line merged header, 身份证号码 or
公民身份号码, full-width digits, stray spaces, empty rows, an ID typed into a
number cell (already corrupted: rejected), the same person twice, a village
spelled wrong. Each problem becomes a row error naming the row, the column and
the reason in Chinese, and never repeating an ID or phone.
"""

import difflib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from unicodedata import is_normalized

from django.utils import timezone

from frontline.core.cells import cell_text
from frontline.core.models import Node, NodeKind, User
from frontline.core.personal_data import (
    PersonalDataError,
    id_number_parse,
    keyed_hasher,
    phone_parse,
    text_normalise,
)
from frontline.core.scoping import nodes_visible
from frontline.core.spreadsheets import RowError, UploadRejected
from frontline.people.models import Relation, Tag

# Our field → the column names cadres use (compared without spaces, '*' or line breaks);
# the first is the template's and the one row errors name.
COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "名字", "居民姓名", "人员姓名", "户主姓名"),
    "id_number": (
        "身份证号",
        "身份证号码",
        "公民身份号码",
        "公民身份证号码",
        "身份证",
        "证件号码",
        "证件号",
        "身份证件号码",
    ),
    "phone": ("手机号", "手机", "手机号码", "联系电话", "电话", "联系方式", "电话号码"),
    "village": (
        "村/社区",
        "村",
        "村名",
        "村(社区)",
        "所在村",
        "所属村",
        "社区",
        "村居",
        "所属村(社区)",
        "所在村(社区)",
        "村别",
    ),
    "grid": ("网格", "所属网格", "所在网格", "网格名称"),
    "household": ("户号", "户编号", "家庭编号"),
    "relation": ("与户主关系", "户主关系", "关系"),
    "address": ("住址", "地址", "现住址", "家庭住址", "居住地址", "现居住地址"),
    "tags": ("标签", "人员类别", "人员类型", "类别"),
    "notes": ("备注", "说明"),
}
COLUMN_LABELS = {key: spellings[0] for key, spellings in COLUMNS.items()}
TEMPLATE_EXAMPLE = [
    "张秀兰",
    "320721198506150021",
    "13800138000",
    "三店村",
    "第一网格",
    "A-001",
    "户主",
    "三店村 1 组 8 号",
    "党员、孤寡老人",
    "",
]

ID_AS_NUMBER = "身份证号被存成了数字，后几位已经丢失；请把这一列设置为“文本”格式后重新填写"
_SCIENTIFIC = re.compile(r"^\d(\.\d+)?[eE]\+?\d+$")
_TAG_SPLIT = re.compile(r"[,，、;；/\s]+")
_CJK_ONLY = re.compile(r"[\u3400-\u9fff\s]+")


@dataclass(slots=True)
class CheckedRow:
    """One good row, normalised; `id_value` and `phone` are plaintext only in memory."""

    row: int
    name: str
    id_value: str
    id_hash: str
    gender: str
    birth: str
    phone: str
    node_id: int
    village_id: int
    household: str
    relation: str
    address: str
    tag_ids: list[int]
    notes: str
    warning: str = ""


@dataclass
class Places:
    """The villages and grids an uploader may import into, by name."""

    villages: dict[str, list[Node]]
    grids: dict[tuple[int, str], Node]
    outside: set[str]
    default_village: Node | None
    all_names: list[str] = field(default_factory=list)
    node_ids: set[int] = field(default_factory=set)  # every village and grid of the scope


def places_for(import_nodes: list[Node], all_village_names: set[str]) -> Places:
    """Index the uploader's villages and grids; names outside scope are known, not usable."""
    villages: dict[str, list[Node]] = {}
    grids: dict[tuple[int, str], Node] = {}
    for node in import_nodes:
        if node.kind == NodeKind.VILLAGE:
            villages.setdefault(node.name, []).append(node)
    village_ids = {v.pk for vs in villages.values() for v in vs}
    for node in import_nodes:
        if node.kind == NodeKind.GRID and node.parent_id in village_ids:
            grids[(node.parent_id, node.name)] = node
    in_scope = [v for vs in villages.values() for v in vs]
    return Places(
        villages=villages,
        grids=grids,
        outside=all_village_names - set(villages),
        default_village=in_scope[0] if len(in_scope) == 1 else None,
        all_names=sorted(villages),
        node_ids={node.pk for node in import_nodes},
    )


def import_places(actor: User, permission: str) -> Places:
    """The villages and grids the actor may import into (where the permission reaches)."""
    nodes = list(
        nodes_visible(actor, permission)
        .filter(is_active=True, kind__in=[NodeKind.VILLAGE, NodeKind.GRID])
        .order_by("path")
    )
    all_names = set(
        Node.objects.filter(kind=NodeKind.VILLAGE).values_list("name", flat=True).distinct()
    )
    return places_for(nodes, all_names)


def places_require_village(mapping: dict[str, int], places: Places) -> None:
    """A file without a village column is read only by someone with a single village."""
    if "village" not in mapping and places.default_village is None:
        raise UploadRejected("找不到“村/社区”列：您管辖多个村，请在每一行写明所在村/社区。")


def _closest(name: str, candidates: list[str]) -> str:
    found = difflib.get_close_matches(name, candidates, n=1, cutoff=0.4)
    return f"，最接近的是“{found[0]}”" if found else ""


@lru_cache(maxsize=256)
def relation_from_label(label: str) -> str:
    """户主/本人, 妻/夫/配偶, 长子/次女/儿子, 孙子, 父亲/母亲, 兄弟姐妹; anything else 其他."""
    if not label:
        return ""
    for code, keys in (
        (Relation.HEAD, ("户主", "本人")),
        (Relation.GRANDCHILD, ("孙", "外孙")),
        (Relation.SPOUSE, ("配偶", "妻", "夫")),
        (Relation.PARENT, ("父", "母", "爸", "妈")),
        (Relation.SIBLING, ("兄", "弟", "姐", "妹")),
        (Relation.CHILD, ("子", "女", "儿")),
    ):
        if any(key in label for key in keys):
            return code
    return Relation.OTHER


def _name_clean(raw: str) -> str:
    if raw.isalpha():  # most names (王芳, Maria): no space to fold or drop
        return raw
    text = " ".join(raw.split())
    # 王 芳 typed with a space for alignment is 王芳; 买买提 艾力 keeps its space.
    return text.replace(" ", "") if _CJK_ONLY.fullmatch(text) else text


class RowChecker:
    """Checks rows one by one; remembers IDs seen so a second occurrence is an error."""

    def __init__(self, mapping: dict[str, int], places: Places, tags: dict[str, Tag]):
        self.mapping = mapping
        self.places = places
        self.tags = tags
        self.seen: dict[int, int] = {}  # 64 bits of the ID hash → first row (1M rows fit)
        self.id_index = mapping["id_number"]
        self.today = timezone.localdate()
        self.keyed_hash = keyed_hasher()
        self.tag_ids = {label: tag.pk for label, tag in tags.items()}
        # A roster names a few dozen places a hundred thousand times: each is resolved once,
        # by the cells as written (and again by the names without spaces, on a first sight).
        self._place_cache: dict[tuple[str, str], tuple[int, int] | RowError] = {}

    def _cells(self, row: list[Any]) -> dict[str, str]:
        """Every mapped column of a row as normalised text ('' where absent)."""
        width = len(row)
        cells = {}
        for key, index in self.mapping.items():
            value = row[index] if index < width else None
            if type(value) is str:  # nearly every cell: text, often ASCII, often empty
                # What text_normalise does, without the call, for the cells that need only
                # trimming: ASCII, or printable (no invisible characters) and already NFKC.
                if value.isascii() or (value.isprintable() and is_normalized("NFKC", value)):
                    cells[key] = value.strip()
                else:
                    cells[key] = text_normalise(value)
            elif value is None:
                cells[key] = ""
            else:
                cells[key] = text_normalise(cell_text(value))
        return cells

    def check(self, number: int, row: list[Any]) -> CheckedRow | list[RowError] | None:
        """A checked row, its errors, or None for an empty row."""
        cells = self._cells(row)
        if not (cells["name"] or cells["id_number"]) and not any(
            cell != "" and cell is not None and str(cell).strip() for cell in row
        ):
            return None
        errors: list[RowError] = []
        name = _name_clean(cells["name"])
        if not name:
            errors.append(RowError(number, "姓名", "姓名不能为空"))
        elif len(name) > 50:
            errors.append(RowError(number, "姓名", "姓名超过 50 个字"))

        raw_id = row[self.id_index] if self.id_index < len(row) else None
        parsed = None
        id_was_number = isinstance(raw_id, (int, float)) and not isinstance(raw_id, bool)
        id_text = cells["id_number"]
        if id_was_number or (("E" in id_text or "e" in id_text) and _SCIENTIFIC.match(id_text)):
            errors.append(RowError(number, "身份证号", ID_AS_NUMBER))
        else:
            try:
                parsed = id_number_parse(id_text, today=self.today)
            except PersonalDataError as error:
                errors.append(RowError(number, "身份证号", str(error)))
        id_hash = ""
        if parsed is not None:
            id_hash = self.keyed_hash(parsed.value)
            short = int(id_hash[:16], 16)
            first = self.seen.get(short)
            if first is not None:
                errors.append(
                    RowError(number, "身份证号", f"与第 {first} 行的身份证号重复（同一人只能一行）")
                )
            else:
                self.seen[short] = number

        phone = ""
        if cells.get("phone"):
            try:
                phone = phone_parse(cells["phone"])
            except PersonalDataError as error:
                errors.append(RowError(number, "手机号", str(error)))

        place = self._place(cells)
        if isinstance(place, RowError):
            errors.append(RowError(number, place.column, place.message))
        tag_ids: list[int] = []
        tag_text = cells.get("tags", "")
        for label in filter(None, _TAG_SPLIT.split(tag_text)) if tag_text else ():
            tag_id = self.tag_ids.get(label)
            if tag_id is None:
                known = "、".join(self.tags)
                errors.append(RowError(number, "标签", f"没有“{label}”这个标签；可用：{known}"))
            elif tag_id not in tag_ids:
                tag_ids.append(tag_id)
        household = cells.get("household", "")
        if len(household) > 30:
            errors.append(RowError(number, "户号", "户号超过 30 个字"))
        address = cells.get("address", "")
        if len(address) > 200:
            errors.append(RowError(number, "住址", "住址超过 200 个字"))
        if errors:
            return errors
        assert parsed is not None and not isinstance(place, RowError)
        node_id, village_id = place
        # Positional, in the order of CheckedRow's fields: keywords cost three times as much
        # (1.2 against 0.4 µs), and this is every row.
        return CheckedRow(
            number,  # row
            name,
            parsed.value,  # id_value
            id_hash,
            parsed.gender,
            parsed.birth_date.isoformat(),  # birth
            phone,
            node_id,
            village_id,
            household,
            relation_from_label(cells.get("relation", "")),  # relation
            address,
            tag_ids,
            cells.get("notes", ""),  # notes
            parsed.warning,
        )

    def _place(self, cells: dict[str, str]) -> tuple[int, int] | RowError:
        """(node id, village id) of a row, or the error (row 0: the caller numbers it)."""
        written = (cells.get("village", ""), cells.get("grid", ""))
        found = self._place_cache.get(written)
        if found is None:
            key = ("".join(written[0].split()), "".join(written[1].split()))
            found = self._place_cache.get(key)
            if found is None:
                place = self._place_resolve(*key)
                # Ids, not nodes: a model's pk is a property call, and this is every row.
                found = place if isinstance(place, RowError) else (place[0].pk, place[1].pk)
                self._place_cache[key] = found
            self._place_cache[written] = found
        return found

    def _place_resolve(self, village_name: str, grid_name: str) -> tuple[Node, Node] | RowError:
        places = self.places
        if not village_name:
            if places.default_village is None:
                return RowError(0, "村/社区", "请填写所在村/社区")
            village = places.default_village
        else:
            found = places.villages.get(village_name, [])
            if len(found) > 1:
                return RowError(0, "村/社区", f"“{village_name}”在您的辖区有重名，请分开导入")
            if not found:
                if village_name in places.outside:
                    return RowError(0, "村/社区", f"“{village_name}”不在您的管辖范围，不能导入")
                closest = _closest(village_name, places.all_names)
                return RowError(0, "村/社区", f"没有叫“{village_name}”的村/社区{closest}")
            village = found[0]
        if not grid_name:
            return village, village
        grid = places.grids.get((village.pk, grid_name))
        if grid is None:
            names = [name for (vid, name) in places.grids if vid == village.pk]
            return RowError(
                0, "网格", f"“{village.name}”没有“{grid_name}”{_closest(grid_name, names)}"
            )
        return grid, village
