"""On a 360 px phone: an inspector arrives unannounced at a checkpoint, scores it and records
a finding with a photo; the owner rectifies it; the weekly list shows the checkpoint's score."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone

from frontline.checkpoints.tests.factories import checkpoint_make
from frontline.core.tests.fixtures import browser_login
from frontline.core.tests.test_accessibility import axe_violations
from frontline.supervision.demo import SEED
from frontline.supervision.models import Rubric
from frontline.supervision.tests.factories import group_make

pytestmark = pytest.mark.browser

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


def _no_violations(page, live_server, where: str) -> None:
    violations = axe_violations(page, live_server)
    assert not violations, f"{where}: {[v['id'] for v in violations]}"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, where


def test_inspection_finding_rectification_and_the_weekly_list(
    live_server, live_world, phone, tmp_path
):
    # A transactional test before this one on the worker may have emptied the seeded rubrics.
    importlib.import_module(SEED).seed(apps, None)
    checkpoint = checkpoint_make(live_world.sandian, "三店村东村口")
    group_make(live_world.town, [live_world.inspector], [live_world.town], name="第一督察组")
    rubric = Rubric.objects.get(node=None, target_kind="checkpoint")
    items = list(rubric.items.all())

    browser_login(phone, live_server, "inspector")
    phone.get_by_role("link", name="督查检查").first.click()
    phone.get_by_role("link", name="卡口督查评分表").click()
    phone.get_by_label("检查对象").select_option(label="三店村东村口（三店村）")
    for index, item in enumerate(items):
        phone.get_by_label(f"{item.text}（满分 {item.points}）").fill(
            str(item.points - (10 if index == 0 else 0))
        )
    phone.get_by_label("发现的问题（没有可不填）").fill("夜班未签到，交接记录空白")
    phone.get_by_label("整改责任人").select_option(label="cadre_sandian")
    phone.get_by_label("整改期限").fill((timezone.localdate() + timedelta(days=2)).isoformat())
    photo = tmp_path / "finding.png"
    photo.write_bytes(PNG)
    phone.get_by_label("问题照片").set_input_files(str(photo))
    _no_violations(phone, live_server, "inspection form")
    phone.get_by_role("button", name="提交检查").click()
    phone.get_by_text("90/100 分", exact=True).wait_for()
    _no_violations(phone, live_server, "inspection detail")
    phone.screenshot(path=str(tmp_path / "inspection.png"), full_page=True)

    phone.context.clear_cookies()
    browser_login(phone, live_server, "cadre_sandian")
    phone.get_by_role("link", name="督查整改").first.click()
    phone.get_by_role("link", name="夜班未签到，交接记录空白").click()
    # Wait for the finding's page (and its photo) rather than racing the navigation.
    phone.get_by_role("img", name="问题照片").wait_for()
    phone.get_by_role("button", name="提交整改").click()
    phone.locator(".invalid-feedback").first.wait_for()
    phone.get_by_label("整改情况（证据）").fill("已补签到表，夜班增派一人")
    phone.get_by_role("button", name="提交整改").click()
    phone.get_by_text("已整改销号").wait_for()
    _no_violations(phone, live_server, "finding rectified")

    phone.context.clear_cookies()
    browser_login(phone, live_server, "inspector")
    phone.goto(f"{live_server.url}/supervision/rankings/?period=week")
    row = phone.locator(f'tr[data-kind="checkpoint"]:has-text("{checkpoint.name}")')
    assert "90.0" in row.inner_text()
    _no_violations(phone, live_server, "weekly list")
    phone.screenshot(path="/tmp/supervision-rankings-360.png", full_page=True)
