"""A real installation starts only with safe settings, and the production example is clean."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
CONTROLLED = {"SECRET_KEY", "DEMO_MODE", "DEBUG", "DATABASE_URL", "HTTPS", "SQLITE_PATH"}


def run_python(code: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in CONTROLLED}
    environment.update({"SQLITE_PATH": str(tmp_path / "db.sqlite3"), **env})
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, check=False
    )


def example_production_values() -> dict[str, str]:
    """The uncommented KEY=value lines of .env.example."""
    values = {}
    for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#") and "=" in line:
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip()
    return values


@pytest.mark.parametrize(
    "key",
    ["insecure-demo-and-test-key", "django-insecure-" + "x" * 60, "too-short-but-random-Q7f9", "a" * 80],
    ids=["demo", "django-insecure", "short", "repetitive"],
)
def test_it_refuses_to_start_with_a_weak_secret_key_outside_demo_mode(key, tmp_path):
    result = run_python("import forankring.settings", tmp_path, SECRET_KEY=key)
    assert result.returncode != 0
    assert "SECRET_KEY is unsafe" in result.stderr


def test_it_starts_with_a_strong_key_and_demo_mode_with_the_built_in_one(tmp_path):
    assert run_python("import forankring.settings", tmp_path, SECRET_KEY=secrets.token_urlsafe(50)).returncode == 0
    assert run_python("import forankring.settings", tmp_path, DEMO_MODE="1").returncode == 0


def test_the_production_example_passes_the_deploy_check_without_a_warning(tmp_path):
    values = example_production_values()
    assert values["DEMO_MODE"] == "0"
    assert values["SECURE_SSL_REDIRECT"] == "1"
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] == "1"
    assert values["SECURE_HSTS_PRELOAD"] == "1"
    assert values["SECRET_KEY"] == "", "the example must not ship a key someone could copy"
    values["SECRET_KEY"] = secrets.token_urlsafe(50)
    result = run_python(
        "import sys; from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])",
        tmp_path,
        DJANGO_SETTINGS_MODULE="forankring.settings",
        **values,
    )
    issues = set(re.findall(r"\((\w+\.[WE]\d+)\)", result.stdout + result.stderr))
    if not (ROOT / "node_modules" / "dkfds" / "dist").is_dir():
        issues.discard("staticfiles.W004")  # the front-end packages are not installed here: not a setting
    assert not issues, result.stdout + result.stderr
    assert "System check identified" in result.stdout + result.stderr or "no issues" in result.stdout


def test_the_language_cookie_is_secure_over_https(tmp_path):
    code = "import forankring.settings as s; print(s.LANGUAGE_COOKIE_SECURE, s.LANGUAGE_COOKIE_SAMESITE)"
    result = run_python(code, tmp_path, DEMO_MODE="1", HTTPS="1")
    assert result.stdout.split() == ["True", "Lax"]


@pytest.mark.django_db
def test_the_language_cookie_is_same_site_and_http_only():
    response = Client().post(reverse("set_language"), {"language": "en", "next": "/"})
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie["samesite"] == "Lax"
    assert cookie["httponly"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "heading"), [("da", "Formularen blev ikke sendt"), ("en", "The form was not sent")]
)
def test_a_refused_csrf_check_gets_the_site_page_in_the_persons_language(language, heading):
    client = Client(enforce_csrf_checks=True)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.post(reverse("core:login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    html = response.content.decode()
    assert f"<h1>{heading}</h1>" in html
    assert 'href="#main-content"' in html  # the site's layout, skip link and all
    assert "style=" not in html
    assert "<style" not in html


@pytest.mark.django_db
def test_search_engines_are_told_to_stay_away():
    robots = Client().get("/robots.txt")
    assert robots.status_code == 200
    assert robots["Content-Type"].startswith("text/plain")
    assert robots.content.decode() == "User-agent: *\nDisallow: /\n"
    assert '<meta name="robots" content="noindex, nofollow">' in Client().get(reverse("core:login")).content.decode()


def test_a_bad_host_header_is_logged_in_one_line(tmp_path):
    code = (
        "import django; django.setup(); from django.test import Client; "
        "r = Client().get('/', HTTP_HOST='evil.example'); print(r.status_code)"
    )
    result = run_python(
        code, tmp_path, DEMO_MODE="1", DJANGO_SETTINGS_MODULE="forankring.settings", PYTHONWARNINGS="ignore"
    )
    assert result.stdout.strip() == "400"
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "Invalid HTTP_HOST header: 'evil.example'" in lines[0]
    assert "Traceback" not in result.stderr


@pytest.mark.django_db
def test_an_idle_session_is_signed_out_and_an_active_one_kept(client_for, settings):
    settings.SESSION_IDLE_TIMEOUT = 600
    client = client_for("employee")
    assert client.get(reverse("core:me")).status_code == 200
    session = client.session
    session["forankring_last_seen"] = int(time.time()) - 500
    session.save()
    assert client.get(reverse("core:me")).status_code == 200  # active within the limit
    session = client.session
    assert session["forankring_last_seen"] >= int(time.time()) - 5  # ... and the clock moved on
    session["forankring_last_seen"] = int(time.time()) - 601
    session.save()
    response = client.get(reverse("core:me"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:login"))
    assert client.get(reverse("core:me")).status_code == 302  # signed out for good
