"""A tiny importer for the staged-import tests: grids under the admin's village, declared
as any app would declare one, and a URL conf that mounts its pages beside the project's."""

from typing import Any

from django.urls import include, path

from config.urls import urlpatterns as project_urls
from frontline.core.cells import cell_text
from frontline.core.models import NodeKind
from frontline.core.services import node_create
from frontline.core.spreadsheets import RowError
from frontline.core.staged_import import Importer, ImportUrls, Sections
from frontline.core.staged_import.views import staged_import_urls


class GridImporter(Importer):
    key = "core.grid"
    title = "网格清单"
    permission = "nodes.manage"
    urls = ImportUrls.named("grids", "grid_import")
    done_url, done_label = "core:node_list", "辖区"
    columns = {
        "name": ("网格名称", "名称"),
        "households": ("户数", "住户数"),
        "note": ("备注", "说明"),
    }
    required = ("name",)
    example_rows = [["第二网格", 120, ""]]
    audit_fields = ("name",)
    export_fields = ("name",)

    def check(self, number: int, raw: list[Any]) -> tuple | list[RowError] | None:
        cells = {key: cell_text(raw[i]) if i < len(raw) else "" for key, i in self.mapping.items()}
        if not any(cells.values()):
            return None
        errors = []
        if not cells["name"]:
            errors.append(RowError(number, "网格名称", "网格名称不能为空"))
        households = cells.get("households", "")
        if households and not households.isdigit():
            errors.append(RowError(number, "户数", "户数必须是整数"))
        return errors or (number, cells["name"])

    def commit(self, staged: Any, sections: Sections) -> None:
        for _number, name in sections.rows("rows"):
            node_create(actor=self.actor, kind=NodeKind.GRID, name=name, parent=self.node)


urlpatterns = [
    path("grids/", include((staged_import_urls(GridImporter, "import/"), "grids"))),
    *project_urls,
]
