"""Admins create users and assign roles within their own subtree only."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from frontline.core import services
from frontline.core.models import User

NEW_USER = {
    "username": "new_grid",
    "full_name": "新网格员",
    "password": "long-enough-42",
    "role": "grid_worker",
}


def test_a_village_admin_opens_an_account_in_the_village(world, login):
    response = login(world.admin_sandian).post(
        reverse("core:user_create"), {**NEW_USER, "node": world.sandian_grid.pk}
    )
    assert response.status_code == 302
    user = User.objects.get(username="new_grid")
    assert [(r.role, r.node) for r in user.roles.all()] == [("grid_worker", world.sandian_grid)]


def test_a_village_admin_cannot_pick_a_node_of_another_village(world, login):
    response = login(world.admin_sandian).post(
        reverse("core:user_create"), {**NEW_USER, "node": world.zhengyuan_grid.pk}
    )
    assert response.status_code == 422
    assert "选择一个有效的选项" in response.content.decode()
    assert not User.objects.filter(username="new_grid").exists()


def test_the_service_refuses_a_role_outside_the_admins_subtree(world):
    with pytest.raises(PermissionDenied):
        services.role_assign(
            actor=world.admin_sandian, user=world.cadre_sandian, role="admin", node=world.town
        )


def test_a_weak_password_is_refused_with_a_reason(world, login):
    response = login(world.admin).post(
        reverse("core:user_create"), {**NEW_USER, "password": "12345678", "node": world.sandian.pk}
    )
    assert response.status_code == 422
    assert "密码" in response.content.decode()


def test_the_user_list_holds_only_users_wholly_inside_the_village(world, login):
    page = login(world.admin_sandian).get(reverse("core:user_list"))
    names = {u.username for u in page.context["page"]}
    assert {"cadre_sandian", "grid_sandian", "sandian_all", "admin_sandian"} <= names
    assert not names & {"cadre_zhengyuan", "town_leader", "admin", "outsider"}


def test_a_user_with_a_role_elsewhere_is_not_the_village_admins_to_manage(world, login):
    services.role_assign(actor=None, user=world.cadre_sandian, role="cadre", node=world.zhengyuan)
    client = login(world.admin_sandian)
    assert client.get(reverse("core:user_detail", args=[world.cadre_sandian.pk])).status_code == 404


def test_revoking_a_role_takes_the_access_away(world, login):
    role = world.grid_sandian.roles.get()
    login(world.admin_sandian).post(reverse("core:role_revoke", args=[role.pk]))
    world.grid_sandian.refresh_from_db()
    assert not world.grid_sandian.roles.exists()


def test_an_admin_cannot_deactivate_themself(world, login):
    client = login(world.admin_sandian)
    client.post(reverse("core:user_set_active", args=[world.admin_sandian.pk]), {"active": "0"})
    world.admin_sandian.refresh_from_db()
    assert world.admin_sandian.is_active


def _api_nodes(client, token) -> set[str]:
    body = client.get(reverse("api:node_list"), headers={"Authorization": f"Bearer {token}"})
    return {item["name"] for item in body.json()["items"]}


def test_a_revoked_role_stops_working_on_the_next_request_despite_the_cache(world, client):
    token = services.api_token_issue(user=world.grid_sandian)
    assert _api_nodes(client, token) == {"第一网格"}  # now cached for this process
    services.role_revoke(actor=world.admin_sandian, assignment=world.grid_sandian.roles.get())
    assert _api_nodes(client, token) == set()


def test_a_new_role_works_on_the_next_request_despite_the_cache(world, client):
    token = services.api_token_issue(user=world.grid_sandian)
    assert _api_nodes(client, token) == {"第一网格"}
    services.role_assign(
        actor=world.admin, user=world.grid_sandian, role="cadre", node=world.zhengyuan
    )
    assert "郑园村" in _api_nodes(client, token)


def test_a_deactivated_village_stops_granting_on_the_next_request(world, client):
    token = services.api_token_issue(user=world.cadre_sandian)
    assert "三店村" in _api_nodes(client, token)
    services.node_set_active(actor=world.admin, node=world.sandian, active=False)
    assert _api_nodes(client, token) == set()


def test_a_moved_grid_is_seen_at_its_new_place_on_the_next_request(world, client):
    token = services.api_token_issue(user=world.grid_sandian)
    assert _api_nodes(client, token) == {"第一网格"}
    services.node_move(actor=world.admin, node=world.sandian_grid, new_parent=world.other_village)
    node = client.get(
        reverse("api:node_detail", args=[world.sandian_grid.pk]),
        headers={"Authorization": f"Bearer {token}"},
    )
    assert node.status_code == 200
