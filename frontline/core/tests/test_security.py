"""Headers, CSRF, deploy checks and health (SECURITY 24, 28)."""

import os
import subprocess
import sys
from pathlib import Path

from django.test import Client
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[3]


def test_pages_are_not_cached_nor_framed(world, login):
    response = login(world.cadre_sandian).get(reverse("core:home"))
    assert "no-store" in response["Cache-Control"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_api_responses_are_not_cached(world, login):
    response = login(world.cadre_sandian).get(reverse("api:me"))
    assert "no-store" in response["Cache-Control"]


def test_a_post_without_csrf_token_is_refused(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.admin)
    response = client.post(
        reverse("core:node_create", args=[world.sandian.pk]), {"kind": "grid", "name": "第二网格"}
    )
    assert response.status_code == 403
    assert not world.sandian.children.filter(name="第二网格").exists()


def test_the_login_form_needs_csrf_too(world):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "admin", "password": "x"})
    assert response.status_code == 403


def test_check_deploy_with_production_settings_prints_no_warnings(tmp_path):
    env = {
        **os.environ,
        "FRONTLINE_ENV": "production",
        "FRONTLINE_DATA_DIR": str(tmp_path),
        "DJANGO_ALLOWED_HOSTS": "frontline.example.org",
        "DJANGO_SECRET_KEY": "k" * 20 + "-Zq8!vR2#pL0xW7@nB4$yT6%mC9^sD1&fG3*",
        "FRONTLINE_FIELD_KEY": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
        "FRONTLINE_HASH_KEY": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
    }
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stdout + result.stderr


def test_production_refuses_to_start_without_its_secrets(tmp_path):
    env = {**os.environ, "FRONTLINE_ENV": "production", "FRONTLINE_DATA_DIR": str(tmp_path)}
    for name in ("DJANGO_SECRET_KEY", "FRONTLINE_FIELD_KEY", "FRONTLINE_HASH_KEY"):
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_healthz_answers_when_the_database_does(db, client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200 and response.content == b"ok"


def test_the_openapi_spec_lists_the_foundation_routes(db, client):
    spec = client.get("/api/openapi.json").json()
    assert {"/api/v1/auth/token", "/api/v1/me", "/api/v1/nodes"} <= set(spec["paths"])
    assert client.get("/api/docs").status_code == 200


def test_an_unknown_page_gets_the_chinese_not_found_page(world, login):
    response = login(world.cadre_sandian).get("/nodes/999999/")
    assert response.status_code == 404
    assert "不在您的管辖范围" in response.content.decode()
