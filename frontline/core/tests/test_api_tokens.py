"""API tokens expire when idle, are listed and revoked by their owner, and die with logout,
password change, sign-out everywhere and deactivation (SECURITY 37)."""

from datetime import timedelta

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from frontline.core import services
from frontline.core.models import ApiToken, AuditEvent, User
from frontline.core.tests.fixtures import PASSWORD

NEW_PASSWORD = "a-brand-new-secret-77"


def api_token_make(user: User, label: str = "") -> tuple[str, ApiToken]:
    """A token issued as POST /api/v1/auth/token issues it: the raw value and its row."""
    raw = services.api_token_issue(user=user, label=label)
    return raw, ApiToken.objects.get(digest=services.token_digest(raw))


def bearer(raw: str) -> dict:
    return {"Authorization": f"Bearer {raw}"}


def _idle_for(token: ApiToken, seconds: int) -> None:
    ApiToken.objects.filter(pk=token.pk).update(
        last_used_at=timezone.now() - timedelta(seconds=seconds)
    )


def _token_writes(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].startswith('UPDATE "core_apitoken"')]


# -- idle and absolute expiry -----------------------------------------------------------


def test_a_token_idle_longer_than_the_timeout_is_refused(world, client, settings):
    settings.API_TOKEN_IDLE_SECONDS = 2 * 3600
    raw, token = api_token_make(world.cadre_sandian)
    _idle_for(token, 2 * 3600 + 60)
    response = client.get(reverse("api:me"), headers=bearer(raw))
    assert response.status_code == 401
    assert response.json()["detail"] == "请先登录或提供有效的令牌"


def test_a_token_in_use_stays_alive_past_the_idle_timeout(world, client, settings):
    settings.API_TOKEN_IDLE_SECONDS = 2 * 3600
    raw, token = api_token_make(world.cadre_sandian)
    _idle_for(token, 2 * 3600 - 60)
    assert client.get(reverse("api:me"), headers=bearer(raw)).status_code == 200
    token.refresh_from_db()
    assert timezone.now() - token.last_used_at < timedelta(seconds=10)
    _idle_for(token, 2 * 3600 - 60)
    assert client.get(reverse("api:me"), headers=bearer(raw)).status_code == 200


def test_a_busy_token_still_dies_at_its_absolute_expiry(world, client):
    raw, token = api_token_make(world.cadre_sandian)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(reverse("api:me"), headers=bearer(raw)).status_code == 401


def test_requests_within_a_minute_write_nothing_to_the_token(world, client):
    raw, _ = api_token_make(world.health_sandian)
    with CaptureQueriesContext(connection) as queries:
        for _ in range(5):
            assert client.get(reverse("api:ping"), headers=bearer(raw)).status_code == 200
    assert _token_writes(queries) == []


def test_the_first_request_after_a_minute_moves_the_idle_clock_once(world, client):
    raw, token = api_token_make(world.health_sandian)
    _idle_for(token, 90)
    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            assert client.get(reverse("api:ping"), headers=bearer(raw)).status_code == 200
    assert len(_token_writes(queries)) == 1


def test_the_sign_in_answer_tells_both_lifetimes(world, client, settings):
    response = client.post(
        reverse("api:token_create"),
        {"username": "cadre_sandian", "password": PASSWORD},
        content_type="application/json",
    )
    body = response.json()
    assert body["expires_in"] == settings.API_TOKEN_SECONDS
    assert body["idle_timeout"] == settings.API_TOKEN_IDLE_SECONDS == 24 * 3600


def test_signing_in_again_clears_the_owners_dead_tokens(world):
    _, dead = api_token_make(world.cadre_sandian)
    _idle_for(dead, 30 * 24 * 3600)
    _, alive = api_token_make(world.cadre_sandian)
    api_token_make(world.cadre_sandian)
    remaining = set(ApiToken.objects.filter(user=world.cadre_sandian).values_list("pk", flat=True))
    assert dead.pk not in remaining and alive.pk in remaining


# -- the owner's list -------------------------------------------------------------------


def test_the_owner_lists_their_devices_without_the_token_or_its_digest(world, client):
    phone_raw, phone = api_token_make(world.cadre_sandian, label="张三的手机")
    _, tablet = api_token_make(world.cadre_sandian, label="村委会平板")
    api_token_make(world.cadre_zhengyuan, label="郑园村的手机")
    response = client.get(reverse("api:api_token_list"), headers=bearer(phone_raw))
    assert response.status_code == 200
    items = response.json()["items"]
    assert {item["label"] for item in items} == {"张三的手机", "村委会平板"}
    assert {item["id"]: item["current"] for item in items} == {phone.pk: True, tablet.pk: False}
    text = response.content.decode()
    assert phone_raw not in text and phone.digest not in text and tablet.digest not in text
    assert set(items[0]) == {"id", "label", "created_at", "last_used_at", "expires_at", "current"}


def test_a_dead_token_is_not_listed(world, client):
    raw, _ = api_token_make(world.cadre_sandian, label="在用的手机")
    _, idle = api_token_make(world.cadre_sandian, label="抽屉里的旧手机")
    _idle_for(idle, 25 * 3600)
    items = client.get(reverse("api:api_token_list"), headers=bearer(raw)).json()["items"]
    assert [item["label"] for item in items] == ["在用的手机"]


def test_the_label_is_the_user_agent_when_the_client_names_none(world, client):
    client.post(
        reverse("api:token_create"),
        {"username": "cadre_sandian", "password": PASSWORD},
        content_type="application/json",
        headers={"User-Agent": "FrontlineApp/1.2 (Android 10; Redmi 9A)"},
    )
    assert ApiToken.objects.get(user=world.cadre_sandian).label == (
        "FrontlineApp/1.2 (Android 10; Redmi 9A)"
    )


def test_the_account_page_lists_own_devices_only(world, login):
    api_token_make(world.cadre_sandian, label="张三的手机")
    api_token_make(world.cadre_zhengyuan, label="郑园村的手机")
    page = login(world.cadre_sandian).get(reverse("core:account")).content.decode()
    assert "张三的手机" in page and "郑园村的手机" not in page
    assert "在所有设备上退出" in page


# -- revoking ---------------------------------------------------------------------------


def test_the_owner_revokes_a_token_and_it_stops_working(world, client):
    raw, token = api_token_make(world.cadre_sandian, label="丢失的手机")
    other_raw, _ = api_token_make(world.cadre_sandian, label="新手机")
    url = reverse("api:api_token_revoke", kwargs={"token_id": token.pk})
    assert client.delete(url, headers=bearer(other_raw)).status_code == 204
    assert client.get(reverse("api:me"), headers=bearer(raw)).status_code == 401
    assert client.get(reverse("api:me"), headers=bearer(other_raw)).status_code == 200
    event = AuditEvent.objects.get(action="core.api_token.revoke")
    assert event.actor == world.cadre_sandian and event.object_id == str(token.pk)


def test_another_users_token_is_not_found_even_in_the_same_village(world, client):
    victim_raw, victim = api_token_make(world.cadre_sandian)
    attacker_raw, _ = api_token_make(world.admin_sandian)
    url = reverse("api:api_token_revoke", kwargs={"token_id": victim.pk})
    response = client.delete(url, headers=bearer(attacker_raw))
    assert response.status_code == 404
    assert response.json()["detail"] == "未找到"
    assert client.get(reverse("api:me"), headers=bearer(victim_raw)).status_code == 200


def test_the_account_page_revokes_a_device(world, login, client):
    raw, token = api_token_make(world.cadre_sandian, label="丢失的手机")
    web = login(world.cadre_sandian)
    response = web.post(reverse("core:api_token_revoke", kwargs={"pk": token.pk}), follow=True)
    assert "已注销“丢失的手机”的令牌" in response.content.decode()
    assert Client().get(reverse("api:me"), headers=bearer(raw)).status_code == 401


def test_api_logout_revokes_the_token_used_and_no_other(world, client):
    used, _ = api_token_make(world.police_sandian, label="执勤手机")
    kept, _ = api_token_make(world.police_sandian, label="办公电脑")
    assert client.post(reverse("api:auth_logout"), headers=bearer(used)).status_code == 204
    assert client.get(reverse("api:me"), headers=bearer(used)).status_code == 401
    assert client.get(reverse("api:me"), headers=bearer(kept)).status_code == 200


def test_api_logout_with_the_web_session_ends_that_session(world, login):
    web = login(world.cadre_sandian)
    assert web.post(reverse("api:auth_logout")).status_code == 204
    assert web.get(reverse("core:home")).status_code == 302


# -- password change, sign out everywhere, deactivation ---------------------------------


def _password_change(web: Client, old: str = PASSWORD):
    return web.post(
        reverse("core:password_change"),
        {"old_password": old, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )


def test_a_password_change_revokes_every_token_and_other_sessions(world, login):
    raw, _ = api_token_make(world.cadre_sandian, label="张三的手机")
    elsewhere = Client()
    elsewhere.force_login(world.cadre_sandian)
    web = login(world.cadre_sandian)
    response = _password_change(web)
    assert response.status_code == 302 and response["Location"] == reverse("core:account")
    assert Client().get(reverse("api:me"), headers=bearer(raw)).status_code == 401
    assert web.get(reverse("core:account")).status_code == 200
    assert elsewhere.get(reverse("core:home")).status_code == 302
    assert User.objects.get(pk=world.cadre_sandian.pk).check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(action="core.user.password_change").count() == 1


def test_a_wrong_old_password_changes_nothing(world, login):
    raw, _ = api_token_make(world.cadre_sandian)
    response = _password_change(login(world.cadre_sandian), old="not-it")
    assert response.status_code == 422
    assert "你的旧密码不正确" in response.content.decode()
    assert Client().get(reverse("api:me"), headers=bearer(raw)).status_code == 200


def test_sign_out_everywhere_ends_every_session_and_token(world, login):
    raw, _ = api_token_make(world.cadre_sandian)
    elsewhere = Client()
    elsewhere.force_login(world.cadre_sandian)
    web = login(world.cadre_sandian)
    response = web.post(reverse("core:sign_out_everywhere"))
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert web.get(reverse("core:home")).status_code == 302
    assert elsewhere.get(reverse("core:home")).status_code == 302
    assert Client().get(reverse("api:me"), headers=bearer(raw)).status_code == 401


def test_deactivation_revokes_the_tokens_and_says_so_in_the_log(world, client):
    raw, _ = api_token_make(world.cadre_zhengyuan)
    services.user_set_active(actor=world.admin_zhengyuan, user=world.cadre_zhengyuan, active=False)
    assert client.get(reverse("api:me"), headers=bearer(raw)).status_code == 401
    event = AuditEvent.objects.get(action="core.api_token.revoke_all")
    assert event.actor == world.admin_zhengyuan and event.node == world.zhengyuan
