"""What an app declares to import a spreadsheet: `Importer`, its URL names, and the
`Sorter` its classification writes to (the package docstring has an example)."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from django.core.exceptions import PermissionDenied

from frontline.core.scoping import user_can
from frontline.core.spreadsheets import RowError

if TYPE_CHECKING:
    from frontline.core.models import Node, User
    from frontline.core.staged_import.models import StagedImport
    from frontline.core.staged_import.sealed import Sections


@dataclass(frozen=True)
class ImportUrls:
    """The URL names of one importer's pages, within its app's namespace."""

    namespace: str
    upload: str
    template: str
    preview: str
    errors: str
    commit: str

    @classmethod
    def named(cls, namespace: str, prefix: str) -> "ImportUrls":
        """`party`, `member_import` → party:member_import_upload, …_template, …_preview …"""
        return cls(
            namespace,
            f"{prefix}_upload",
            f"{prefix}_template",
            f"{prefix}_preview",
            f"{prefix}_errors",
            f"{prefix}_commit",
        )

    def of(self, page: str) -> str:
        """The namespaced name of one page: `people:import_preview`."""
        return f"{self.namespace}:{getattr(self, page)}"


@dataclass
class Counts:
    """What a preview found, as the preview page and the API report it."""

    total: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    bad: int = 0
    warnings: int = 0
    errors: list[dict] = field(default_factory=list)
    warning_list: list[dict] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)


class Sorter:
    """What `Importer.classify` writes to: each good row is new, updated or unchanged
    (or skipped, or bad after all), and what the commit will need goes into a sealed
    section. Implemented by the pipeline's preview."""

    counts: Counts

    def writer(self, section: str) -> Any:
        """The sealed section's writer: `.add(item)` for each JSON-able item (hot loops
        keep `add` at hand instead of calling `write`)."""
        raise NotImplementedError

    def write(self, section: str, item: Any) -> None:
        """Seal one item (a list of JSON values) into a section for the commit."""
        self.writer(section).add(item)

    def bad(self, errors: list[RowError], raw: list[Any]) -> None:
        """A row that passed its own checks but not the comparison with stored data."""
        raise NotImplementedError

    def warn(self, row: int, column: str, message: str) -> None:
        """A note on a good row (shown, not blocking). Plain values, not a RowError: a
        roster whose every ID has an unknown region code warns on every row."""
        raise NotImplementedError

    def skip(self, row: int, message: str, url: str = "") -> None:
        """A good row left out on purpose (counted as unchanged), listed on the preview."""
        raise NotImplementedError


class Importer:
    """One kind of spreadsheet an app imports. Subclass it, set the attributes, write
    `check` and `commit`; the pipeline does the rest (see the package docstring).

    An instance serves one upload or one commit, for one actor: state the checks need
    (places by name, what a batch found) lives on it.
    """

    # Templates must not call the class (it would make an instance).
    do_not_call_in_templates = True

    key: ClassVar[str]  # "<app>.<entity>": stored with each preview; the audit actions'
    # prefix ("people.roster" → "people.roster.import", "people.roster.errors_export")
    title: ClassVar[str]  # what the file is, in Chinese: "花名册" (导入花名册, 花名册预览)
    permission: ClassVar[str]  # to upload, see one's previews and commit them
    refusal: ClassVar[str] = "没有导入的权限"
    urls: ClassVar[ImportUrls]
    done_url: ClassVar[str]  # URL name a commit lands on (and the upload page's back link)
    done_label: ClassVar[str]  # that page's name, for the back link
    # Our field → the header spellings cadres use; the first is the template's and the one
    # errors name. Compared without spaces, '*' or line breaks, full-width folded.
    columns: ClassVar[dict[str, tuple[str, ...]]]
    required: ClassVar[tuple[str, ...]] = ()
    example_rows: ClassVar[list[list[Any]]] = []  # the template workbook's rows
    max_bytes: ClassVar[int] = 10 * 1024 * 1024
    max_rows: ClassVar[int | None] = None
    # The commit's sealed sections, in any order; `sections.frames(name)` reads one back.
    sections: ClassVar[tuple[str, ...]] = ("rows",)
    # The preview's figures: counts by key (total, new, updated, unchanged, bad) and labels.
    stats: ClassVar[tuple[tuple[str, str], ...]] = (
        ("new", "新增"),
        ("updated", "更新"),
        ("unchanged", "未变"),
        ("bad", "有误"),
    )
    audit_fields: ClassVar[tuple[str, ...]] = ()  # field names a commit writes
    export_fields: ClassVar[tuple[str, ...]] = ()  # personal fields in the error workbook
    heading: ClassVar[str] = ""  # the upload page's title; default 从 Excel 导入<title>
    file_label: ClassVar[str] = ""  # default <title>文件（.xlsx 或 .csv）
    help_template: ClassVar[str] = ""  # steps shown above the upload form; default generic
    skipped_title: ClassVar[str] = "以下行不需要导入"
    # A commit the database refuses (a record stored since the preview): nothing is written.
    changed_since: ClassVar[str] = "预览之后数据已有变化（可能有人同时登记了同一条），请重新上传"
    unit: ClassVar[str] = "行"  # what a row is, counted: 人, 名重点人员

    def __init__(self, actor: "User") -> None:
        if not user_can(actor, self.permission):
            raise PermissionDenied(self.refusal)
        self.actor = actor
        self.node: Node | None = None  # where the import belongs: the actor's outermost node

    # ------------------------------------------------------------ what an app writes

    def start(self, mapping: dict[str, int]) -> None:
        """Get ready for the rows once the header is found (`mapping`: field → column
        index); raise UploadRejected to refuse the file as a whole."""
        self.mapping = mapping

    def check(self, number: int, raw: list[Any]) -> Any:
        """One row (`number` as Excel numbers it): the checked row (anything but a list:
        a tuple, a dict, an object), its errors as a list of RowError (column label,
        Chinese message), or None for an empty row. Called for every row: keep it lean."""
        raise NotImplementedError

    def classify(self, rows: list[tuple[Any, list[Any]]], out: Sorter) -> None:
        """Sort a batch of checked rows (with their raw cells) against stored data, with
        one query a batch, into `out`. By default every row is new, sealed as `sealed`
        gives it into the first section."""
        add = out.writer(self.sections[0]).add
        for row, _raw in rows:
            out.counts.new += 1
            add(self.sealed(row))

    def sealed(self, row: Any) -> Any:
        """A checked row as the commit will read it back (JSON values)."""
        return row

    def commit(self, staged: "StagedImport", sections: "Sections") -> None:
        """Write the sealed rows. Runs inside the commit's transaction, after the checks
        that the preview is the actor's, clean and not yet committed; raise
        ValidationError (in Chinese) to write nothing."""
        raise NotImplementedError

    # ------------------------------------------------------------ words, with defaults

    @classmethod
    def labels(cls) -> dict[str, str]:
        """Each column's label: the first of its spellings."""
        return {key: spellings[0] for key, spellings in cls.columns.items()}

    def audit_reason(self, staged: "StagedImport") -> str:
        return f"新增 {staged.new_count}，更新 {staged.updated_count}"

    def confirm_text(self, staged: "StagedImport") -> str:
        """Above the confirm button of a clean preview."""
        unit = self.unit
        return (
            f"共 {staged.total_rows} 行全部通过检查。确认后将一次性写入：新增 "
            f"{staged.new_count} {unit}，更新 {staged.updated_count} {unit}。"
        )

    def confirm_button(self, staged: "StagedImport") -> str:
        return "确认导入"

    def nothing_text(self, staged: "StagedImport") -> str:
        """A clean preview with nothing to write."""
        return f"文件中的 {staged.total_rows} 行都已存在且没有变化，不需要导入。"

    def success_message(self, staged: "StagedImport") -> str:
        unit = self.unit
        return (
            f"已导入：新增 {staged.new_count} {unit}，更新 {staged.updated_count} {unit}，"
            f"未变 {staged.unchanged_count} {unit}"
        )

    def has_work(self, staged: "StagedImport") -> bool:
        """Whether a clean preview has anything to write."""
        return bool(staged.new_count or staged.updated_count)

    @classmethod
    def missing_columns(cls, labels: Iterable[str]) -> str:
        names = "、".join(labels)
        return f"找不到必需的列：{names}。请使用下载的模板，或把表头改成模板中的列名。"
