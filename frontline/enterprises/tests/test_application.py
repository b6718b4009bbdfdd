"""The 123456 application: self-assessment with evidence, the grid's item-by-item review,
returns with reasons per item kept round by round, the town's approval, 网上办/帮代办."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from frontline.enterprises import services
from frontline.enterprises.models import AppState, FilingMode, Heading
from frontline.enterprises.tests.factories import (
    application_filled,
    application_reviewed,
    checklist_make,
    enterprise_make,
    reviewer_make,
    sector_make,
    uscc_next,
)


@pytest.fixture
def own(world):
    """enterprise_demo's enterprise of the world (its contact holds the role there)."""
    return services.enterprise_register(
        actor=world.town_leader, node=world.enterprise, uscc=uscc_next(), sector=sector_make()
    )


def test_the_contact_files_online_and_a_cadre_files_by_proxy(world, own):
    online = services.application_start(actor=world.enterprise_contact, enterprise=own)
    assert online.mode == FilingMode.ONLINE
    other = enterprise_make(world)
    proxy = services.application_start(actor=world.town_leader, enterprise=other)
    assert proxy.mode == FilingMode.PROXY and proxy.filed_by == world.town_leader


def test_an_item_needing_evidence_is_refused_without_it_and_submit_names_the_gaps(world, own):
    items = checklist_make(world)
    app = services.application_start(actor=world.enterprise_contact, enterprise=own)
    needs = next(i for i in items if i.evidence_required)
    with pytest.raises(ValidationError, match="须填写佐证说明"):
        services.answer_save(
            actor=world.enterprise_contact, application=app, item=needs, meets=True
        )
    with pytest.raises(ValidationError, match="还有 6 项未落实或缺佐证"):
        services.application_submit(actor=world.enterprise_contact, application=app)
    assert app.answers.count() == 0


def test_return_keeps_each_round_and_the_fix_is_approved(world, own):
    items = checklist_make(world)
    app = application_filled(world, own, actor=world.enterprise_contact, items=items)
    services.application_submit(actor=world.enterprise_contact, application=app)
    grid = reviewer_make(world)
    loops = next(i for i in items if i.heading == Heading.LOOPS)
    verdicts = {i.pk: ("ok", "") for i in items}
    verdicts[loops.pk] = ("not_ok", "闭环管理台账不全")
    app = services.application_review(actor=grid, application=app, verdicts=verdicts)
    assert app.state == AppState.RETURNED and app.round == 2
    first = {a.item_id: a for a in app.answers.filter(round=1)}
    assert first[loops.pk].return_reason == "闭环管理台账不全"
    second = {a.item_id: a for a in app.answers.filter(round=2)}
    assert not second[loops.pk].meets and second[items[0].pk].meets
    with pytest.raises(ValidationError):
        services.application_submit(actor=world.enterprise_contact, application=app)
    services.answer_save(
        actor=world.enterprise_contact,
        application=app,
        item=loops,
        meets=True,
        evidence="补齐台账",
    )
    services.application_submit(actor=world.enterprise_contact, application=app)
    services.application_review(
        actor=grid, application=app, verdicts={i.pk: ("ok", "") for i in items}
    )
    app = services.application_approve(actor=world.town_leader, application=app)
    assert app.state == AppState.APPROVED and app.approved_on is not None
    assert app.answers.filter(round=1).count() == app.answers.filter(round=2).count() == 6


def test_the_town_returns_with_a_reason_per_item(world):
    enterprise = enterprise_make(world)
    app = application_reviewed(world, enterprise)
    item_id = app.answers.first().item_id
    with pytest.raises(ValidationError, match="请写明退回理由"):
        services.application_return(
            actor=world.town_leader, application=app, reasons={item_id: " "}
        )
    app = services.application_return(
        actor=world.town_leader, application=app, reasons={item_id: "防疫物资储备不足"}
    )
    assert app.state == AppState.RETURNED


def test_no_one_approves_their_own_enterprise_nor_skips_the_grid(world, own):
    app = application_filled(world, own)
    with pytest.raises(ValidationError, match="须先经网格审核"):
        services.application_approve(actor=world.town_leader, application=app)
    from frontline.core import services as core_services
    from frontline.core.roles import Role

    core_services.role_assign(
        actor=None, user=world.town_leader, role=Role.ENTERPRISE_CONTACT, node=own.node
    )
    services.application_submit(actor=world.town_leader, application=app)
    verdicts = {a.item_id: ("ok", "") for a in app.answers.all()}
    services.application_review(actor=reviewer_make(world), application=app, verdicts=verdicts)
    with pytest.raises(ValidationError, match="不能批准本人所在企业"):
        services.application_approve(actor=world.town_leader, application=app)


def test_the_pages_file_review_and_approve(world, own, login):
    items = checklist_make(world)
    client = login(world.enterprise_contact)
    client.post(reverse("enterprises:application_start", args=[own.pk]))
    app = own.application
    for item in items:
        client.post(
            reverse("enterprises:answer_save", args=[app.pk, item.pk]),
            {"meets": "1", "evidence": "已落实"},
        )
    client.post(reverse("enterprises:application_submit", args=[app.pk]))
    page = client.get(reverse("enterprises:application", args=[own.pk]))
    assert "待网格审核" in page.text and "网上办" in page.text
    grid = login(reviewer_make(world))
    body = {f"verdict_{i.pk}": "ok" for i in items}
    grid.post(reverse("enterprises:application_review", args=[app.pk]), body)
    town = login(world.town_leader)
    town.post(reverse("enterprises:application_approve", args=[app.pk]))
    page = town.get(reverse("enterprises:application", args=[own.pk]))
    assert "已批准复工" in page.text


def test_the_api_runs_the_same_flow(world, own, login):
    items = checklist_make(world)
    client = login(world.enterprise_contact)
    started = client.post(f"/api/v1/enterprises/{own.pk}/applications")
    assert started.status_code == 201 and started.json()["mode"] == "online"
    app_id = started.json()["id"]
    for item in items:
        put = client.put(
            f"/api/v1/applications/{app_id}/items/{item.pk}",
            {"meets": True, "evidence": "已落实"},
            content_type="application/json",
        )
        assert put.status_code == 200
    assert client.post(f"/api/v1/applications/{app_id}/submit").json()["state"] == "submitted"
    assert client.post(f"/api/v1/applications/{app_id}/approve").status_code == 404
    grid = login(reviewer_make(world))
    body = {"items": [{"item_id": items[0].pk, "verdict": "not_ok", "note": "健康卡未全员发放"}]}
    body["items"] += [{"item_id": i.pk, "verdict": "ok"} for i in items[1:]]
    reviewed = grid.post(
        f"/api/v1/applications/{app_id}/review", body, content_type="application/json"
    ).json()
    assert reviewed["state"] == "returned" and reviewed["round"] == 2
    reasons = [a["return_reason"] for a in reviewed["answers"] if a["round"] == 1]
    assert "健康卡未全员发放" in reasons


def test_a_returned_application_lists_what_to_fix_first(world, own, login):
    """The contact opens a returned application on a phone: the items sent back and why,
    above the thirty items, each a link to its place on the page."""
    items = checklist_make(world)
    app = application_filled(world, own, actor=world.enterprise_contact, items=items)
    services.application_submit(actor=world.enterprise_contact, application=app)
    loops = next(i for i in items if i.heading == Heading.LOOPS)
    verdicts = {i.pk: ("ok", "") for i in items}
    verdicts[loops.pk] = ("not_ok", "闭环管理台账不全")
    services.application_review(actor=reviewer_make(world), application=app, verdicts=verdicts)
    page = (
        login(world.enterprise_contact)
        .get(reverse("enterprises:application", args=[own.pk]))
        .content.decode()
    )
    summary = page[page.index('id="returned-items"') : page.index(f'id="item-{items[0].pk}"')]
    assert "退回修改的 1 项" in summary
    assert f'href="#item-{loops.pk}"' in summary and "闭环管理台账不全" in summary
    assert items[0].text not in summary
    # Approved or not yet returned: no such box.
    other = application_filled(world, enterprise_make(world))
    page = login(world.town_leader).get(
        reverse("enterprises:application", args=[other.enterprise_id])
    )
    assert 'id="returned-items"' not in page.content.decode()
