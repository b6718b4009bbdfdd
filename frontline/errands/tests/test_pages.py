"""What volunteers, cadres and households see on the errand pages."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from frontline.core.registry import registry
from frontline.core.roles import Role
from frontline.core.tests.fixtures import user_make
from frontline.errands import services
from frontline.errands.models import Errand, Status
from frontline.errands.tests.factories import errand_make, household_make


def _text(response) -> str:
    return response.content.decode()


def test_a_volunteer_sees_the_address_only_after_claiming(world, login):
    errand = errand_make(household_make(world.sandian), text="西红柿两斤")
    client = login(world.volunteer_sandian)
    listed = _text(client.get(reverse("errands:list")))
    assert "西红柿两斤" in listed and "三店村" in listed
    assert "三店村3组18号" not in listed
    detail = _text(client.get(reverse("errands:detail", args=[errand.pk])))
    assert "认领后显示" in detail and "三店村3组18号" not in detail and "王奶奶" not in detail
    response = client.post(reverse("errands:claim", args=[errand.pk]), follow=True)
    page = _text(response)
    assert "已认领" in page and "三店村3组18号" in page and "王奶奶" in page
    assert "已购买" in page  # the next step's button


def test_the_second_volunteer_is_told_who_claimed_it(world, login):
    errand = errand_make(household_make(world.sandian))
    services.errand_claim(actor=world.volunteer_sandian, errand=errand)
    second = user_make("volunteer2_sandian", (Role.VOLUNTEER, world.sandian))
    response = login(second).post(reverse("errands:claim", args=[errand.pk]), follow=True)
    assert "认领失败：已被 volunteer_sandian 认领" in _text(response)
    assert "三店村3组18号" not in _text(response)


def test_buying_with_a_receipt_then_delivering(world, login):
    errand = errand_make(household_make(world.sandian))
    services.errand_claim(actor=world.volunteer_sandian, errand=errand)
    client = login(world.volunteer_sandian)
    from django.core.files.uploadedfile import SimpleUploadedFile

    photo = SimpleUploadedFile("r.png", b"\x89PNG\r\n\x1a\n" + b"1" * 50, "image/png")
    page = _text(
        client.post(
            reverse("errands:bought", args=[errand.pk]),
            {"actual_cost": "31.20", "receipt": photo},
            follow=True,
        )
    )
    assert "已登记购买" in page and "31.20 元" in page and "小票照片" in page
    receipt = client.get(reverse("errands:receipt", args=[errand.pk]))
    assert receipt["Content-Type"] == "image/png" and receipt.content.startswith(b"\x89PNG")
    page = _text(client.post(reverse("errands:deliver", args=[errand.pk]), follow=True))
    assert "已送达，等待住户确认收货" in page
    # Another volunteer never gets the receipt.
    second = user_make("volunteer2_sandian", (Role.VOLUNTEER, world.sandian))
    assert login(second).get(reverse("errands:receipt", args=[errand.pk])).status_code == 404


def test_a_refused_cost_says_why(world, login):
    errand = errand_make(household_make(world.sandian))
    services.errand_claim(actor=world.volunteer_sandian, errand=errand)
    response = login(world.volunteer_sandian).post(
        reverse("errands:bought", args=[errand.pk]), {"actual_cost": "-3"}, follow=True
    )
    assert (
        "实际花费须在 0 到 5000 元之间" in _text(response)
        and Errand.objects.get(pk=errand.pk).status == Status.CLAIMED
    )


def test_a_cadre_enters_a_request_for_a_household(world, login):
    household = household_make(world.sandian)
    client = login(world.cadre_sandian)
    form = client.get(reverse("errands:ask", args=[household.pk]))
    assert "蔬菜" in _text(form) and "药品" in _text(form)
    later = (timezone.localtime() + timedelta(hours=5)).strftime("%Y-%m-%dT%H:%M")
    body = {"medicine": "降压药一盒", "grain_oil": "菜籽油", "budget": "80", "deliver_by": later}
    response = client.post(reverse("errands:ask", args=[household.pk]), body, follow=True)
    assert "已提交，等待志愿者认领" in _text(response)
    errand = Errand.objects.get()
    assert [line.text for line in errand.lines.all()] == ["菜籽油", "降压药一盒"]
    assert errand.created_by == world.cadre_sandian
    refused = client.post(reverse("errands:ask", args=[household.pk]), {**body, "budget": "99999"})
    assert refused.status_code == 422 and "2000" in _text(refused)


def test_the_overdue_list_shows_errands_past_their_deadline_by_village(world, login):
    household = household_make(world.sandian)
    late = errand_make(household, text="鸡蛋一板")
    Errand.objects.filter(pk=late.pk).update(deliver_by=timezone.now() - timedelta(hours=1))
    errand_make(household, text="面条两包")  # not due yet
    page = _text(login(world.cadre_sandian).get(reverse("errands:overdue")))
    assert "三店村（1）" in page and "鸡蛋一板" in page and "面条两包" not in page
    card = registry().home_cards["errands.overdue"]
    assert card.count(world.cadre_sandian) == 1
    assert card.count(world.cadre_zhengyuan) == 0


def test_the_volunteers_home_card_counts_open_errands(world, login):
    household = household_make(world.sandian)
    errand_make(household)
    claimed = errand_make(household)
    services.errand_claim(actor=world.volunteer_sandian, errand=claimed)
    card = registry().home_cards["errands.open"]
    assert not card.placeholder
    assert card.count(world.volunteer_sandian) == 1
    assert card.count(world.volunteer_zhengyuan) == 0
    home = _text(login(world.volunteer_sandian).get(reverse("core:home")))
    assert "帮您跑腿" in home and "建设中" not in home.split("帮您跑腿")[1][:200]


def test_my_errands_lists_what_i_claimed(world, login):
    household = household_make(world.sandian)
    mine = errand_make(household, text="牛奶一箱")
    errand_make(household, text="酱油一瓶")
    services.errand_claim(actor=world.volunteer_sandian, errand=mine)
    page = _text(login(world.volunteer_sandian).get(reverse("errands:mine")))
    assert "牛奶一箱" in page and "酱油一瓶" not in page


def test_my_errands_say_where_to_deliver_until_delivered(world, login):
    # The volunteer plans the round from this list: each errand still to carry names its
    # door; a delivered one no longer does; the open list never does.
    to_go = errand_make(household_make(world.sandian), text="牛奶一箱")
    done = errand_make(
        household_make(world.sandian, name="李爷爷", address="三店村5组7号"), text="挂面两包"
    )
    for errand in (to_go, done):
        services.errand_claim(actor=world.volunteer_sandian, errand=errand)
    done = services.errand_bought(
        actor=world.volunteer_sandian, errand=done, actual_cost=Decimal("12")
    )
    services.errand_deliver(actor=world.volunteer_sandian, errand=done)
    client = login(world.volunteer_sandian)
    page = _text(client.get(reverse("errands:mine")))
    assert "送至 三店村3组18号" in page
    assert "挂面两包" in page and "三店村5组7号" not in page
    errand_make(household_make(world.sandian, name="赵阿姨", address="三店村1组1号"))
    assert "三店村1组1号" not in _text(client.get(reverse("errands:list")))


def test_settling_and_cancelling_from_the_detail_page(world, login):
    household = household_make(world.sandian)
    errand = errand_make(household)
    services.errand_claim(actor=world.volunteer_sandian, errand=errand)
    services.errand_bought(actor=world.volunteer_sandian, errand=errand, actual_cost=Decimal("5"))
    services.errand_deliver(actor=world.volunteer_sandian, errand=errand)
    client = login(world.cadre_sandian)
    page = _text(client.get(reverse("errands:detail", args=[errand.pk])))
    assert "确认收货（代住户）" in page and "结算方式" not in page
    client.post(reverse("errands:confirm", args=[errand.pk]))
    page = _text(
        client.post(
            reverse("errands:settle", args=[errand.pk]), {"settlement": "paid"}, follow=True
        )
    )
    assert "已结算" in page and "已付款" in page
    other = errand_make(household)
    page = _text(
        client.post(reverse("errands:cancel", args=[other.pk]), {"cancel_reason": ""}, follow=True)
    )
    assert "未取消" in page and Errand.objects.get(pk=other.pk).status == Status.SUBMITTED


@pytest.fixture
def household(world):
    return household_make(world.sandian)


def _open(client, household):
    token = services.household_token(household)
    return client.get(reverse("errands:household_open") + f"?t={token}")


def test_the_household_opens_its_page_by_qr_and_asks_for_vegetables(world, client, household):
    response = _open(client, household)
    # The token leaves the address bar at once: it stays in this browser's session.
    assert response.status_code == 302 and response["Location"] == reverse("errands:household_page")
    page = client.get(response["Location"])
    assert page.status_code == 200 and "请志愿者代购" in _text(page)
    assert "王奶奶" not in _text(page) and "3组18号" not in _text(page)
    later = (timezone.localtime() + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
    body = {"vegetables": "白菜一颗", "budget": "20", "deliver_by": later, "idempotency_key": "h1"}
    response = client.post(reverse("errands:household_page"), body, follow=True)
    assert "已提交" in _text(response) and "白菜一颗" in _text(response)
    # A double tap stores one errand.
    client.post(reverse("errands:household_page"), body)
    errand = Errand.objects.get()
    assert errand.household == household and errand.created_by is None


def test_the_household_confirms_delivery_and_sees_only_its_own(world, client, household):
    mine = errand_make(household, text="我的菜")
    theirs = errand_make(household_make(world.sandian, name="李爷爷"), text="别人的菜")
    for errand in (mine, theirs):
        services.errand_claim(actor=world.volunteer_sandian, errand=errand)
        services.errand_bought(
            actor=world.volunteer_sandian, errand=errand, actual_cost=Decimal("9")
        )
        services.errand_deliver(actor=world.volunteer_sandian, errand=errand)
    _open(client, household)
    page = _text(client.get(reverse("errands:household_page")))
    assert "我的菜" in page and "别人的菜" not in page and "确认收到" in page
    refused = client.post(reverse("errands:household_confirm"), {"errand": theirs.pk})
    assert refused.status_code == 404
    page = _text(
        client.post(reverse("errands:household_confirm"), {"errand": mine.pk}, follow=True)
    )
    assert "已确认收货，谢谢" in page
    assert Errand.objects.get(pk=mine.pk).confirmed_by_household
    assert not Errand.objects.get(pk=theirs.pk).confirmed_by_household


def test_a_forged_or_revoked_code_is_refused_clearly(world, client, household):
    response = client.get(reverse("errands:household_open") + "?t=not-a-token")
    assert response.status_code == 403 and "二维码无效" in _text(response)
    _open(client, household)
    assert client.get(reverse("errands:household_page")).status_code == 200
    services.household_token_renew(actor=world.cadre_sandian, household=household)
    # The page opened with the old code closes too.
    page = client.get(reverse("errands:household_page"))
    assert page.status_code == 403 and "请扫描门上的二维码" in _text(page)
    household.refresh_from_db()
    old = services.household_token(household)
    services.household_token_renew(actor=world.cadre_sandian, household=household)
    response = client.get(reverse("errands:household_open") + f"?t={old}")
    assert response.status_code == 403 and "二维码已作废" in _text(response)
    # Without a code nothing is shown and nothing can be confirmed.
    fresh = client.__class__()
    assert fresh.get(reverse("errands:household_page")).status_code == 403
    assert fresh.post(reverse("errands:household_confirm"), {"errand": 1}).status_code == 404


def test_the_printable_code_carries_the_token_only(world, login, household):
    page = _text(login(world.cadre_sandian).get(reverse("errands:qr", args=[household.pk])))
    assert "<svg" in page and "三店村" in page
    assert "王奶奶" not in page and "3组18号" not in page


def test_enrolling_a_household_from_a_search(world, login):
    from frontline.people.tests.factories import resident_make

    resident = resident_make(world.sandian, name="赵奶奶")
    client = login(world.cadre_sandian)
    found = _text(client.get(reverse("errands:households") + "?q=赵"))
    assert "赵奶奶" in found and "登记为服务户" in found
    page = _text(client.post(reverse("errands:households"), {"resident": resident.pk}, follow=True))
    assert "已登记服务户：赵奶奶" in page and "代提交跑腿" in page


def test_once_delivered_the_door_is_the_cadres_not_the_volunteers(world, login):
    # The crew needs the address (and the receipt) on the way; after the handover a
    # cadre settles, and the volunteer's page keeps the items and the cost only.
    errand = errand_make(household_make(world.sandian), text="鸡蛋一盒")
    services.errand_claim(actor=world.volunteer_sandian, errand=errand)
    bought = services.errand_bought(
        actor=world.volunteer_sandian, errand=errand, actual_cost=Decimal("15")
    )
    url = reverse("errands:detail", args=[errand.pk])
    volunteer = login(world.volunteer_sandian)
    assert "三店村3组18号" in _text(volunteer.get(url))
    services.errand_deliver(actor=world.volunteer_sandian, errand=bought)
    after = _text(volunteer.get(url))
    assert "鸡蛋一盒" in after and "15" in after and "三店村3组18号" not in after
    assert "已结束，地址只对村干部显示" in after
    assert "三店村3组18号" in _text(login(world.cadre_sandian).get(url))


def test_the_enrol_search_drops_a_whole_id_or_phone_from_the_url(world, login):
    # The search box submits by GET: a whole number would stay in history and logs, and
    # the page would echo it back; it is dropped unsearched, with a word on why.
    from frontline.people.tests.factories import id_number_next, resident_make

    id_number = id_number_next()
    resident_make(world.sandian, name="赵奶奶", id_number=id_number, phone="13912345678")
    client = login(world.cadre_sandian)
    for number in ("13912345678", id_number):
        response = client.get(reverse("errands:households") + f"?q={number}", follow=True)
        page = _text(response)
        assert response.redirect_chain[-1][0] == reverse("errands:households")
        assert "不能放进网址" in page and "赵奶奶" not in page and number not in page
    assert "赵奶奶" in _text(client.get(reverse("errands:households") + "?q=5678"))


def test_a_daily_meal_appears_on_the_volunteers_list_each_day(world, login, household):
    from datetime import time

    services.meal_series_start(
        actor=world.cadre_sandian,
        household=household,
        deliver_time=time(23, 59),
        budget=Decimal("12"),
    )
    Errand.objects.all().delete()  # as if today's were not made yet: the list makes it
    page = _text(login(world.volunteer_sandian).get(reverse("errands:list")))
    assert "送餐 · 午餐一份" in page
    assert Errand.objects.filter(day=timezone.localdate()).count() == 1
