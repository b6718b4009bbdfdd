"""The dashboard, the figures API, the daily rollups and the battle report, as a town
leader uses them: every number comes from what was recorded, and follows it."""

import io
from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from pypdf import PdfReader
from python_calamine import CalamineWorkbook

from frontline.checkpoints import services as checkpoint_services
from frontline.checkpoints.tests.factories import checkpoint_make
from frontline.command.models import FigureDay
from frontline.command.report import sentence_render
from frontline.command.selectors import FigureValue, figures_visible
from frontline.control.services import readings as reading_services
from frontline.control.tests.factories import isolation_make
from frontline.core import services as core_services
from frontline.core.models import AuditEvent
from frontline.core.registry import registry


def bearer(user) -> dict:
    return {"Authorization": f"Bearer {core_services.api_token_issue(user=user)}"}


def _at(day, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _reading(world, isolation, day, value="36.5", slot="am", hour=8):
    reading, _ = reading_services.reading_record(
        actor=world.health_sandian,
        isolation=isolation,
        value=value,
        slot=slot,
        taken_at=_at(day, hour),
    )
    return reading


@pytest.fixture
def yesterday():
    return timezone.localdate() - timedelta(days=1)


@pytest.fixture
def isolated(world):
    return isolation_make(world, world.sandian_grid, "王小明", days_ago=5)


def _figures(client, user, **query):
    response = client.get(reverse("api:figures"), query, headers=bearer(user))
    assert response.status_code == 200, response.content
    return {f["key"]: f for f in response.json()["figures"]}


def test_the_api_answers_every_figure_the_leader_may_read_and_no_other(world, client):
    figures = _figures(client, world.town_leader)
    expected = {f.key for f in figures_visible(world.town_leader, world.town)}
    assert set(figures) == expected
    assert {"villages", "readings", "passers"} <= set(figures)
    assert figures["villages"]["value"] == 2 and figures["villages"]["label"] == "村/社区"


def test_readings_of_a_day_count_and_the_report_says_so(world, client, isolated, yesterday):
    _reading(world, isolated, yesterday, "36.5", "am", 8)
    _reading(world, isolated, yesterday, "38.2", "pm", 15)
    span = {"node": world.sandian.pk, "from": yesterday, "to": yesterday}
    figures = _figures(client, world.town_leader, **span)
    assert figures["readings"]["value"] == 2
    assert figures["fevers"]["value"] == 1
    response = client.get(reverse("api:battle"), span, headers=bearer(world.town_leader))
    text = "".join(response.json()["paragraphs"])
    assert "上门测量体温2人次" in text and "发现发热1人次" in text
    # Nothing passed a checkpoint: the sentence is left out, never "0人次".
    assert "登记通行" not in text and "劝返" not in text


def test_a_closed_day_is_kept_and_a_late_reading_updates_it_at_once(
    world, client, isolated, yesterday
):
    _reading(world, isolated, yesterday)
    span = {"node": world.sandian.pk, "from": yesterday, "to": yesterday}
    assert _figures(client, world.town_leader, **span)["readings"]["value"] == 1
    kept = FigureDay.objects.get(node=world.sandian, key="readings", day=yesterday)
    assert kept.value == 1
    # A phone syncs yesterday's afternoon reading this morning: the kept days of the
    # village and every node above it are dropped in the reading's transaction…
    _reading(world, isolated, yesterday, "36.4", "pm", 15)
    assert not FigureDay.objects.filter(day=yesterday, key="readings").exists()
    # …and counted again when next read.
    assert _figures(client, world.town_leader, **span)["readings"]["value"] == 2
    town = {"node": world.town.pk, "from": yesterday, "to": yesterday}
    assert _figures(client, world.town_leader, **town)["readings"]["value"] == 2


def test_the_morning_run_counts_the_last_closed_days_again(world, client, isolated, yesterday):
    _reading(world, isolated, yesterday)
    span = {"node": world.sandian.pk, "from": yesterday, "to": yesterday}
    assert _figures(client, world.town_leader, **span)["readings"]["value"] == 1
    # Whatever changed a closed day without telling (a correction made in the database):
    FigureDay.objects.filter(node=world.sandian, key="readings", day=yesterday).update(value=7)
    assert _figures(client, world.town_leader, **span)["readings"]["value"] == 7
    out = io.StringIO()
    call_command("battle_prepare", stdout=out)
    assert "已计算" in out.getvalue()
    assert _figures(client, world.town_leader, **span)["readings"]["value"] == 1


def test_today_is_always_counted_live(world, client, isolated, round_morning):
    today = timezone.localdate()
    assert _figures(client, world.town_leader, node=world.sandian.pk)["readings"]["value"] == 0
    reading_services.reading_record(
        actor=world.health_sandian, isolation=isolated, value="36.6", slot="am"
    )
    assert _figures(client, world.town_leader, node=world.sandian.pk)["readings"]["value"] == 1
    assert not FigureDay.objects.filter(day=today).exists()


def test_a_week_adds_its_days_and_a_state_reads_its_last_day(world, client, isolated, yesterday):
    for days_back in (1, 2, 3):
        _reading(world, isolated, timezone.localdate() - timedelta(days=days_back))
    week = {
        "node": world.town.pk,
        "from": timezone.localdate() - timedelta(days=6),
        "to": timezone.localdate(),
    }
    figures = _figures(client, world.town_leader, **week)
    assert figures["readings"]["value"] == 3
    assert figures["isolated_now"]["value"] == 1


def test_passers_at_a_checkpoint_reach_the_figure_its_list_and_the_report(world, client):
    checkpoint = checkpoint_make(world.sandian)
    for n, outcome in enumerate(["pass", "pass", "turned_back"]):
        checkpoint_services.passer_log(
            actor=world.police_sandian,
            checkpoint=checkpoint,
            idempotency_key=f"k{n}",
            kind="person",
            outcome=outcome,
            temperature=Decimal("36.5"),
        )
    figures = _figures(client, world.town_leader)
    assert figures["passers"]["value"] == 3 and figures["turned_back"]["value"] == 1
    # Each figure's link lists the very passers it counts.
    client.force_login(world.town_leader)
    assert client.get(figures["passers"]["url"]).context["page"].paginator.count == 3
    assert client.get(figures["turned_back"]["url"]).context["page"].paginator.count == 1
    report = client.get(reverse("api:battle"), headers=bearer(world.town_leader)).json()
    assert any("登记通行3人次" in p for p in report["paragraphs"])
    assert any("劝返1人次" in p for p in report["paragraphs"])


def test_a_sentence_with_an_absent_or_zero_figure_is_left_out():
    present = FigureValue("readings", "体温", "人次", 5, "/r", False, "control")
    zero = FigureValue("fevers", "发热", "人次", 0, None, False, "control")
    values = {"readings": present, "fevers": zero}
    assert sentence_render("测温{readings}人次。", values) == [
        ("测温", None),
        ("5", "/r"),
        ("人次。", None),
    ]
    assert sentence_render("发热{fevers}人次。", values) is None
    assert sentence_render("组建{loudspeaker_teams}支。", values) is None


def test_money_and_tonnes_are_decimal_strings_in_the_api(world, client, monkeypatch):
    from frontline.command import rollups

    money = type(registry().figures["villages"])(
        "test_cash", "义捐", "元", lambda node, start, end: Decimal("1234.5"), kind="sum"
    )
    monkeypatch.setitem(registry().figures, "test_cash", money)
    figures = _figures(client, world.town_leader)
    assert figures["test_cash"]["value"] == "1234.50"
    assert rollups.number(money, Decimal("7")) == Decimal("7.00")


def test_a_bad_span_is_refused_in_chinese(world, client):
    today = timezone.localdate()
    response = client.get(
        reverse("api:figures"),
        {"from": today, "to": today - timedelta(days=3)},
        headers=bearer(world.town_leader),
    )
    assert response.status_code == 422
    assert "开始日期不能晚于结束日期" in response.json()["detail"]
    response = client.get(
        reverse("api:figures"), {"to": today + timedelta(days=1)}, headers=bearer(world.town_leader)
    )
    assert response.status_code == 422 and "不能晚于今天" in response.json()["detail"]


def test_the_dashboard_drills_down_and_a_health_worker_has_none(world, login, isolated):
    client = login(world.town_leader)
    page = client.get(reverse("command:dashboard"))
    assert page.status_code == 200
    html = page.content.decode()
    assert f"?node={world.sandian.pk}&from=" in html and "三店村" in html
    drilled = client.get(reverse("command:dashboard"), {"node": world.sandian.pk})
    assert drilled.context["node"] == world.sandian
    assert login(world.health_sandian).get(reverse("command:dashboard")).status_code == 404


def test_a_village_leader_commands_only_their_village(world, login):
    client = login(world.village_leader_sandian)
    assert client.get(reverse("command:dashboard")).context["node"] == world.sandian
    other = client.get(reverse("command:dashboard"), {"node": world.zhengyuan.pk})
    assert other.status_code == 404
    assert client.get(reverse("command:dashboard"), {"node": "abc"}).status_code == 404


def test_a_bad_date_on_the_page_shows_why_and_today(world, login):
    page = login(world.town_leader).get(reverse("command:dashboard"), {"from": "2026-13-40"})
    assert page.status_code == 200
    assert "（已显示今日）" in page.content.decode()


def test_the_town_rewords_a_sentence_and_the_report_uses_it(world, login, isolated, yesterday):
    _reading(world, isolated, yesterday)
    client = login(world.town_leader)
    url = reverse("command:wording") + f"?node={world.town.pk}"
    saved = client.post(url, {"sentence": "readings", "text": "全镇入户测温{readings}人次。"})
    assert saved.status_code == 302
    assert AuditEvent.objects.filter(action="command.wording.update").exists()
    report = client.get(
        reverse("command:report"), {"node": world.sandian.pk, "from": yesterday, "to": yesterday}
    )
    assert "全镇入户测温" in report.content.decode()
    refused = client.post(url, {"sentence": "readings", "text": "测温{nonsense}人次"})
    assert refused.status_code == 422
    assert "{nonsense} 不是已知的指标" in refused.content.decode()
    # Empty restores the default wording.
    client.post(url, {"sentence": "readings", "text": ""})
    report = client.get(
        reverse("command:report"), {"node": world.sandian.pk, "from": yesterday, "to": yesterday}
    )
    # The number is a link to the readings it counts; the reader sees the sentence.
    assert "上门测量体温1人次" in strip_tags(report.content.decode())


def test_a_village_cadre_cannot_reword_the_report(world, login):
    client = login(world.cadre_sandian)
    url = reverse("command:wording") + f"?node={world.sandian.pk}"
    assert client.get(url).status_code == 404
    assert client.post(url, {"sentence": "readings", "text": "x{readings}"}).status_code == 404


def test_the_pdf_embeds_its_font_and_its_text_can_be_read(world, client, isolated, yesterday):
    _reading(world, isolated, yesterday)
    response = client.get(
        reverse("api:battle_pdf"),
        {"from": yesterday, "to": yesterday},
        headers=bearer(world.town_leader),
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    # pypdf reads fpdf2's two-byte CID codes with a NUL before each character (poppler's
    # pdftotext reads them whole); the text itself is all there, wrapped into lines.
    text = "".join(page.extract_text() for page in reader.pages)
    text = text.replace("\x00", "").replace("\n", "")
    assert "疫情防控和复工复产战报" in text and "上门测量体温1人次" in text
    fonts = [
        font.get_object()["/FontDescriptor"]
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
        if "/FontDescriptor" in font.get_object()
    ] or [
        font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    ]
    assert any(
        key in descriptor
        for descriptor in fonts
        for key in ("/FontFile", "/FontFile2", "/FontFile3")
    )
    assert AuditEvent.objects.filter(action="command.report.export_pdf").count() == 1


def test_the_figures_workbook_has_a_row_per_day_and_place(world, login, isolated, yesterday):
    _reading(world, isolated, yesterday)
    client = login(world.town_leader)
    response = client.get(
        reverse("command:report_xlsx"),
        {"node": world.town.pk, "from": yesterday, "to": timezone.localdate()},
    )
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    headers = rows[0]
    assert headers[:2] == ["日期", "单位"] and "体温测量人次（人次）" in headers
    column = headers.index("体温测量人次（人次）")
    by_place = {(r[0], r[1]): r[column] for r in rows[1:]}
    assert by_place[(yesterday.isoformat(), "三店村")] == 1
    assert by_place[(yesterday.isoformat(), world.town.name)] == 1
    assert by_place[(yesterday.isoformat(), "郑园村")] == 0
    assert len(rows) == 1 + 2 * 4  # two days × the town, its two villages and its grid
    assert AuditEvent.objects.filter(action="command.report.export_xlsx").count() == 1


def test_a_passer_replayed_after_midnight_updates_its_day(world, client, yesterday):
    checkpoint = checkpoint_make(world.sandian)
    span = {"node": world.sandian.pk, "from": yesterday, "to": yesterday}
    assert _figures(client, world.town_leader, **span)["passers"]["value"] == 0
    checkpoint_services.passer_log(
        actor=world.police_sandian,
        checkpoint=checkpoint,
        idempotency_key="offline-1",
        kind="person",
        outcome="pass",
        at=_at(yesterday, 23),
    )
    assert _figures(client, world.town_leader, **span)["passers"]["value"] == 1


def test_missed_slots_of_a_day_agree_with_the_overdue_list(world, client, isolated, yesterday):
    from frontline.control.selectors import overdue_items

    other = isolation_make(world, world.sandian_grid, "李小红", days_ago=4)
    isolation_make(world, world.zhengyuan_grid, "赵小刚", days_ago=4)
    _reading(world, isolated, yesterday, "36.5", "am", 8)
    span = {"node": world.sandian.pk, "from": yesterday, "to": yesterday}
    # 王小明 missed the afternoon, 李小红 both slots; 郑园's person is not 三店's.
    assert _figures(client, world.town_leader, **span)["readings_missed"]["value"] == 3
    listed = [i for i in overdue_items(world.health_sandian) if i.day == yesterday]
    assert len(listed) == 3 and {i.isolation for i in listed} == {isolated, other}
    town = {"node": world.town.pk, "from": yesterday, "to": yesterday}
    assert _figures(client, world.town_leader, **town)["readings_missed"]["value"] == 5


def test_what_waits_now_is_counted_live_shown_first_and_never_kept(world, client, login, yesterday):
    checkpoint_make(world.sandian)  # open, and nobody has checked in
    today = _figures(client, world.town_leader, node=world.sandian.pk)
    assert today["checkpoints_unmanned"]["value"] == 1
    unmanned = f"{reverse('checkpoints:unmanned')}?node={world.sandian.pk}"
    assert today["checkpoints_unmanned"]["url"] == unmanned
    page = login(world.town_leader).get(reverse("command:dashboard"), {"node": world.sandian.pk})
    assert any(v.key == "checkpoints_unmanned" for v in page.context["attention"])
    # A span that ended says nothing of "now", and no day ever keeps it.
    past = _figures(
        client, world.town_leader, node=world.sandian.pk, **{"from": yesterday, "to": yesterday}
    )
    assert "checkpoints_unmanned" not in past
    call_command("battle_prepare", stdout=io.StringIO())
    assert not FigureDay.objects.filter(key="checkpoints_unmanned").exists()


def test_places_units_and_people_reach_the_figure_the_list_and_the_report(
    world, client, login, isolated
):
    from frontline.screening.tests.factories import record_make

    record_make(world.sandian, world.cadre_sandian)
    checkpoint = checkpoint_make(world.sandian)
    checkpoint_services.duty_check_in(actor=world.police_sandian, checkpoint=checkpoint)
    figures = _figures(client, world.town_leader)
    assert figures["villages"]["value"] == 2 and figures["enterprises"]["value"] == 1
    assert figures["enterprise_grids"]["value"] == 1
    assert figures["key_persons"]["value"] == 1
    assert figures["units_screened"]["value"] == 1
    assert figures["checkpoints_manned"]["value"] == 1
    leader = login(world.town_leader)
    # The links' lists hold the same rows: the key persons, the units screened that day.
    people = leader.get(figures["key_persons"]["url"])
    assert people.context["page"].paginator.count == 1
    screened = leader.get(figures["units_screened"]["url"])
    assert screened.context["page"].paginator.count == 1
    report = client.get(reverse("api:battle"), headers=bearer(world.town_leader)).json()
    text = "".join(report["paragraphs"])
    for sentence in (
        "全覆盖排查2个村（社区）、1家企业。",
        "排查单位1个次。",
        "落实重点人员管控1人。",
        "1个卡口有人值守。",
    ):
        assert sentence in text


def test_open_alerts_and_units_not_screened_today_agree_with_their_lists(
    world, client, login, isolated, yesterday
):
    from frontline.screening.tests.factories import record_make

    _reading(world, isolated, yesterday, "38.4", "am", 8)  # a fever: an alert opens
    leader = login(world.town_leader)
    before = _figures(client, world.town_leader)
    assert before["alerts_open"]["value"] == 1
    assert leader.get(before["alerts_open"]["url"]).status_code == 200
    board = leader.get(before["units_unscreened"]["url"]).context["coverage"]
    assert before["units_unscreened"]["value"] == board.missing > 0
    record_make(world.sandian, world.cadre_sandian)
    after = _figures(client, world.town_leader)
    assert after["units_unscreened"]["value"] == before["units_unscreened"]["value"] - 1
    assert "需要立即处理" in leader.get(reverse("command:dashboard")).text


@pytest.mark.parametrize(
    ("key", "names"),
    [
        ("villages", {"三店村", "郑园村"}),
        ("enterprises", {"连云港金鹏机械有限公司"}),
        ("enterprise_grids", None),
    ],
)
def test_the_places_figures_link_to_exactly_the_places_they_count(world, client, login, key, names):
    figure = _figures(client, world.town_leader)[key]
    page = login(world.town_leader).get(figure["url"])
    listed = [place.name for place in page.context["page"]]
    assert figure["value"] == page.context["page"].paginator.count == len(listed) > 0
    if names is not None:
        assert set(listed) == names
    # For one village: none of the town's enterprises or grids, only itself as a village.
    today = timezone.localdate()
    village_url = registry().figures[key].url(world.sandian, today, today)
    in_village = login(world.town_leader).get(village_url).context["page"]
    value = registry().figures[key].compute(world.sandian, today, today)
    assert value == in_village.paginator.count == (1 if key == "villages" else 0)
    # Another village's cadre cannot open 三店村's list.
    assert login(world.cadre_zhengyuan).get(village_url).status_code == 404
