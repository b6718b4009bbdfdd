"""Importing the jurisdiction tree from a spreadsheet: every row checked, all or nothing."""

from dataclasses import dataclass, field
from typing import IO

from django.db import transaction

from frontline.core.audit import audit_record
from frontline.core.cells import cell_text, header_find
from frontline.core.models import ALLOWED_PARENT_KINDS, Node, NodeKind, User
from frontline.core.scoping import nodes_visible
from frontline.core.services import node_create
from frontline.core.spreadsheets import RowError, UploadRejected, upload_open

COLUMNS = {
    "parent": ("上级", "上级路径", "所属上级", "上级辖区"),
    "name": ("名称", "节点名称", "辖区名称", "单位名称"),
    "kind": ("类型", "节点类型", "层级"),
}
COLUMN_LABELS = {"parent": "上级路径", "name": "名称", "kind": "类型"}
KIND_BY_LABEL = {
    "区": NodeKind.DISTRICT,
    "县": NodeKind.DISTRICT,
    "镇": NodeKind.TOWN,
    "街道": NodeKind.TOWN,
    "开发区": NodeKind.TOWN,
    "乡": NodeKind.TOWN,
    "村": NodeKind.VILLAGE,
    "社区": NodeKind.VILLAGE,
    "网格": NodeKind.GRID,
    "企业": NodeKind.ENTERPRISE,
}
TEMPLATE_ROWS = [
    ("赣榆区/赣榆经济开发区", "示例村", "村"),
    ("赣榆区/赣榆经济开发区/示例村", "第一网格", "网格"),
]


@dataclass
class NodeImportResult:
    created: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)


def _name_paths(nodes: dict[int, Node]) -> dict[str, Node]:
    by_path: dict[str, Node] = {}
    for node in nodes.values():
        names = [nodes[i].name for i in node.ancestor_ids() if i in nodes]
        by_path["/".join(names)] = node
    return by_path


def nodes_import(*, actor: User, upload: IO[bytes]) -> NodeImportResult:
    """Create the nodes a spreadsheet lists under nodes the actor manages.

    Rows may build on rows above them (a village, then its grids). Any bad row
    means nothing is written; existing nodes of the same name and place count as
    unchanged.
    """
    sheet = upload_open(upload)
    mapping, header_row, missing = header_find(sheet.rows, COLUMNS, required=COLUMNS)
    if missing:
        names = "、".join(COLUMN_LABELS[m] for m in missing)
        raise UploadRejected(f"找不到必需的列：{names}。请使用下载的模板。")

    managed = {n.pk: n for n in nodes_visible(actor, "nodes.manage")}
    ancestors_needed = {i for n in managed.values() for i in n.ancestor_ids()} - set(managed)
    known = dict(managed)
    known.update({n.pk: n for n in Node.objects.filter(pk__in=ancestors_needed)})
    by_path = _name_paths(known)
    managed_paths = {p for p, n in by_path.items() if n.pk in managed}

    result = NodeImportResult()
    planned: list[tuple[int, str, str, str]] = []  # row, parent path, name, kind
    pending_kinds: dict[str, str] = {}
    for number, row in enumerate(sheet.rows, start=header_row + 1):
        values = {
            key: cell_text(row[idx]) if idx < len(row) else "" for key, idx in mapping.items()
        }
        if not any(values.values()):
            continue
        parent_path = "/".join(part.strip() for part in values["parent"].split("/") if part.strip())
        name, kind_label = values["name"], values["kind"]
        kind = KIND_BY_LABEL.get(kind_label) or (
            kind_label if kind_label in NodeKind.values else None
        )
        if not name:
            result.errors.append(RowError(number, "名称", "名称不能为空"))
            continue
        if kind is None:
            result.errors.append(
                RowError(
                    number, "类型", f"类型“{kind_label}”无法识别，可填：区、镇、村、网格、企业"
                )
            )
            continue
        parent_kind = (
            by_path[parent_path].kind if parent_path in by_path else pending_kinds.get(parent_path)
        )
        if parent_kind is None:
            result.errors.append(
                RowError(number, "上级路径", f"上级“{parent_path}”不存在或不在您的管辖范围")
            )
            continue
        if parent_path not in managed_paths and parent_path not in pending_kinds:
            result.errors.append(
                RowError(number, "上级路径", f"上级“{parent_path}”不在您的管辖范围")
            )
            continue
        if parent_kind not in ALLOWED_PARENT_KINDS[kind]:
            result.errors.append(
                RowError(
                    number,
                    "类型",
                    f"{NodeKind(kind).label}不能建在{NodeKind(parent_kind).label}之下",
                )
            )
            continue
        full = f"{parent_path}/{name}"
        if full in pending_kinds:
            result.errors.append(RowError(number, "名称", f"“{full}”在文件中出现了两次"))
            continue
        if full in by_path:
            result.unchanged += 1
            continue
        pending_kinds[full] = kind
        planned.append((number, parent_path, name, kind))

    if result.errors:
        return result
    with transaction.atomic():
        for _number, parent_path, name, kind in planned:
            parent = by_path[parent_path]
            by_path[f"{parent_path}/{name}"] = node_create(
                actor=actor, kind=kind, name=name, parent=parent
            )
        result.created = len(planned)
        audit_record(
            actor=actor,
            action="core.node.import",
            node=next(iter(managed.values()), None),
            object_type="core.node",
            fields=["kind", "name", "parent"],
        )
    return result
