"""Role home pages, the visible tree through the API (SECURITY 2 for the tree)."""

import pytest
from django.urls import reverse

from frontline.core import views
from frontline.core.models import Node
from frontline.core.registry import HomeCard, registry
from frontline.core.roles import Role


def test_a_cadres_home_links_to_the_days_work(world, login):
    page = login(world.cadre_sandian).get(reverse("core:home")).content.decode()
    assert "三店村 · 村干部" in page
    for url in (
        reverse("people:list"),
        reverse("control:key_person_list"),
        reverse("screening:board"),
    ):
        assert f'href="{url}"' in page
    # No user management in a cadre's navigation (their own account is linked, as to all).
    assert f'href="{reverse("core:user_list")}"' not in page


def test_every_announced_card_is_built():
    """No home page shows 建设中: each card core announced has an app that built it."""
    assert [card.key for card in registry().home_cards.values() if card.placeholder] == []


def test_work_not_built_yet_says_so(world, login, monkeypatch):
    """Should a card be announced before its page exists, its users read 建设中 on a card
    that links nowhere, never a dead link."""
    announced = HomeCard("later.work", "以后的工作", "还没有页面", roles={Role.CADRE: 1})
    built = views.home_cards_for
    monkeypatch.setattr(views, "home_cards_for", lambda roles: [announced, *built(roles)])
    page = login(world.cadre_sandian).get(reverse("core:home")).content.decode()
    title = page.index("以后的工作")
    card = page[page.rindex("task-card", 0, title) : page.index("还没有页面")]
    assert "建设中" in card and "href" not in card


def test_an_admins_home_links_to_the_admin_pages(world, login):
    page = login(world.admin).get(reverse("core:home")).content.decode()
    for url in (reverse("core:node_list"), reverse("core:user_list"), reverse("core:audit_list")):
        assert f'href="{url}"' in page


def test_the_counts_on_a_leaders_home_are_the_towns(world, login):
    stats = login(world.town_leader).get(reverse("core:home")).context["stats"]
    assert stats == [("镇/街道/开发区", 1), ("村/社区", 2), ("网格", 3), ("企业", 1)]


def _api_node_names(client, **params) -> set[str]:
    names, offset = set(), 0
    while True:
        body = client.get(reverse("api:node_list"), {**params, "offset": offset}).json()
        names |= {item["name"] for item in body["items"]}
        offset += len(body["items"])
        if offset >= body["count"] or not body["items"]:
            return names


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("cadre_sandian", {"三店村", "第一网格"}),
        ("grid_sandian", {"第一网格"}),
        ("enterprise_contact", {"连云港金鹏机械有限公司"}),
        ("outsider", {"青口村"}),
    ],
)
def test_the_api_tree_holds_exactly_the_users_subtree(world, login, username, expected):
    assert _api_node_names(login(world.users[username])) == expected


def test_a_town_leader_gets_every_node_of_the_town_and_no_other(world, login):
    names = _api_node_names(login(world.town_leader))
    low, high = world.town.bounds
    expected = set(Node.objects.filter(path__gte=low, path__lt=high).values_list("name", flat=True))
    assert names == expected and "青口村" not in names


def test_the_api_filters_the_tree_by_kind(world, login):
    assert _api_node_names(login(world.admin), kind="village") == {"三店村", "郑园村", "青口村"}


def test_ping_answers_ok_to_a_token(world, client):
    from frontline.core import services

    token = services.api_token_issue(user=world.cadre_sandian)
    response = client.get(reverse("api:ping"), HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200 and response.json() == {"ok": True}


def test_ping_refuses_a_bad_token(db, client):
    response = client.get(reverse("api:ping"), HTTP_AUTHORIZATION="Bearer nope")
    assert response.status_code == 401
