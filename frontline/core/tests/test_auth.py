"""Sign-in, lockout, session timeouts, deactivation and the API token (SECURITY 25-27)."""

import time

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.hashers import make_password
from django.test import override_settings
from django.urls import reverse

import config.settings as project_settings
from frontline.core import services
from frontline.core.tests.fixtures import PASSWORD


def test_the_login_page_is_in_chinese(client):
    page = client.get(reverse("login")).content.decode()
    assert "用户名" in page and "密码" in page and "登录" in page
    assert '<html lang="zh-Hans">' in page


def test_a_wrong_password_is_told_in_chinese(world, client):
    response = client.post(reverse("login"), {"username": "cadre_sandian", "password": "nope"})
    assert "请输入一个正确的" in response.content.decode()


def test_it_logs_in_and_lands_on_the_home_page(world, client):
    response = client.post(
        reverse("login"), {"username": "cadre_sandian", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("core:home")
    assert "三店村 · 村干部" in response.content.decode()


def test_the_first_password_hasher_is_argon2():
    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    with override_settings(PASSWORD_HASHERS=project_settings.PASSWORD_HASHERS):
        assert make_password("x-long-password").startswith("argon2")


@pytest.mark.django_db
def test_a_new_users_hash_starts_with_argon2(world):
    with override_settings(PASSWORD_HASHERS=project_settings.PASSWORD_HASHERS):
        user = services.user_create(
            actor=world.admin,
            username="new_cadre",
            full_name="新干部",
            password="long-enough-42",
            role="cadre",
            node=world.sandian,
        )
    assert user.password.startswith("argon2$")


@override_settings(AXES_FAILURE_LIMIT=3)
def test_repeated_failures_lock_the_username_even_with_the_right_password(world, client, caplog):
    for _ in range(3):
        client.post(reverse("login"), {"username": "cadre_sandian", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "cadre_sandian", "password": PASSWORD})
    assert response.status_code == 429
    assert "已暂时锁定" in response.content.decode()
    assert AccessAttempt.objects.filter(username="cadre_sandian").exists()
    assert any("locking out" in r.getMessage().lower() for r in caplog.records)


@override_settings(AXES_FAILURE_LIMIT=3)
def test_the_api_token_endpoint_is_locked_too(world, client):
    url = reverse("api:token_create")
    for _ in range(3):
        client.post(
            url, {"username": "cadre_sandian", "password": "x"}, content_type="application/json"
        )
    good = {"username": "cadre_sandian", "password": PASSWORD}
    response = client.post(url, good, content_type="application/json")
    assert response.status_code == 429


def test_an_idle_session_is_logged_out(world, client, settings):
    client.force_login(world.cadre_sandian)
    assert client.get(reverse("core:home")).status_code == 200
    session = client.session
    session["seen_at"] = int(time.time()) - settings.SESSION_IDLE_SECONDS - 5
    session.save()
    response = client.get(reverse("core:home"))
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert client.get(reverse("core:home")).status_code == 302


def test_a_busy_session_still_ends_at_the_absolute_limit(world, client, settings):
    client.force_login(world.cadre_sandian)
    client.get(reverse("core:home"))
    session = client.session
    session["started_at"] = int(time.time()) - settings.SESSION_ABSOLUTE_SECONDS - 5
    session["seen_at"] = int(time.time())
    session.save()
    assert client.get(reverse("core:home")).status_code == 302


def test_deactivating_a_user_ends_their_sessions_and_tokens(world, client):
    client.post(reverse("login"), {"username": "cadre_zhengyuan", "password": PASSWORD})
    assert client.get(reverse("core:home")).status_code == 200
    token = services.api_token_issue(user=world.cadre_zhengyuan)
    services.user_set_active(actor=world.admin_zhengyuan, user=world.cadre_zhengyuan, active=False)
    assert client.get(reverse("core:home")).status_code == 302
    response = client.get(reverse("api:me"), headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401


def test_an_admin_cannot_deactivate_a_user_of_another_village(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.user_set_active(
            actor=world.admin_sandian, user=world.cadre_zhengyuan, active=False
        )


def test_the_mobile_client_signs_in_with_a_token(world, client):
    response = client.post(
        reverse("api:token_create"),
        {"username": "cadre_sandian", "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 200
    token = response.json()["token"]
    me = client.get(reverse("api:me"), headers={"Authorization": f"Bearer {token}"}).json()
    assert me["username"] == "cadre_sandian"
    assert me["roles"] == [
        {
            "role": "cadre",
            "role_label": "村干部",
            "node_id": world.sandian.pk,
            "node_name": "三店村",
        }
    ]


def test_a_wrong_password_gets_401_from_the_api(world, client):
    response = client.post(
        reverse("api:token_create"),
        {"username": "cadre_sandian", "password": "x"},
        content_type="application/json",
    )
    assert response.status_code == 401
    assert response.json()["detail"] == "用户名或密码错误"


def test_the_api_refuses_a_request_without_credentials(db, client):
    assert client.get(reverse("api:me")).status_code == 401


def test_the_token_itself_is_not_stored(world):
    from frontline.core.models import ApiToken

    token = services.api_token_issue(user=world.cadre_sandian)
    assert not ApiToken.objects.filter(digest=token).exists()
    assert ApiToken.objects.filter(digest=services.token_digest(token)).exists()
