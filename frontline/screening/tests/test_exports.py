"""A day's screening records under a board's node, as Excel, one tap from the board."""

from django.urls import reverse

from frontline.core.models import AuditEvent
from frontline.core.tests.workbooks import workbook_rows
from frontline.screening.tests.factories import checklist_make, record_make


def test_the_days_records_export_formula_safe_and_audited(world, client):
    items = checklist_make(world.zhengyuan, "村口值守", "消毒")
    record_make(
        world.zhengyuan,
        world.cadre_zhengyuan,
        findings="=SUM(A1:A9) 有人未戴口罩",
        checks={items[0].pk: True, items[1].pk: False},
    )
    record_make(world.sandian, world.cadre_sandian, findings="三店村的记录")
    client.force_login(world.cadre_zhengyuan)
    board = client.get(reverse("screening:board")).content.decode()
    url = reverse("screening:record_export")
    assert url in board
    last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    rows = workbook_rows(client.get(url, {"node": world.zhengyuan.pk}))
    assert rows[0] == [
        "村/企业",
        "所属",
        "排查日期",
        "排查人",
        "提交时间",
        "检查项",
        "未落实",
        "发现的问题",
    ]
    (row,) = rows[1:]
    assert row[0] == "郑园村" and row[5] == 2 and row[6] == "消毒"
    assert row[7] == "'=SUM(A1:A9) 有人未戴口罩"
    (event,) = AuditEvent.objects.filter(pk__gt=last)
    assert (event.action, event.actor, event.node) == (
        "screening.record.export",
        world.cadre_zhengyuan,
        world.zhengyuan,
    )


def test_a_grid_worker_neither_sees_nor_opens_the_export(world, client):
    client.force_login(world.grid_zhengyuan)
    assert (
        reverse("screening:record_export")
        not in client.get(reverse("screening:board")).content.decode()
    )
    response = client.get(reverse("screening:record_export"), {"node": world.zhengyuan.pk})
    assert response.status_code == 404
