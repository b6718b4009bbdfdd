"""The town keeps the kinds of key person and of 五送 service: add, rename, stop."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from frontline.control import services
from frontline.control.forms import KeyPersonForm, ServiceForm
from frontline.control.models import KeyPersonCategory, ServiceKind
from frontline.core.models import AuditEvent


def test_the_town_leader_adds_a_category_offered_at_registration(world, login):
    client = login(world.town_leader)
    assert "类别设置" in client.get(reverse("control:key_person_list")).content.decode()
    response = client.post(
        reverse("control:list_settings"),
        {"which": "category", "name": "境外来返人员", "sort_order": "9", "is_active": "on"},
    )
    assert response.status_code == 302
    offered = [c.name for c in KeyPersonForm().fields["category"].queryset]
    assert "境外来返人员" in offered
    assert AuditEvent.objects.filter(action="control.category.save").exists()


def test_a_stopped_service_kind_is_no_longer_offered_but_kept(world, login):
    kind = ServiceKind.objects.get_or_create(name="送药", defaults={"quantity_label": "份"})[0]
    client = login(world.town_leader)
    response = client.post(
        reverse("control:list_settings"),
        {
            "which": "kind",
            "item_id": kind.pk,
            "name": "送药品",
            "quantity_label": "盒",
            "sort_order": "1",
        },
    )
    assert response.status_code == 302
    kind.refresh_from_db()
    assert (kind.name, kind.quantity_label, kind.is_active) == ("送药品", "盒", False)
    assert kind not in ServiceForm(residents=[]).fields["kind"].queryset
    page = client.get(reverse("control:list_settings")).content.decode()
    assert "送药品" in page


def test_a_name_taken_is_refused_in_chinese(world, login):
    KeyPersonCategory.objects.get_or_create(name="密切接触者")
    response = login(world.town_leader).post(
        reverse("control:list_settings"),
        {"which": "category", "name": "密切接触者", "sort_order": "0", "is_active": "on"},
    )
    assert response.status_code == 422 and "已有名为“密切接触者”" in response.content.decode()


def test_a_village_cadre_neither_sees_the_link_nor_opens_the_page(world, login):
    client = login(world.cadre_sandian)
    assert "类别设置" not in client.get(reverse("control:key_person_list")).content.decode()
    assert client.get(reverse("control:list_settings")).status_code == 404
    with pytest.raises(PermissionDenied):
        services.category_save(actor=world.cadre_sandian, name="自设类别")
