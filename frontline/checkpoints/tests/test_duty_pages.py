"""The duty buttons of a checkpoint's pages answer with a message on the page they return
to: what was done, or why it was refused."""

from datetime import time

from django.urls import reverse
from django.utils import timezone

from frontline.checkpoints import services
from frontline.checkpoints.models import CheckpointKind, ShiftMember


def _checkpoint(world, name: str):
    # Through the service, not the shared helper that main renames (checkpoint_make).
    return services.checkpoint_create(
        actor=world.admin, node=world.sandian, name=name, kind=CheckpointKind.VILLAGE_ENTRANCE
    )


def _post(client, name: str, pk: int, data: dict | None = None):
    return client.post(reverse(f"checkpoints:{name}", args=[pk]), data or {}, follow=True)


def test_checking_in_names_the_post_and_checking_out_twice_is_refused(world, login):
    checkpoint = _checkpoint(world, "三店村东村口")
    client = login(world.cadre_sandian)
    response = _post(client, "check_in", checkpoint.pk)
    assert response.redirect_chain[-1][0] == reverse("checkpoints:log", args=[checkpoint.pk])
    assert "已在三店村东村口签到，本班到" in response.content.decode()
    assert (
        "已在三店村东村口签退，辛苦了" in _post(client, "check_out", checkpoint.pk).content.decode()
    )
    again = _post(client, "check_out", checkpoint.pk)
    assert "您没有在这个卡口签到" in again.content.decode()


def test_adding_a_member_asks_for_a_name_then_adds_and_removes(world, login):
    checkpoint = _checkpoint(world, "三店村南卡点")
    shift = services.shift_create(
        actor=None, checkpoint=checkpoint, day=timezone.localdate(), start=time(6), end=time(14)
    )
    client = login(world.admin)
    page = _post(client, "member_add", shift.pk, {"name": "", "kind": "volunteer"})
    assert "请选择账号，或填写志愿者姓名" in page.content.decode()
    page = _post(client, "member_add", shift.pk, {"name": "张志愿", "kind": "volunteer"})
    member = ShiftMember.objects.get(shift=shift)
    assert "已加入班次" in page.content.decode() and member.display_name == "张志愿"
    page = _post(client, "member_remove", member.pk)
    assert "已移出班次" in page.content.decode() and not ShiftMember.objects.exists()
