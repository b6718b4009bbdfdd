"""The jurisdiction tree: paths, subtrees, moves, deactivation and the tree pages."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from frontline.core import services
from frontline.core.models import AuditEvent, Node, NodeKind
from frontline.core.scoping import nodes_visible


def test_a_subtree_is_the_node_and_everything_below_it(world):
    below_town = set(nodes_visible(world.town_leader).values_list("name", flat=True))
    assert {
        "赣榆经济开发区",
        "三店村",
        "郑园村",
        "企业第一网格",
        "连云港金鹏机械有限公司",
    } <= below_town
    assert "青口镇" not in below_town and "赣榆区" not in below_town


def test_a_village_cadre_sees_only_the_village_and_its_grids(world):
    visible = set(nodes_visible(world.cadre_sandian).values_list("pk", flat=True))
    assert visible == {world.sandian.pk, world.sandian_grid.pk}


def test_a_subtree_ending_in_9_does_not_swallow_its_neighbour(world):
    # Paths compare as zero-padded numbers: node 9's subtree ends before node 10's starts.
    village = world.sandian
    low, high = village.bounds
    assert high > low and high[:-10] == low[:-10]
    assert not world.zhengyuan.is_within(village)


def test_it_refuses_a_village_directly_under_a_district(world):
    with pytest.raises(ValidationError) as error:
        services.node_create(
            actor=world.admin, kind=NodeKind.VILLAGE, name="错村", parent=world.district
        )
    assert "村/社区不能建在区之下" in str(error.value)


def test_it_refuses_two_villages_of_one_name_in_one_town(world):
    with pytest.raises(ValidationError):
        services.node_create(
            actor=world.admin, kind=NodeKind.VILLAGE, name="三店村", parent=world.town
        )


def test_a_village_admin_cannot_create_in_another_village(world):
    with pytest.raises(PermissionDenied):
        services.node_create(
            actor=world.admin_sandian, kind=NodeKind.GRID, name="第九网格", parent=world.zhengyuan
        )


def test_moving_a_grid_moves_its_enterprises_with_it(world):
    services.node_move(actor=world.admin, node=world.enterprise_grid, new_parent=world.other_town)
    world.enterprise.refresh_from_db()
    assert world.enterprise.is_within(world.other_town)
    assert not world.enterprise.is_within(world.town)
    assert world.enterprise.depth == len(world.enterprise.path) // 10 - 1 == 3
    assert world.enterprise not in nodes_visible(world.town_leader)


def test_it_refuses_to_move_a_node_under_its_own_child(world):
    with pytest.raises(ValidationError):
        services.node_move(actor=world.admin, node=world.sandian, new_parent=world.sandian_grid)


def test_deactivating_a_village_ends_the_access_its_roles_gave(world, client):
    services.node_set_active(actor=world.admin, node=world.sandian, active=False)
    world.sandian_grid.refresh_from_db()
    assert not world.sandian_grid.is_active
    client.force_login(world.cadre_sandian)
    assert client.get(reverse("core:node_detail", args=[world.sandian.pk])).status_code == 404
    assert Node.objects.filter(pk=world.sandian.pk).exists()  # never deleted


def test_every_tree_change_is_audited(world):
    services.node_rename(actor=world.admin, node=world.sandian_grid, name="东网格")
    event = AuditEvent.objects.filter(action="core.node.rename").get()
    assert event.actor == world.admin and event.role == "admin"
    assert event.object_id == str(world.sandian_grid.pk) and event.fields == ["name"]


def test_the_tree_page_shows_the_village_and_its_grids(world, login):
    response = login(world.cadre_sandian).get(reverse("core:node_detail", args=[world.sandian.pk]))
    assert response.status_code == 200
    assert "三店村" in response.content.decode() and "第一网格" in response.content.decode()
    assert "郑园村" not in response.content.decode()


def test_a_cadre_does_not_see_the_manage_buttons(world, login):
    page = login(world.cadre_sandian).get(reverse("core:node_detail", args=[world.sandian.pk]))
    assert "新建下级" not in page.content.decode()


def test_an_admin_creates_a_grid_from_the_page(world, login):
    client = login(world.admin_sandian)
    response = client.post(
        reverse("core:node_create", args=[world.sandian.pk]), {"kind": "grid", "name": "第二网格"}
    )
    assert response.status_code == 302
    assert world.sandian.children.filter(name="第二网格").exists()


def test_an_empty_name_gets_a_message_in_chinese(world, login):
    response = login(world.admin_sandian).post(
        reverse("core:node_create", args=[world.sandian.pk]), {"kind": "grid", "name": ""}
    )
    assert response.status_code == 422
    assert "这个字段是必填项" in response.content.decode()


def test_the_move_page_offers_only_parents_the_kind_allows(world, login):
    page = login(world.admin).get(reverse("core:node_move", args=[world.sandian_grid.pk]))
    options = page.context["form"].fields["parent"].queryset
    assert world.zhengyuan in options and world.town in options
    assert world.district not in options and world.sandian not in options  # current parent
