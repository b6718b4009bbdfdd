"""How a resident is shown: the same masked fields in list, detail, export and API (SECURITY 3)."""

from datetime import date

from django.utils import timezone

from frontline.core.models import NodeKind
from frontline.people.models import Resident


def age_on(birth: date | None, today: date) -> int | None:
    if birth is None:
        return None  # no ID number yet
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def resident_place(resident: Resident) -> str:
    """三店村·第一网格: grid names repeat in every village, so a grid carries its village."""
    node = resident.node
    if node.kind == NodeKind.GRID and node.parent_id:
        return f"{node.parent.name}·{node.name}"
    return node.name


def resident_masked(resident: Resident, today: date | None = None) -> dict:
    """The fields every user with people.view sees. No birth date: with the masked ID's
    region and last four digits it would rebuild the whole number; the age is enough."""
    today = today or timezone.localdate()
    return {
        "id": resident.pk,
        "name": resident.name,
        "id_number": resident.id_number_masked,
        "phone": resident.phone_masked,
        "gender": resident.get_gender_display(),
        "age": age_on(resident.birth_date, today),
        "address": resident.address,
        "node_id": resident.node_id,
        "node_name": resident.node.name,
        "place": resident_place(resident),
        "household_id": resident.household_id,
        "household_number": resident.household.number if resident.household_id else "",
        "relation": resident.get_relation_display() if resident.relation else "",
        # Callers prefetch tags for lists; one resident costs one query.
        "tags": [tag.name for tag in resident.tags.all()],
    }


EXPORT_HEADERS = [
    "姓名",
    "身份证号",
    "手机号",
    "性别",
    "年龄",
    "所在村/网格",
    "户号",
    "与户主关系",
    "住址",
    "标签",
]


def resident_export_row(resident: Resident, today: date) -> list:
    shown = resident_masked(resident, today)
    return [
        shown["name"],
        shown["id_number"],
        shown["phone"],
        shown["gender"],
        shown["age"],
        shown["place"],
        shown["household_number"],
        shown["relation"],
        shown["address"],
        "、".join(shown["tags"]),
    ]
