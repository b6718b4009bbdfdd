"""The registry pages and API: scope, masks everywhere, search without IDs in URLs,
unmask with a reason, export (SECURITY 1-7, 9, 23)."""

import io
import logging

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from python_calamine import CalamineWorkbook

from frontline.core.models import AuditEvent, NodeKind
from frontline.core.services import node_create
from frontline.people.models import Resident, Tag
from frontline.people.tests.factories import id_number_next, resident_make

ID = id_number_next()


@pytest.fixture
def wang(world) -> Resident:
    resident = resident_make(
        world.sandian_grid, name="王秀英", id_number=ID, phone="13800138000", household_number="8"
    )
    resident.tags.add(Tag.objects.get(name="孤寡老人"))
    return resident


def _masked_id() -> str:
    return ID[:6] + "********" + ID[-4:]


def test_a_cadre_lists_own_village_only_and_a_town_leader_both(world, login, wang):
    resident_make(world.zhengyuan, name="郑大海")
    cadre_page = login(world.cadre_sandian).get(reverse("people:list")).content.decode()
    assert "王秀英" in cadre_page and "郑大海" not in cadre_page
    leader_page = login(world.town_leader).get(reverse("people:list")).content.decode()
    assert "王秀英" in leader_page and "郑大海" in leader_page


def test_the_list_costs_the_same_queries_however_many_grids_the_filter_offers(world, login, wang):
    client = login(world.town_leader)
    client.get(reverse("people:list"))  # warm: session, role paths

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            page = client.get(reverse("people:list")).content.decode()
        assert "三店村·" in page  # grids are offered as 村·网格
        return len(captured.captured_queries)

    before = queries()
    for number in range(6):
        node_create(actor=None, kind=NodeKind.GRID, name=f"新网格{number}", parent=world.sandian)
    assert queries() == before


def test_the_outsider_and_an_enterprise_contact_see_no_residents(world, login, wang):
    assert "王秀英" not in login(world.outsider).get(reverse("people:list")).content.decode()
    assert login(world.enterprise_contact).get(reverse("people:list")).status_code == 404


def test_list_detail_api_and_export_show_the_same_masked_fields(world, login, wang):
    client = login(world.cadre_sandian)
    masked = _masked_id()
    pages = [
        client.get(reverse("people:list")).content.decode(),
        client.get(reverse("people:detail", args=[wang.pk])).content.decode(),
        client.get(reverse("people:household", args=[wang.household_id])).content.decode(),
        client.get(f"/api/v1/people/{wang.pk}").content.decode(),
        client.get("/api/v1/people").content.decode(),
    ]
    for page in pages:
        assert masked in page and "138****8000" in page
        assert ID not in page and "13800138000" not in page
        assert ID[6:14] not in page  # no birth date digits anywhere
    export = client.post(reverse("people:export"))
    rows = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(export.streaming_content)))
    data = rows.get_sheet_by_index(0).to_python()
    assert data[1][:3] == ["王秀英", masked, "138****8000"]


def test_the_api_answers_the_masked_fields(world, login, wang):
    body = login(world.cadre_sandian).get(f"/api/v1/people/{wang.pk}").json()
    assert body["id_number"] == _masked_id()
    assert body["phone"] == "138****8000"
    assert body["tags"] == ["孤寡老人"]
    assert "birth_date" not in body


@pytest.mark.parametrize(
    "typed",
    [
        ID,
        f"{ID[:6]} {ID[6:14]} {ID[14:]}",
        "".join(chr(ord(c) + 0xFEE0) for c in ID),
        "8000",
        "13800138000",
        "+86 138-0013-8000",
        "王秀",
    ],
)
def test_search_finds_by_name_phone_tail_whole_phone_or_id_in_any_spelling(
    world, login, wang, typed
):
    resident_make(world.sandian, name="李四", phone="13900139001")
    response = login(world.cadre_sandian).post(reverse("people:list"), {"q": typed}, follow=True)
    page = response.content.decode()
    assert "王秀英" in page and "李四" not in page
    for hop, _status in response.redirect_chain:
        assert ID not in hop and "13800138000" not in hop and "8613800138000" not in hop


def test_an_id_search_is_answered_without_a_redirect_so_it_never_enters_a_url(world, login, wang):
    response = login(world.cadre_sandian).post(reverse("people:list"), {"q": ID})
    assert response.status_code == 200
    assert "王秀英" in response.content.decode()


def test_an_id_searched_with_a_place_outside_scope_is_refused_without_a_redirect(
    world, login, wang
):
    # Found by the scoping walk: the invalid form used to redirect with the ID in the URL.
    resident_make(world.zhengyuan, name="郑大海")
    response = login(world.cadre_sandian).post(
        reverse("people:list"), {"q": ID, "node": world.zhengyuan.pk}
    )
    assert response.status_code == 422 and not response.has_header("Location")
    assert "郑大海" not in response.content.decode()


def test_an_id_put_into_a_url_is_not_used(world, login, wang):
    response = login(world.cadre_sandian).get(reverse("people:list"), {"q": ID}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("people:list")
    assert "不要放在网址里" in response.content.decode()


def test_the_api_refuses_a_whole_id_in_the_query_string_and_finds_it_by_post(world, login, wang):
    client = login(world.cadre_sandian)
    assert client.get("/api/v1/people", {"q": ID}).status_code == 400
    found = client.post("/api/v1/people/search", {"q": ID.lower()}, content_type="application/json")
    assert [item["name"] for item in found.json()["items"]] == ["王秀英"]


def test_no_id_or_phone_reaches_a_log_line(world, login, wang, caplog):
    client = login(world.cadre_sandian)
    with caplog.at_level(logging.DEBUG):
        client.post(reverse("people:list"), {"q": ID})
        client.get(reverse("people:list"), {"q": ID})
        client.get("/api/v1/people", {"q": ID})
        client.post(reverse("people:create"), {"name": "x", "id_number": ID, "node": 999})
        client.post(reverse("people:unmask", args=[wang.pk]), {"reason": "核对身份"})
    text = "\n".join(record.getMessage() for record in caplog.records)
    assert ID not in text and "13800138000" not in text


def test_filters_by_node_and_tag(world, login, wang):
    resident_make(world.sandian, name="李四")
    client = login(world.cadre_sandian)
    by_grid = client.get(reverse("people:list"), {"node": world.sandian_grid.pk}).content.decode()
    assert "王秀英" in by_grid and "李四" not in by_grid
    tag = Tag.objects.get(name="孤寡老人")
    by_tag = client.get(reverse("people:list"), {"tag": tag.pk}).content.decode()
    assert "王秀英" in by_tag and "李四" not in by_tag


def test_the_count_stops_at_the_cap(world, login, wang, monkeypatch):
    from frontline.core import paging

    monkeypatch.setattr(paging, "COUNT_CAP", 3)
    for n in range(4):
        resident_make(world.sandian, name=f"居民{n}")
    page = login(world.cadre_sandian).get(reverse("people:list")).content.decode()
    assert "超过 3 人" in page


def test_creating_a_resident_from_the_page(world, login):
    client = login(world.cadre_sandian)
    tag = Tag.objects.get(name="党员")
    response = client.post(
        reverse("people:create"),
        {
            "name": "周 明",
            "id_number": ID.lower(),
            "phone": "１３９００１３９０００",
            "node": world.sandian_grid.pk,
            "household_number": "12",
            "relation": "head",
            "tags": [tag.pk],
        },
    )
    resident = Resident.objects.get()
    assert response["Location"] == reverse("people:detail", args=[resident.pk])
    assert resident.phone == "+8613900139000" and list(resident.tags.all()) == [tag]


def test_a_bad_id_on_the_form_is_a_422_naming_the_field(world, login):
    response = login(world.cadre_sandian).post(
        reverse("people:create"),
        {"name": "周明", "id_number": "320721199001011230", "node": world.sandian.pk},
    )
    assert response.status_code == 422
    assert "校验位" in response.content.decode()
    assert Resident.objects.count() == 0


def test_the_edit_form_shows_masks_and_saving_them_keeps_the_stored_numbers(world, login, wang):
    client = login(world.cadre_sandian)
    form = client.get(reverse("people:edit", args=[wang.pk])).content.decode()
    assert f'value="{_masked_id()}"' in form and ID not in form
    response = client.post(
        reverse("people:edit", args=[wang.pk]),
        {
            "name": "王秀英",
            "id_number": _masked_id(),
            "phone": "138****8000",
            "node": world.sandian_grid.pk,
            "household_number": "8",
            "address": "新地址",
        },
    )
    assert response.status_code == 302
    wang.refresh_from_db()
    assert wang.id_number == ID and wang.phone == "+8613800138000" and wang.address == "新地址"


def test_the_api_patch_with_masks_keeps_the_stored_numbers(world, login, wang):
    client = login(world.cadre_sandian)
    response = client.patch(
        f"/api/v1/people/{wang.pk}",
        {"id_number": _masked_id(), "phone": "138****8000", "notes": "独居"},
        content_type="application/json",
    )
    assert response.status_code == 200
    wang.refresh_from_db()
    assert wang.id_number == ID and wang.notes == "独居"


def test_unmasking_asks_for_a_reason_shows_the_numbers_and_is_audited(world, login, wang):
    client = login(world.cadre_sandian)
    refused = client.post(reverse("people:unmask", args=[wang.pk]), {"reason": ""})
    assert refused.status_code == 422 and ID not in refused.content.decode()
    shown = client.post(reverse("people:unmask", args=[wang.pk]), {"reason": "上门核对身份"})
    page = shown.content.decode()
    assert ID in page and "13800138000" in page
    event = AuditEvent.objects.get(action="people.resident.unmask")
    assert event.reason == "上门核对身份" and event.actor == world.cadre_sandian
    assert ID not in str(event.__dict__) and "王秀英" not in str(event.__dict__)


def test_a_grid_worker_sees_masks_and_no_unmask_button(world, login, wang):
    client = login(world.grid_sandian)
    page = client.get(reverse("people:detail", args=[wang.pk])).content.decode()
    assert _masked_id() in page and "说明理由并查看" not in page
    assert (
        client.post(reverse("people:unmask", args=[wang.pk]), {"reason": "看看"}).status_code == 404
    )


def test_the_api_unmask_needs_a_reason(world, login, wang):
    client = login(world.cadre_sandian)
    url = f"/api/v1/people/{wang.pk}/unmask"
    assert client.post(url, {}, content_type="application/json").status_code == 422
    body = client.post(url, {"reason": "电话联系"}, content_type="application/json").json()
    assert body == {"id_number": ID, "phone": "13800138000"}


def test_an_export_is_audited_without_names_or_numbers(world, login, wang):
    login(world.cadre_sandian).post(reverse("people:export"), {"q": ID})
    event = AuditEvent.objects.get(action="people.roster.export")
    assert ID not in str(event.__dict__) and "王秀英" not in str(event.__dict__)


def test_export_cells_that_look_like_formulas_are_written_as_text(world, login):
    resident_make(world.sandian, name="=HYPERLINK(1)", address=" +SUM(A1)")
    export = login(world.cadre_sandian).post(reverse("people:export"))
    data = (
        CalamineWorkbook.from_filelike(io.BytesIO(b"".join(export.streaming_content)))
        .get_sheet_by_index(0)
        .to_python()
    )
    assert data[1][0] == "'=HYPERLINK(1)"
    assert data[1][8] == "'+SUM(A1)"


def test_a_grid_worker_may_not_export(world, login, wang):
    assert login(world.grid_sandian).post(reverse("people:export")).status_code == 404


def test_the_household_page_lists_its_members(world, login, wang):
    resident_make(world.sandian, name="王小明", household_number="8", relation="grandchild")
    page = login(world.cadre_sandian).get(reverse("people:household", args=[wang.household_id]))
    text = page.content.decode()
    assert "王秀英" in text and "王小明" in text and "孙辈" in text


def test_an_admin_adds_a_tag_and_a_cadre_may_not(world, login):
    assert login(world.admin).post(reverse("people:tags"), {"name": "密接"}).status_code == 302
    assert Tag.objects.filter(name="密接").exists()
    assert login(world.cadre_sandian).get(reverse("people:tags")).status_code == 404


def test_the_cadre_home_card_and_navigation_lead_to_the_roster(world, login):
    page = login(world.cadre_sandian).get(reverse("core:home")).content.decode()
    assert f'href="{reverse("people:list")}"' in page
    assert "人员花名册" in page


def test_the_api_creates_a_resident_and_rejects_a_duplicate(world, login, wang):
    client = login(world.cadre_sandian)
    payload = {"name": "赵六", "id_number": id_number_next(), "node": world.sandian.pk}
    created = client.post("/api/v1/people", payload, content_type="application/json")
    assert created.status_code == 201 and "****" in created.json()["id_number"]
    duplicate = client.post(
        "/api/v1/people", {**payload, "id_number": ID}, content_type="application/json"
    )
    assert duplicate.status_code == 422 and "已登记" in duplicate.json()["detail"]


def test_a_grid_worker_opens_the_household_of_a_resident_of_the_grid(world, login, wang):
    client = login(world.grid_sandian)
    page = client.get(reverse("people:household", args=[wang.household_id]))
    assert page.status_code == 200 and "王秀英" in page.content.decode()
    elsewhere = resident_make(world.sandian, name="村里人", household_number="99")
    assert client.get(reverse("people:household", args=[elsewhere.household_id])).status_code == 404
