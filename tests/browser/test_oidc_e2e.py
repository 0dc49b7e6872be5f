"""Sign-in end to end: headless Chromium, Django's live server and a real OpenID provider.

The provider is tests/oidc/provider.mjs on the npm package `oidc-provider` (OpenID-certified),
started here as a Node process. Nothing on either side is mocked: the browser follows the
authorization-code flow with PKCE, Django exchanges the code over HTTP, checks the RS256
signature against the provider's keys, and applies Forankring's rules.
"""

from __future__ import annotations

import json
import secrets
import shutil
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page

from forankring.core.models import AuditEvent, Membership, Municipality, Person, Role, RoleAssignment
from forankring.settings import content_security_policy
from tests.browser.conftest import BrowserThread
from tests.factories import make_unit

NODE = shutil.which("node")
REPO = Path(__file__).resolve().parents[2]
PROVIDER = REPO / "tests" / "oidc" / "provider.mjs"
CLIENT_ID = "forankring-test"
CLIENT_SECRET = secrets.token_urlsafe(24)
PASSWORD = "test-password"
REFUSED = "Du kan ikke logge ind i Forankring endnu"

pytestmark = [
    pytest.mark.oidc,
    pytest.mark.browser,  # drives Chromium, so the quick loop (-m "not browser") leaves it out
    pytest.mark.skipif(NODE is None, reason="node is not installed; the test OpenID provider runs on Node"),
]

MAPPING = {
    "claim": "roles",
    "rules": [
        {"value": "Forankring.Admin", "role": "admin", "unit": "root"},
        {"value": "Forankring.IT", "role": "it", "unit": "root"},
        {"value": "Forankring.MED", "role": "med", "unit": "root"},
        {"value": "Forankring.Medarbejder", "role": "employee", "unit": "membership"},
    ],
    "require_any": True,
}


def _account(sub: str, name: str, employee_id: str, roles: list[str]) -> dict[str, Any]:
    return {
        "password": PASSWORD,
        "claims": {
            "sub": sub,
            "name": name,
            "email": f"{sub}@kommune.test",
            "email_verified": True,
            "employee_id": employee_id,
            "roles": roles,
        },
    }


def default_accounts() -> dict[str, dict[str, Any]]:
    return {
        "sanne.admin": _account(
            "sub-sanne", "Sanne Admin", "SSO-ADMIN", ["Forankring.Admin", "Forankring.Medarbejder"]
        ),
        "emil.medarbejder": _account("sub-emil", "Emil Medarbejder", "SSO-EMP", ["Forankring.Medarbejder"]),
        "ulla.udenrolle": _account("sub-ulla", "Ulla Uden Rolle", "SSO-UNMAPPED", ["Andet.System"]),
        "ukendt.person": _account("sub-ukendt", "Ukendt Person", "X-999", ["Forankring.Admin"]),
    }


# --- The provider ---------------------------------------------------------------------------


@dataclass
class Provider:
    issuer: str
    accounts_file: Path

    def set_accounts(self, accounts: dict[str, dict[str, Any]]) -> None:
        # The provider reads the file on every use, so this takes effect at the next sign-in.
        self.accounts_file.write_text(json.dumps(accounts), encoding="utf-8")


@pytest.fixture(scope="session")
def oidc_provider(live_server, tmp_path_factory) -> Iterator[Provider]:
    assert NODE is not None
    folder = tmp_path_factory.mktemp("oidc")
    accounts_file = folder / "accounts.json"
    accounts_file.write_text(json.dumps(default_accounts()), encoding="utf-8")
    stderr = (folder / "provider.log").open("w+", encoding="utf-8")
    process = subprocess.Popen(
        [
            NODE,
            str(PROVIDER),
            "--client-id",
            CLIENT_ID,
            # In one argument: a random secret may start with "-", which would read as an option.
            f"--client-secret={CLIENT_SECRET}",
            "--redirect-uri",
            f"{live_server.url}/oidc/callback/",
            "--post-logout-redirect-uri",
            f"{live_server.url}/log-ind/",
            "--accounts",
            str(accounts_file),
        ],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=stderr,
        text=True,
    )
    try:
        issuer = _read_issuer(process, timeout=30)
        if not issuer.startswith("http://127.0.0.1:"):
            stderr.seek(0)
            pytest.fail(f"The OpenID provider did not start: {issuer!r}\n{stderr.read()}")
        yield Provider(issuer=issuer, accounts_file=accounts_file)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        stderr.close()


def _read_issuer(process: subprocess.Popen[str], *, timeout: float) -> str:
    """The first line the provider prints, or "" if it prints nothing in time."""
    line: list[str] = []
    reader = threading.Thread(target=lambda: line.append(process.stdout.readline() if process.stdout else ""))
    reader.daemon = True
    reader.start()
    reader.join(timeout)
    return line[0].strip() if line else ""


@pytest.fixture
def sso(oidc_provider: Provider, settings, transactional_db) -> Iterator[SsoWorld]:
    """Sign-in with the provider switched on for "SSO Kommune", and the people HR knows there."""
    issuer = oidc_provider.issuer
    settings.OIDC_ENABLED = True
    settings.AUTHENTICATION_BACKENDS = [
        "forankring.core.oidc.MunicipalityOIDCBackend",
        "django.contrib.auth.backends.ModelBackend",
    ]
    settings.OIDC_OP_ISSUER = issuer
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{issuer}/auth"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{issuer}/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{issuer}/me"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{issuer}/jwks"
    settings.OIDC_OP_LOGOUT_ENDPOINT = f"{issuer}/session/end"
    settings.OIDC_STORE_ID_TOKEN = True
    settings.CONTENT_SECURITY_POLICY = content_security_policy(form_targets=[settings.OIDC_OP_LOGOUT_ENDPOINT])
    settings.OIDC_MUNICIPALITY_SLUG = "sso"
    settings.OIDC_CLAIM_MAPPING = json.dumps(MAPPING)
    settings.OIDC_CLAIM_MAPPING_FILE = ""
    settings.OIDC_EMPLOYEE_ID_CLAIM = "employee_id"
    settings.OIDC_MATCH_EMAIL = False
    oidc_provider.set_accounts(default_accounts())

    municipality = Municipality.objects.create(name="SSO Kommune", slug="sso")
    root = make_unit(municipality, "Direktionen")
    team = make_unit(municipality, "Team Nord", make_unit(municipality, "Center for Sundhed", root))

    def person(name: str, employee_id: str, unit: Any) -> Person:
        p = Person.objects.create(municipality=municipality, name=name, employee_id=employee_id)
        Membership.objects.create(municipality=municipality, person=p, unit=unit)
        return p

    yield SsoWorld(
        provider=oidc_provider,
        municipality=municipality,
        admin=person("Sanne Admin", "SSO-ADMIN", root),
        employee=person("Emil Medarbejder", "SSO-EMP", team),
        unmapped=person("Ulla Uden Rolle", "SSO-UNMAPPED", team),
    )


@dataclass
class SsoWorld:
    provider: Provider
    municipality: Municipality
    admin: Person
    employee: Person
    unmapped: Person


# --- The browser ----------------------------------------------------------------------------
# The session's one Chromium (tests/browser/conftest.py), each sign-in in a fresh context.


@dataclass
class Visit:
    url: str
    h1: str
    text: str
    home_after: str  # where "/" leads afterwards: the home page, or the login page


def sign_in(page: Page, base_url: str, issuer: str, login: str) -> Visit:
    page.goto(f"{base_url}/log-ind/")
    page.get_by_role("link", name="Log ind med kommunens log-ind").click()
    page.wait_for_url(f"{issuer}/interaction/**")
    page.fill("#login", login)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(f"{base_url}/**")
    page.wait_for_load_state()
    visit = Visit(page.url, page.locator("h1").inner_text(), page.locator("body").inner_text(), "")
    page.goto(f"{base_url}/")
    visit.home_after = page.url
    return visit


def _sso_roles(person: Person) -> set[tuple[str, str]]:
    return set(
        RoleAssignment.objects.filter(person=person, source=RoleAssignment.Source.SSO).values_list("role", "unit__name")
    )


# --- The tests ------------------------------------------------------------------------------


def test_it_signs_a_mapped_administrator_in_as_their_person(sso, live_server, chromium: BrowserThread):
    visit = chromium.in_page(
        lambda page: sign_in(page, live_server.url, sso.provider.issuer, "sanne.admin"), locale="da-DK"
    )
    assert visit.url == f"{live_server.url}/"
    assert visit.h1 == "Velkommen, Sanne Admin"
    assert "Administration" in visit.text  # the admin role is in force on the page
    sso.admin.refresh_from_db()
    assert sso.admin.external_subject == "sub-sanne"
    assert sso.admin.user is not None
    assert sso.admin.user.username == "oidc:sso:sub-sanne"
    assert not sso.admin.user.has_usable_password()
    assert _sso_roles(sso.admin) == {("admin", "Direktionen"), ("employee", "Direktionen")}
    event = AuditEvent.objects.get(municipality=sso.municipality, action="sso.sync")
    assert event.changes["linked_by"] == "employee_id"


def test_it_signs_an_employee_in_with_the_role_in_their_own_team(sso, live_server, chromium: BrowserThread):
    visit = chromium.in_page(
        lambda page: sign_in(page, live_server.url, sso.provider.issuer, "emil.medarbejder"), locale="da-DK"
    )
    assert visit.h1 == "Velkommen, Emil Medarbejder"
    assert "Administration" not in visit.text
    assert _sso_roles(sso.employee) == {("employee", "Team Nord")}


def test_it_refuses_a_person_whose_claims_map_to_no_role(sso, live_server, chromium: BrowserThread):
    visit = chromium.in_page(
        lambda page: sign_in(page, live_server.url, sso.provider.issuer, "ulla.udenrolle"), locale="da-DK"
    )
    assert visit.url == f"{live_server.url}/log-ind/"
    assert REFUSED in visit.text
    assert visit.home_after.startswith(f"{live_server.url}/log-ind/")  # no session
    sso.unmapped.refresh_from_db()
    assert sso.unmapped.external_subject == "" and sso.unmapped.user is None
    assert not RoleAssignment.objects.filter(person=sso.unmapped).exists()
    assert not User.objects.filter(username__startswith="oidc:").exists()
    assert not AuditEvent.objects.filter(municipality=sso.municipality).exists()


def test_it_refuses_someone_the_municipality_does_not_know(sso, live_server, chromium: BrowserThread):
    people_before = Person.objects.count()
    visit = chromium.in_page(
        lambda page: sign_in(page, live_server.url, sso.provider.issuer, "ukendt.person"), locale="da-DK"
    )
    assert visit.url == f"{live_server.url}/log-ind/"
    assert REFUSED in visit.text
    assert visit.home_after.startswith(f"{live_server.url}/log-ind/")
    assert Person.objects.count() == people_before
    assert not User.objects.filter(username__startswith="oidc:").exists()


def test_it_removes_a_role_the_provider_no_longer_gives(sso, live_server, chromium: BrowserThread):
    chromium.in_page(lambda page: sign_in(page, live_server.url, sso.provider.issuer, "sanne.admin"), locale="da-DK")
    assert ("admin", "Direktionen") in _sso_roles(sso.admin)
    # A role an administrator gave by hand must survive what the provider says.
    RoleAssignment.objects.create(
        municipality=sso.municipality, person=sso.admin, role=Role.MED, unit=sso.employee.memberships.get().unit
    )
    # Someone else administers too, so the last-administrator rule does not keep her role.
    other_admin = Person.objects.create(municipality=sso.municipality, name="Anden Admin")
    RoleAssignment.objects.create(
        municipality=sso.municipality, person=other_admin, role=Role.ADMIN, unit=sso.admin.memberships.get().unit
    )
    accounts = default_accounts()
    accounts["sanne.admin"]["claims"]["roles"] = ["Forankring.Medarbejder"]
    sso.provider.set_accounts(accounts)

    visit = chromium.in_page(
        lambda page: sign_in(page, live_server.url, sso.provider.issuer, "sanne.admin"), locale="da-DK"
    )
    assert visit.h1 == "Velkommen, Sanne Admin"
    assert "Administration" not in visit.text
    assert _sso_roles(sso.admin) == {("employee", "Direktionen")}
    assert RoleAssignment.objects.filter(person=sso.admin, role=Role.MED, source="manual").exists()
    latest = AuditEvent.objects.filter(municipality=sso.municipality, action="sso.sync").order_by("-seq").first()
    assert latest is not None
    assert latest.changes == {"removed": [{"role": "admin", "unit": "Direktionen"}]}


def test_it_refuses_and_strips_a_linked_person_whose_roles_are_all_gone(sso, live_server, chromium: BrowserThread):
    chromium.in_page(
        lambda page: sign_in(page, live_server.url, sso.provider.issuer, "emil.medarbejder"), locale="da-DK"
    )
    accounts = default_accounts()
    accounts["emil.medarbejder"]["claims"]["roles"] = []
    sso.provider.set_accounts(accounts)
    visit = chromium.in_page(
        lambda page: sign_in(page, live_server.url, sso.provider.issuer, "emil.medarbejder"), locale="da-DK"
    )
    assert REFUSED in visit.text
    assert visit.home_after.startswith(f"{live_server.url}/log-ind/")
    assert _sso_roles(sso.employee) == set()


def test_it_refuses_a_token_from_another_issuer(sso, live_server, chromium: BrowserThread, settings):
    settings.OIDC_OP_ISSUER = "https://login.somewhere-else.example"
    visit = chromium.in_page(
        lambda page: sign_in(page, live_server.url, sso.provider.issuer, "sanne.admin"), locale="da-DK"
    )
    assert "Log-ind med kommunens log-ind lykkedes ikke" in visit.text
    assert visit.home_after.startswith(f"{live_server.url}/log-ind/")
    assert not User.objects.filter(username__startswith="oidc:").exists()


def test_it_signs_out_at_the_provider_too(sso, live_server, chromium: BrowserThread):
    def sign_in_then_out(page: Page) -> tuple[str, str]:
        sign_in(page, live_server.url, sso.provider.issuer, "sanne.admin")
        page.get_by_role("button", name="Log af").click()
        page.wait_for_url(f"{sso.provider.issuer}/session/end**")
        page.get_by_role("button", name="Ja, log mig ud").click()
        page.wait_for_url(f"{live_server.url}/log-ind/")
        after_logout = page.url
        # Signed out at the provider as well: the next sign-in asks for the password again
        # instead of letting the next person at this PC straight in.
        page.get_by_role("link", name="Log ind med kommunens log-ind").click()
        page.wait_for_url(f"{sso.provider.issuer}/interaction/**")
        return after_logout, page.locator("h1").inner_text()

    after_logout, provider_page = chromium.in_page(sign_in_then_out, locale="da-DK")
    assert after_logout == f"{live_server.url}/log-ind/"
    assert provider_page == "Kommunens log-ind (test)"
