"""The family-event and care-visit forms find a resident by name or phone tail only: a
whole phone or ID is refused before any lookup, in the same words whether or not such a
person exists, so a volunteer without the roster cannot learn whose number it is."""

import pytest
from django.urls import reverse
from django.utils import timezone

from frontline.community.models import CareVisit, FamilyEvent
from frontline.people.tests.factories import resident_make

pytestmark = pytest.mark.django_db

PHONE, ID_NUMBER = "13917425235", "320707197302077716"
UNKNOWN_PHONE, UNKNOWN_ID = "13811112222", "11010519491231002X"
REFUSED = "完整的手机号或身份证号不能在这里查找"


def _forms():
    today = timezone.localdate().isoformat()
    return [
        (
            reverse("community:family_event_new"),
            {"kind": "funeral_simplified", "planned_on": today},
            FamilyEvent,
        ),
        (
            reverse("community:care_visit_new"),
            {"day": today, "visitor_name": "孙志强", "temperature": "36.4"},
            CareVisit,
        ),
    ]


@pytest.mark.parametrize(("known", "unknown"), [(PHONE, UNKNOWN_PHONE), (ID_NUMBER, UNKNOWN_ID)])
def test_a_whole_number_is_refused_alike_whether_or_not_someone_has_it(
    known, unknown, world, login
):
    resident_make(world.sandian_grid, name="丁小庆", id_number=ID_NUMBER, phone=PHONE)
    client = login(world.volunteer_sandian)
    for url, body, model in _forms():
        answers = [client.post(url, {**body, "resident_name": n}) for n in (known, unknown)]
        assert [a.status_code for a in answers] == [422, 422], url
        errors = [a.context["form"].errors["resident_name"] for a in answers]
        assert errors[0] == errors[1] and REFUSED in errors[0][0]
        assert all("丁小庆" not in a.text and "第一网格" not in a.text for a in answers)
        assert not model.objects.exists()


def test_a_name_or_a_phone_tail_still_finds_the_resident(world, login):
    resident_make(world.sandian_grid, name="丁小庆", id_number=ID_NUMBER, phone=PHONE)
    client = login(world.volunteer_sandian)
    for (url, body, model), text in zip(_forms(), ("丁小庆", "5235"), strict=True):
        assert client.post(url, {**body, "resident_name": text}).status_code == 302
        assert model.objects.get().resident.name == "丁小庆"
