"""The day's passers of a checkpoint as Excel, one tap from the day list: as on the page,
formula-safe, audited, refused to other villages (the scoping walk) and to roles without it."""

from decimal import Decimal

from django.urls import reverse

from frontline.checkpoints import services
from frontline.checkpoints.tests.factories import checkpoint_make
from frontline.core.models import AuditEvent
from frontline.core.tests.workbooks import workbook_rows


def test_the_days_passers_export_as_on_the_page(world, client):
    checkpoint = checkpoint_make(world.zhengyuan, "郑园村东口")
    for key, plate, origin, temperature in [
        ("k1", "苏G12345", "=cmd|' /C calc'!A0", Decimal("36.5")),
        ("k2", "", "湖北武汉", Decimal("37.8")),
    ]:
        services.passer_log(
            actor=world.volunteer_zhengyuan,
            checkpoint=checkpoint,
            idempotency_key=key,
            kind="vehicle" if plate else "person",
            plate=plate,
            origin=origin,
            temperature=temperature,
            outcome="pass" if temperature < 37 else "turned_back",
        )
    client.force_login(world.cadre_zhengyuan)
    page = client.get(reverse("checkpoints:passers", args=[checkpoint.pk])).content.decode()
    url = reverse("checkpoints:passer_export", args=[checkpoint.pk])
    assert url in page
    last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    rows = workbook_rows(client.get(url))
    assert rows[0][:8] == ["时间", "类型", "车牌", "人数", "方向", "来自", "去往", "体温"]
    assert [row[2] for row in rows[1:]] == ["苏G12345", ""]
    assert rows[1][5] == "'=cmd|' /C calc'!A0"
    assert rows[2][7] == 37.8 and rows[2][8] == "是" and rows[2][9] == "劝返"
    (event,) = AuditEvent.objects.filter(pk__gt=last)
    assert (event.action, event.actor, event.object_id) == (
        "checkpoints.passer.export",
        world.cadre_zhengyuan,
        str(checkpoint.pk),
    )


def test_a_volunteer_neither_sees_nor_opens_the_export(world, client):
    checkpoint = checkpoint_make(world.zhengyuan, "郑园村东口")
    client.force_login(world.volunteer_zhengyuan)
    url = reverse("checkpoints:passer_export", args=[checkpoint.pk])
    assert (
        url not in client.get(reverse("checkpoints:passers", args=[checkpoint.pk])).content.decode()
    )
    assert client.get(url).status_code == 404
