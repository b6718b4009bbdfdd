"""Key persons, isolations and lead lists for tests, made through the services as cadres
make them."""

from datetime import timedelta

from django.utils import timezone

from frontline.control import lead_import, services
from frontline.control.models import Isolation, KeyPerson, KeyPersonCategory
from frontline.core.models import Node, User
from frontline.core.staged_import.models import StagedImport
from frontline.core.staged_import.pipeline import staged_preview
from frontline.people.tests.factories import id_number_next, resident_make
from frontline.people.tests.rosters import xlsx_make

LEAD_HEADERS = [
    "姓名",
    "身份证号码",
    "联系电话",
    "村",
    "网格",
    "住址",
    "类别",
    "来源地",
    "抵达日期",
]


def category_make(name: str = "密切接触者") -> KeyPersonCategory:
    # get_or_create: a transactional test's flush empties the seeded categories.
    return KeyPersonCategory.objects.get_or_create(name=name)[0]


def key_person_make(world, node: Node, name: str, *, category=None, **fields) -> KeyPerson:
    """A resident of `node` registered as a key person by the world's admin."""
    return services.key_person_register(
        actor=world.admin,
        resident=resident_make(node=node, name=name, **fields),
        category=category or category_make(),
    )


def isolation_make(
    world, node: Node, name: str, *, days_ago: int = 3, category=None, **fields
) -> Isolation:
    """A resident of `node` registered as a key person and isolated `days_ago` days ago."""
    person = key_person_make(world, node, name, category=category, **fields)
    return services.isolation_start(
        actor=world.admin,
        key_person=person,
        address=f"{node.name}1组{days_ago}号",
        start_date=timezone.localdate() - timedelta(days=days_ago),
    )


def lead_make(actor: User, village: str, grid: str = "第一网格") -> StagedImport:
    """A previewed lead list of one new person, uploaded by `actor`."""
    row = [
        "流调人",
        id_number_next(),
        "13800138000",
        village,
        grid,
        f"{village}1组",
        "密切接触者",
        "湖北省武汉市",
        (timezone.localdate() - timedelta(days=3)).isoformat(),
    ]
    upload = xlsx_make([LEAD_HEADERS, row], name="leads.xlsx")
    return staged_preview(
        importer=lead_import.LeadListImporter, actor=actor, upload=upload, filename="leads.xlsx"
    )
