"""The seeded rubrics (one per target kind, items and points) and the two honours."""

from django.db import migrations

RUBRICS = {
    "checkpoint": (
        "卡口督查评分表",
        [
            ("人员在岗在位、按时签到", 20),
            ("测温、登记规范完整", 20),
            ("劝返、转交处置得当", 15),
            ("党旗插在卡口、责任党支部明确", 10),
            ("防护物资齐全、消毒到位", 15),
            ("台账清楚、交接班记录完整", 20),
        ],
    ),
    "village": (
        "村（社区）督查评分表",
        [
            ("网格排查全覆盖、不漏户", 25),
            ("重点人员四个一管控到位", 25),
            ("居家隔离六包一落实", 20),
            ("宣传到位、两个一律落实", 15),
            ("卡口值守与村口封控", 15),
        ],
    ),
    "enterprise": (
        "企业督查评分表",
        [
            ("复工方案和防控制度", 20),
            ("员工健康登记一人一档", 25),
            ("进出厂区测温登记", 20),
            ("防护物资储备", 15),
            ("食堂、宿舍消毒通风", 20),
        ],
    ),
    "isolation": (
        "居家隔离户督查评分表",
        [
            ("每日两次测温按时", 30),
            ("六包一责任人到位", 25),
            ("生活保障（五送）落实", 20),
            ("隔离告知、门口标识", 10),
            ("垃圾处理与消毒", 15),
        ],
    ),
}
HONOURS = [("示范村", "village"), ("标杆卡口", "checkpoint")]


def seed(apps, schema_editor):
    Rubric = apps.get_model("supervision", "Rubric")
    RubricItem = apps.get_model("supervision", "RubricItem")
    HonourKind = apps.get_model("supervision", "HonourKind")
    # Idempotent: tests that flush the database seed again (as the demo does).
    for kind, (name, items) in RUBRICS.items():
        rubric, created = Rubric.objects.get_or_create(node=None, target_kind=kind, name=name)
        if created:
            for order, (text, points) in enumerate(items):
                RubricItem.objects.create(rubric=rubric, text=text, points=points, order=order)
    for name, kind in HONOURS:
        HonourKind.objects.get_or_create(name=name, defaults={"target_kind": kind})


def unseed(apps, schema_editor):
    apps.get_model("supervision", "RubricItem").objects.filter(rubric__node=None).delete()
    apps.get_model("supervision", "Rubric").objects.filter(node=None).delete()
    apps.get_model("supervision", "HonourKind").objects.filter(name__in=["示范村", "标杆卡口"]).delete()


class Migration(migrations.Migration):
    dependencies = [("supervision", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
