"""The registry: credit codes checked as people copy them, sectors, bounded headcounts,
the list's filters and an enterprise contact who sees only their own enterprise."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from frontline.core import services as core_services
from frontline.core.models import NodeKind
from frontline.enterprises import services
from frontline.enterprises.models import uscc_normalise
from frontline.enterprises.tests.factories import (
    application_reviewed,
    enterprise_make,
    sector_make,
    uscc_next,
)


def _node(world, name="新登记企业有限公司"):
    return core_services.node_create(
        actor=None, kind=NodeKind.ENTERPRISE, name=name, parent=world.enterprise_grid
    )


def test_a_wrong_check_character_is_named(world):
    code = uscc_next()
    wrong = code[:-1] + ("A" if code[-1] != "A" else "B")
    with pytest.raises(ValidationError) as refused:
        services.enterprise_register(
            actor=world.town_leader, node=_node(world), uscc=wrong, sector=sector_make()
        )
    assert f"第 18 位应为“{code[-1]}”" in str(refused.value)


def test_a_code_typed_in_full_width_with_spaces_is_stored_normalised(world):
    code = uscc_next()
    typed = " ".join(code[i : i + 6] for i in range(0, 18, 6)).lower()
    typed = typed.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
    enterprise = services.enterprise_register(
        actor=world.town_leader, node=_node(world), uscc=typed, sector=sector_make()
    )
    assert enterprise.uscc == code == uscc_normalise(typed)


def test_headcount_out_of_range_and_second_record_are_refused(world):
    node = _node(world)
    with pytest.raises(ValidationError, match="100000"):
        services.enterprise_register(
            actor=world.town_leader,
            node=node,
            uscc=uscc_next(),
            sector=sector_make(),
            planned_headcount=200_000,
        )
    services.enterprise_register(
        actor=world.town_leader, node=node, uscc=uscc_next(), sector=sector_make()
    )
    with pytest.raises(ValidationError, match="已经建档"):
        services.enterprise_register(
            actor=world.town_leader, node=node, uscc=uscc_next(), sector=sector_make()
        )


def test_only_an_enterprise_node_gets_a_record(world):
    with pytest.raises(ValidationError, match="只能为企业节点建档"):
        services.enterprise_register(
            actor=world.town_leader, node=world.sandian, uscc=uscc_next(), sector=sector_make()
        )


def test_the_contact_sees_only_their_enterprise(world, login):
    own = services.enterprise_register(
        actor=world.town_leader, node=world.enterprise, uscc=uscc_next(), sector=sector_make()
    )
    other = enterprise_make(world, name="别家机械有限公司")
    client = login(world.enterprise_contact)
    page = client.get(reverse("enterprises:list"))
    assert own.node.name in page.text and "别家机械有限公司" not in page.text
    assert client.get(reverse("enterprises:detail", args=[other.pk])).status_code == 404
    assert client.get(f"/api/v1/enterprises/{other.pk}").status_code == 404
    listed = client.get("/api/v1/enterprises").json()
    assert [row["name"] for row in listed["items"]] == [own.node.name]


def test_the_list_filters_by_sector_and_status(world, login):
    key = sector_make("医疗器械与防疫物资", is_key=True)
    a = enterprise_make(world, name="甲医疗器械有限公司", sector=key)
    enterprise_make(world, name="乙机械有限公司")
    application_reviewed(world, a)
    client = login(world.town_leader)
    by_sector = client.get(reverse("enterprises:list"), {"sector": key.pk})
    assert "甲医疗器械有限公司" in by_sector.text and "乙机械有限公司" not in by_sector.text
    assert "重点行业" in by_sector.text
    api = client.get("/api/v1/enterprises", {"status": "reviewed"}).json()
    assert [row["name"] for row in api["items"]] == ["甲医疗器械有限公司"]
    none = client.get("/api/v1/enterprises", {"status": "none"}).json()
    assert [row["name"] for row in none["items"]] == ["乙机械有限公司"]


def test_the_list_counts_what_it_shows_and_a_status_costs_no_second_count(world, login):
    key = sector_make("医疗器械与防疫物资", is_key=True)
    for name in ("甲有限公司", "乙有限公司"):
        application_reviewed(world, enterprise_make(world, name=name, sector=key))
    enterprise_make(world, name="丙有限公司")
    client = login(world.town_leader)
    url = reverse("enterprises:list")
    with CaptureQueriesContext(connection) as queries:
        reviewed = client.get(url, {"status": "reviewed"})
    assert "共 2 家" in reviewed.text and "丙有限公司" not in reviewed.text
    # The chips counted the rows by status: the page does not count them again.
    assert not [q for q in queries.captured_queries if "COUNT(*)" in q["sql"]]
    assert "共 3 家" in client.get(url).text
    assert "共 1 家" in client.get(url, {"status": "none"}).text
    assert "共 0 家" in client.get(url, {"status": "reviewed", "q": "丙"}).text
    assert "共 2 家" in client.get(url, {"sector": key.pk}).text


def test_the_contact_may_change_headcounts_but_not_the_code(world, login):
    enterprise = services.enterprise_register(
        actor=world.town_leader, node=world.enterprise, uscc=uscc_next(), sector=sector_make()
    )
    client = login(world.enterprise_contact)
    ok = client.patch(
        f"/api/v1/enterprises/{enterprise.pk}",
        {"onsite_headcount": 42},
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["onsite_headcount"] == 42
    refused = client.patch(
        f"/api/v1/enterprises/{enterprise.pk}",
        {"uscc": uscc_next()},
        content_type="application/json",
    )
    assert refused.status_code == 422
    too_many = client.patch(
        f"/api/v1/enterprises/{enterprise.pk}",
        {"onsite_headcount": 10_000_000},
        content_type="application/json",
    )
    assert too_many.status_code == 422


def test_the_export_holds_the_filtered_list_formula_safe_and_audited(world, login):
    import io

    from python_calamine import CalamineWorkbook

    from frontline.core.models import AuditEvent

    enterprise_make(world, name="=HYPERLINK(1)机械有限公司")
    enterprise_make(world, name="乙机械有限公司")
    client = login(world.town_leader)
    response = client.get(reverse("enterprises:export"), {"q": "HYPERLINK"})
    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    rows = book.get_sheet_by_index(0).to_python()
    assert len(rows) == 2 and rows[1][0] == "'=HYPERLINK(1)机械有限公司"
    assert AuditEvent.objects.filter(action="enterprises.enterprise.export").count() == 1
    # Unfiltered by place, the sheet is logged at the exporter's root (the audit page
    # lists by node: a row without one was seen by nobody).
    client.get(reverse("enterprises:export"))
    assert set(
        AuditEvent.objects.filter(action="enterprises.enterprise.export").values_list(
            "node_id", flat=True
        )
    ) == {world.town.pk}
