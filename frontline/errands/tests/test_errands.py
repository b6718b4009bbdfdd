"""An errand's life: ask, claim, buy, deliver, confirm, settle — or cancel; every wrong
step refused in Chinese with nothing written."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from frontline.control.models import ServiceDelivery
from frontline.core.models import AuditEvent
from frontline.core.roles import Role
from frontline.core.tests.fixtures import user_make
from frontline.errands import services
from frontline.errands.models import Errand, Status
from frontline.errands.tests.factories import errand_make, household_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def volunteer2(world):
    """A second volunteer of 三店村."""
    return user_make("volunteer2_sandian", (Role.VOLUNTEER, world.sandian))


JPEG = b"\xff\xd8\xff\xe0" + b"\0" * 100


def _refused(call, message: str) -> None:
    with pytest.raises(ValidationError) as refused:
        call()
    assert message in " ".join(refused.value.messages)


def test_the_whole_way_from_asking_to_settled(world, volunteer2):
    household = household_make(world.sandian)
    errand = errand_make(household, text="青菜一把")
    assert errand.status == Status.SUBMITTED
    assert errand.address == "三店村3组18号"
    assert "三店村3组18号" not in errand.address_cipher  # stored encrypted
    errand = services.errand_claim(actor=world.volunteer_sandian, errand=errand)
    assert errand.status == Status.CLAIMED
    errand = services.errand_bought(
        actor=world.volunteer_sandian, errand=errand, actual_cost=Decimal("23.50"), receipt=JPEG
    )
    assert (errand.status, errand.actual_cost, errand.receipt_type) == (
        Status.BOUGHT,
        Decimal("23.50"),
        "image/jpeg",
    )
    errand = services.errand_deliver(actor=world.volunteer_sandian, errand=errand)
    assert errand.status == Status.DELIVERED
    _refused(
        lambda: services.errand_settle(actor=world.cadre_sandian, errand=errand, settlement="paid"),
        "确认收货后才能结算",
    )
    errand = services.errand_confirm(actor=None, errand=errand)
    assert errand.confirmed_by_household
    errand = services.errand_settle(actor=world.cadre_sandian, errand=errand, settlement="waived")
    assert errand.status == Status.SETTLED
    assert errand.get_settlement_display() == "免单"
    actions = list(
        AuditEvent.objects.filter(object_id=errand.pk, action__startswith="errands.errand")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "errands.errand.create",
        "errands.errand.claim",
        "errands.errand.buy",
        "errands.errand.deliver",
        "errands.errand.confirm",
        "errands.errand.settle",
    ]


def test_a_delivery_lands_in_the_residents_five_services_log(world, volunteer2):
    household = household_make(world.sandian)
    errand = errand_make(household, text="土豆三个")
    services.errand_claim(actor=world.volunteer_sandian, errand=errand)
    services.errand_bought(actor=world.volunteer_sandian, errand=errand, actual_cost=Decimal("8"))
    services.errand_deliver(actor=world.volunteer_sandian, errand=errand)
    (logged,) = ServiceDelivery.objects.filter(resident=household.resident)
    assert logged.kind.name == "代购"
    assert logged.description == "土豆三个"
    assert logged.delivered_by == world.volunteer_sandian


def test_a_second_claim_is_told_who_has_it(world, volunteer2):
    errand = errand_make(household_make(world.sandian))
    services.errand_claim(actor=world.volunteer_sandian, errand=errand)
    _refused(
        lambda: services.errand_claim(actor=volunteer2, errand=errand),
        "已被 volunteer_sandian 认领",
    )
    assert Errand.objects.get(pk=errand.pk).claimed_by == world.volunteer_sandian


def test_wrong_steps_are_refused_and_write_nothing(world, volunteer2):
    errand = errand_make(household_make(world.sandian))
    before = AuditEvent.objects.count()
    _refused(
        lambda: services.errand_bought(
            actor=world.volunteer_sandian, errand=errand, actual_cost=Decimal("1")
        ),
        "目前“待认领”，不能登记购买",
    )
    _refused(
        lambda: services.errand_deliver(actor=world.volunteer_sandian, errand=errand),
        "不能送达",
    )
    _refused(lambda: services.errand_confirm(actor=None, errand=errand), "不能确认收货")
    services.errand_claim(actor=world.volunteer_sandian, errand=errand)
    # Somebody else than the claimer may not buy.
    _refused(
        lambda: services.errand_bought(actor=volunteer2, errand=errand, actual_cost=Decimal("1")),
        "只有认领人可以登记购买",
    )
    _refused(
        lambda: services.errand_deliver(actor=world.volunteer_sandian, errand=errand),
        "请先登记购买",
    )
    _refused(
        lambda: services.errand_bought(
            actor=world.volunteer_sandian, errand=errand, actual_cost=Decimal("1"), receipt=b"%PDF"
        ),
        "须为 JPG、PNG 或 WebP",
    )
    _refused(
        lambda: services.errand_bought(
            actor=world.volunteer_sandian, errand=errand, actual_cost=Decimal("99999")
        ),
        "5000",
    )
    stored = Errand.objects.get(pk=errand.pk)
    assert (stored.status, stored.actual_cost, stored.receipt) == (Status.CLAIMED, None, None)
    assert AuditEvent.objects.count() == before + 1  # the claim only


def test_cancel_needs_a_reason_and_the_household_may_cancel_only_before_a_claim(world, volunteer2):
    household = household_make(world.sandian)
    errand = errand_make(household)
    _refused(
        lambda: services.errand_cancel(actor=world.cadre_sandian, errand=errand, reason=" "),
        "请填写取消原因",
    )
    services.errand_claim(actor=world.volunteer_sandian, errand=errand)
    _refused(
        lambda: services.errand_cancel(actor=None, errand=errand, reason="不要了"),
        "已有志愿者认领，请联系村干部取消",
    )
    errand = services.errand_cancel(actor=world.cadre_sandian, errand=errand, reason="已自行购买")
    assert (errand.status, errand.cancel_reason) == (Status.CANCELLED, "已自行购买")
    _refused(lambda: services.errand_claim(actor=volunteer2, errand=errand), "不能认领")
    _refused(
        lambda: services.errand_cancel(actor=world.cadre_sandian, errand=errand, reason="再取消"),
        "不能取消",
    )


def test_the_budget_and_deadline_are_bounded(world, volunteer2):
    household = household_make(world.sandian)
    soon = timezone.now() + timedelta(hours=2)
    ask = dict(actor=world.cadre_sandian, household=household, lines=[("medicine", "布洛芬")])
    _refused(lambda: services.errand_create(**ask, budget=Decimal("2500"), deliver_by=soon), "2000")
    _refused(lambda: services.errand_create(**ask, budget=Decimal("-1"), deliver_by=soon), "0")
    _refused(
        lambda: services.errand_create(
            **ask, budget=Decimal("20"), deliver_by=timezone.now() - timedelta(hours=1)
        ),
        "最晚送达时间须晚于现在",
    )
    _refused(
        lambda: services.errand_create(
            actor=world.cadre_sandian,
            household=household,
            lines=[("vegetables", "  ")],
            budget=Decimal("20"),
            deliver_by=soon,
        ),
        "请至少填写一项",
    )
    assert not Errand.objects.exists()


def test_another_village_may_neither_ask_nor_claim(world, volunteer2):
    errand = errand_make(household_make(world.sandian))
    with pytest.raises(PermissionDenied):
        services.errand_claim(actor=world.volunteer_zhengyuan, errand=errand)
    with pytest.raises(PermissionDenied):
        services.errand_create(
            actor=world.cadre_zhengyuan,
            household=errand.household,
            lines=[("vegetables", "萝卜")],
            budget=Decimal("10"),
            deliver_by=timezone.now() + timedelta(hours=1),
        )


def test_the_same_users_key_stores_one_errand_and_a_changed_body_is_refused(world, volunteer2):
    household = household_make(world.sandian)
    ask = dict(
        household=household,
        lines=[("grain_oil", "大米一袋")],
        budget=Decimal("60"),
        deliver_by=timezone.now() + timedelta(hours=3),
        idempotency_key="phone-1",
    )
    first, created = services.errand_create(actor=world.cadre_sandian, **ask)
    again, created_again = services.errand_create(actor=world.cadre_sandian, **ask)
    assert (created, created_again, again.pk) == (True, False, first.pk)
    # Another user's identical key is theirs: a new errand, never the first user's.
    other, other_created = services.errand_create(actor=world.village_leader_sandian, **ask)
    assert other_created and other.pk != first.pk
    with pytest.raises(services.KeyReused):
        services.errand_create(actor=world.cadre_sandian, **{**ask, "budget": Decimal("70")})
    assert Errand.objects.count() == 2


def test_a_token_opens_its_household_until_it_is_renewed(world, volunteer2):
    household = household_make(world.sandian)
    token = services.household_token(household)
    assert services.household_from_token(token) == household
    assert "王奶奶" not in token and "三店" not in token
    _refused(lambda: services.household_from_token(token[:-2] + "xx"), "二维码无效")
    _refused(lambda: services.household_from_token("garbage"), "二维码无效")
    services.household_token_renew(actor=world.cadre_sandian, household=household)
    _refused(lambda: services.household_from_token(token), "二维码已作废")
    household.refresh_from_db()
    assert services.household_from_token(services.household_token(household)) == household


def test_a_daily_meal_makes_one_errand_a_day_until_stopped(world, volunteer2):
    from datetime import time

    household = household_make(world.sandian)
    series = services.meal_series_start(
        actor=world.cadre_sandian,
        household=household,
        deliver_time=time(11, 30),
        budget=Decimal("15"),
    )
    today = timezone.localdate()
    assert Errand.objects.filter(series=series, day=today).count() == 1
    assert services.meals_generate(day=today) == 0  # a second call makes nothing
    tomorrow = today + timedelta(days=1)
    assert services.meals_generate(day=tomorrow) == 1
    (meal,) = Errand.objects.filter(series=series, day=tomorrow)
    assert (meal.kind, meal.status, meal.budget) == ("meal", Status.SUBMITTED, Decimal("15"))
    # A meal needs no purchase: claimed, then delivered, logged as 送餐.
    services.errand_claim(actor=world.volunteer_sandian, errand=meal)
    services.errand_deliver(actor=world.volunteer_sandian, errand=meal)
    assert ServiceDelivery.objects.get(resident=household.resident).kind.name == "送餐"
    services.meal_series_stop(actor=world.cadre_sandian, series=series)
    assert services.meals_generate(day=tomorrow + timedelta(days=1)) == 0
    _refused(lambda: services.meal_series_stop(actor=world.cadre_sandian, series=series), "已停止")


def test_the_daily_command_makes_each_days_meal_once(world, volunteer2):
    import io
    from datetime import time

    from django.core.management import call_command

    services.meal_series_start(
        actor=world.cadre_sandian,
        household=household_make(world.sandian),
        deliver_time=time(12),
        budget=Decimal("10"),
    )
    day = (timezone.localdate() + timedelta(days=2)).isoformat()
    out = io.StringIO()
    call_command("errands_meals", "--date", day, stdout=out)
    call_command("errands_meals", "--date", day, stdout=out)
    assert out.getvalue().splitlines() == [f"{day}：生成 1 条送餐", f"{day}：生成 0 条送餐"]
    assert Errand.objects.filter(day=day).count() == 1


def test_a_delivery_is_never_refused_for_a_missing_five_services_kind(world, volunteer2):
    from frontline.control.models import ServiceKind

    ServiceKind.objects.filter(name="代购").delete()
    errand = errand_make(household_make(world.sandian))
    services.errand_claim(actor=volunteer2, errand=errand)
    services.errand_bought(actor=volunteer2, errand=errand, actual_cost=Decimal("3"))
    assert services.errand_deliver(actor=volunteer2, errand=errand).status == Status.DELIVERED
    assert ServiceDelivery.objects.get(resident=errand.household.resident).kind.name == "代购"


def test_a_delivery_and_its_five_services_entry_are_one_transaction(world, monkeypatch):
    """Should the 五送 entry fail, the errand is not left delivered without it."""
    errand = errand_make(household_make(world.sandian))
    errand = services.errand_claim(actor=world.volunteer_sandian, errand=errand)
    errand = services.errand_bought(
        actor=world.volunteer_sandian, errand=errand, actual_cost=Decimal("20")
    )

    def broken(**_):
        raise RuntimeError("五送 log unavailable")

    monkeypatch.setattr(services.control, "five_services_record", broken)
    with pytest.raises(RuntimeError):
        services.errand_deliver(actor=world.volunteer_sandian, errand=errand)
    errand.refresh_from_db()
    assert errand.status == Status.BOUGHT and errand.delivered_at is None
    assert not AuditEvent.objects.filter(action="errands.errand.deliver").exists()
