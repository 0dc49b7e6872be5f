"""Sign-in with the municipality's OpenID provider: the claim mapping, how a person is found, and
how roles follow the claims. These run without a provider; test_oidc_e2e.py runs the real flow."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import RequestFactory
from django.urls import reverse

from forankring.core import oidc
from forankring.core.models import AuditEvent, Membership, Person, Role, RoleAssignment
from forankring.settings import content_security_policy
from tests.factories import Personas, make_unit

MAPPING: dict[str, Any] = {
    "claim": "roles",
    "rules": [
        {"value": "Forankring.Admin", "role": "admin", "unit": "root"},
        {"value": "Forankring.IT", "role": "it", "unit": "root"},
        {"value": "Forankring.MED", "role": "med", "unit": "root"},
        {"value": "Forankring.Medarbejder", "role": "employee", "unit": "membership"},
        {"value": "Forankring.Fyrtaarn", "role": "lighthouse", "unit": "Direktionen/Center for Dagtilbud"},
    ],
    "require_any": True,
}


@pytest.fixture
def sso(settings, personas: Personas) -> Personas:
    settings.OIDC_MUNICIPALITY_SLUG = personas.municipality.slug
    settings.OIDC_CLAIM_MAPPING = json.dumps(MAPPING)
    settings.OIDC_CLAIM_MAPPING_FILE = ""
    settings.OIDC_EMPLOYEE_ID_CLAIM = "employee_id"
    settings.OIDC_MATCH_EMAIL = False
    return personas


def _newcomer(personas: Personas, *, employee_id: str = "N1", email: str = "nina@kommune.test") -> Person:
    """A person HR knows, in Team Sol, who has never signed in and holds no role yet."""
    person = Person.objects.create(
        municipality=personas.municipality, name="Nina Ny", employee_id=employee_id, email=email
    )
    Membership.objects.create(municipality=personas.municipality, person=person, unit=personas.team)
    return person


def _claims(sub: str = "sub-nina", **extra: object) -> dict[str, object]:
    return {"sub": sub, "employee_id": "N1", "roles": ["Forankring.Medarbejder"], **extra}


def _roles(person: Person) -> set[tuple[str, str, str]]:
    return set(RoleAssignment.objects.filter(person=person).values_list("role", "unit__name", "source"))


# --- The mapping ----------------------------------------------------------------------------


def test_it_accepts_the_documented_mapping():
    mapping = oidc.parse_claim_mapping(MAPPING)
    assert mapping.claim == "roles"
    assert mapping.require_any is True
    assert [r.role for r in mapping.rules] == ["admin", "it", "med", "employee", "lighthouse"]
    assert mapping.rules[4].unit_path == ("Direktionen", "Center for Dagtilbud")


def test_it_names_every_problem_in_a_bad_mapping():
    bad = {
        "claim": "",
        "requre_any": True,
        "rules": [{"value": "", "role": "boss", "unit": 3, "colour": "red"}, "admin"],
    }
    with pytest.raises(oidc.ClaimMappingError) as caught:
        oidc.parse_claim_mapping(bad)
    message = str(caught.value)
    assert "unknown key(s) requre_any" in message
    assert "'claim' must be the name of a claim" in message
    assert "rule 1: unknown key(s) colour" in message
    assert "rule 1: 'value' must be" in message
    assert "rule 1: 'role' must be one of" in message and "'boss'" in message
    assert "rule 1: 'unit' must be" in message
    assert "rule 2: must be an object" in message


def test_it_refuses_a_mapping_that_would_let_nobody_in():
    with pytest.raises(oidc.ClaimMappingError, match="nobody could sign in"):
        oidc.parse_claim_mapping({"claim": "roles", "rules": []})
    # Roles managed only inside Forankring is a valid choice when said out loud.
    assert oidc.parse_claim_mapping({"claim": "roles", "rules": [], "require_any": False}).rules == ()


def test_it_accepts_a_unit_path_as_a_list_of_names():
    mapping = oidc.parse_claim_mapping(
        {"claim": "groups", "rules": [{"value": "g", "role": "med", "unit": ["Direktionen", "Børn/Unge"]}]}
    )
    assert mapping.rules[0].unit_path == ("Direktionen", "Børn/Unge")


def test_it_reads_the_mapping_from_a_file(settings, tmp_path):
    path = tmp_path / "claims.json"
    path.write_text(json.dumps(MAPPING), encoding="utf-8")
    settings.OIDC_CLAIM_MAPPING = ""
    settings.OIDC_CLAIM_MAPPING_FILE = str(path)
    assert len(oidc.load_claim_mapping().rules) == 5
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(oidc.ClaimMappingError, match="not valid JSON"):
        oidc.load_claim_mapping()
    settings.OIDC_CLAIM_MAPPING_FILE = str(tmp_path / "missing.json")
    with pytest.raises(oidc.ClaimMappingError, match="Cannot read"):
        oidc.load_claim_mapping()


def test_it_stops_startup_when_oidc_is_on_but_misconfigured(settings):
    settings.OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = "forankring"
    settings.OIDC_RP_CLIENT_SECRET = ""
    settings.OIDC_OP_ISSUER = "https://login.example"
    settings.OIDC_MUNICIPALITY_SLUG = ""
    settings.OIDC_CLAIM_MAPPING = ""
    settings.OIDC_CLAIM_MAPPING_FILE = ""
    errors = oidc.check_oidc_configuration()
    assert {e.id for e in errors} == {"forankring.E001", "forankring.E002"}
    assert any("OIDC_RP_CLIENT_SECRET" in e.msg for e in errors)
    assert any("OIDC_MUNICIPALITY_SLUG" in e.msg for e in errors)


def test_it_checks_nothing_while_oidc_is_off(settings):
    settings.OIDC_ENABLED = False
    settings.OIDC_CLAIM_MAPPING = ""
    assert oidc.check_oidc_configuration() == []


def test_it_reads_claim_values_in_the_shapes_providers_send():
    assert oidc.claim_values({"roles": ["A", "B"]}, "roles") == {"A", "B"}
    assert oidc.claim_values({"roles": "A"}, "roles") == {"A"}
    assert oidc.claim_values({"roles": "A, B"}, "roles", ",") == {"A", "B"}
    assert oidc.claim_values({"realm_access": {"roles": ["A"]}}, "realm_access.roles") == {"A"}
    assert oidc.claim_values({}, "roles") == set()
    assert oidc.claim_values({"roles": {"A": True}}, "roles") == set()


# --- Finding the person ---------------------------------------------------------------------


def test_it_finds_a_newcomer_by_employee_id_and_links_their_subject(sso):
    person = _newcomer(sso)
    user, signed_in = oidc.sign_in_with_claims(_claims())
    person.refresh_from_db()
    assert signed_in == person
    assert person.external_subject == "sub-nina"
    assert person.user == user
    assert user.username == "oidc:test:sub-nina"
    assert not user.has_usable_password()
    assert _roles(person) == {("employee", "Team Sol", "sso")}


def test_it_finds_a_linked_person_by_subject_alone(sso):
    person = _newcomer(sso)
    oidc.sign_in_with_claims(_claims())
    _, signed_in = oidc.sign_in_with_claims(_claims(employee_id="changed-in-hr"))
    assert signed_in == person


def test_it_keeps_an_existing_account_when_linking(sso):
    """A person the administrator already gave a local account keeps that account."""
    person = _newcomer(sso)
    existing = User.objects.create_user(username="nina.local", password="a-long-local-password")
    person.user = existing
    person.save()
    user, _ = oidc.sign_in_with_claims(_claims())
    assert user == existing
    assert not User.objects.filter(username__startswith="oidc:").exists()


def test_it_refuses_an_employee_id_already_linked_to_another_subject(sso):
    _newcomer(sso)
    oidc.sign_in_with_claims(_claims())
    with pytest.raises(oidc.SignInRefused, match="linked to another subject"):
        oidc.sign_in_with_claims(_claims(sub="sub-someone-else"))


def test_it_does_not_match_by_e_mail_unless_switched_on(sso, settings):
    person = _newcomer(sso, employee_id="")
    claims = _claims(employee_id=None, email="NINA@kommune.test")
    with pytest.raises(oidc.SignInRefused, match="no person"):
        oidc.sign_in_with_claims(claims)
    settings.OIDC_MATCH_EMAIL = True
    _, signed_in = oidc.sign_in_with_claims(claims)
    assert signed_in == person


def test_it_does_not_match_an_unverified_or_shared_e_mail(sso, settings):
    settings.OIDC_MATCH_EMAIL = True
    _newcomer(sso, employee_id="")
    with pytest.raises(oidc.SignInRefused):
        oidc.sign_in_with_claims(_claims(employee_id=None, email="nina@kommune.test", email_verified=False))
    _newcomer(sso, employee_id="N2")  # a second person with the same address
    with pytest.raises(oidc.SignInRefused, match="more than one"):
        oidc.sign_in_with_claims(_claims(employee_id=None, email="nina@kommune.test"))


def test_it_never_finds_a_person_in_another_municipality(sso):
    Person.objects.create(municipality=sso.other_municipality, name="Ulla Anden", employee_id="Z9")
    with pytest.raises(oidc.SignInRefused, match="no person"):
        oidc.sign_in_with_claims(_claims(employee_id="Z9", roles=["Forankring.Admin"]))


# --- Failing closed -------------------------------------------------------------------------


def _nothing_written(before: tuple[int, int, int]) -> bool:
    return (User.objects.count(), AuditEvent.objects.count(), RoleAssignment.objects.count()) == before


def _counts() -> tuple[int, int, int]:
    return User.objects.count(), AuditEvent.objects.count(), RoleAssignment.objects.count()


def test_it_refuses_an_unknown_person_and_writes_nothing(sso):
    before = _counts()
    with pytest.raises(oidc.SignInRefused, match="no person"):
        oidc.sign_in_with_claims(_claims(employee_id="nobody-knows"))
    assert _nothing_written(before)


def test_it_refuses_claims_that_map_to_no_role_and_writes_nothing(sso):
    person = _newcomer(sso)
    before = _counts()
    with pytest.raises(oidc.SignInRefused, match="no role"):
        oidc.sign_in_with_claims(_claims(roles=["Andet.System"]))
    person.refresh_from_db()
    assert person.external_subject == "" and person.user is None
    assert _nothing_written(before)


def test_it_refuses_an_inactive_person(sso):
    person = _newcomer(sso)
    person.is_active = False
    person.save()
    with pytest.raises(oidc.SignInRefused, match="not active"):
        oidc.sign_in_with_claims(_claims())


def test_it_refuses_everyone_without_a_municipality(sso, settings):
    _newcomer(sso)
    settings.OIDC_MUNICIPALITY_SLUG = ""
    with pytest.raises(oidc.SignInRefused, match="no municipality"):
        oidc.sign_in_with_claims(_claims())
    settings.OIDC_MUNICIPALITY_SLUG = "no-such-municipality"
    with pytest.raises(oidc.SignInRefused, match="no municipality"):
        oidc.sign_in_with_claims(_claims())


def test_it_refuses_everyone_while_the_mapping_is_broken(sso, settings):
    _newcomer(sso)
    settings.OIDC_CLAIM_MAPPING = '{"claim": "roles"}'
    with pytest.raises(oidc.SignInRefused, match="mapping is invalid"):
        oidc.sign_in_with_claims(_claims())


def test_it_refuses_claims_without_a_subject(sso):
    _newcomer(sso)
    with pytest.raises(oidc.SignInRefused, match="no subject"):
        oidc.sign_in_with_claims(_claims(sub=""))


def test_it_lets_a_person_in_without_sso_roles_when_the_mapping_allows_it(sso, settings):
    settings.OIDC_CLAIM_MAPPING = json.dumps({**MAPPING, "require_any": False})
    person = _newcomer(sso)
    _, signed_in = oidc.sign_in_with_claims(_claims(roles=[]))
    assert signed_in == person
    assert _roles(person) == set()


# --- Roles follow the claims ----------------------------------------------------------------


def test_it_sets_sso_roles_to_the_claims_and_leaves_other_roles_alone(sso):
    person = _newcomer(sso)
    RoleAssignment.objects.create(
        municipality=sso.municipality, person=person, role=Role.LIGHTHOUSE, unit=sso.team, source="manual"
    )
    RoleAssignment.objects.create(
        municipality=sso.municipality, person=person, role=Role.LEADER, unit=sso.team, source="import"
    )
    RoleAssignment.objects.create(
        municipality=sso.municipality, person=person, role=Role.IT, unit=sso.root, source="sso"
    )
    oidc.sign_in_with_claims(_claims(roles=["Forankring.Admin", "Forankring.Fyrtaarn"]))
    assert _roles(person) == {
        ("lighthouse", "Team Sol", "manual"),
        ("leader", "Team Sol", "import"),
        ("admin", "Direktionen", "sso"),
        ("lighthouse", "Center for Dagtilbud", "sso"),
    }
    event = AuditEvent.objects.filter(action="sso.sync").get()
    assert event.changes["removed"] == [{"role": "it", "unit": "Direktionen"}]
    assert {"role": "admin", "unit": "Direktionen"} in event.changes["added"]
    assert event.changes["linked_by"] == "employee_id"


def test_it_does_not_duplicate_a_role_an_administrator_already_gave(sso):
    person = _newcomer(sso)
    RoleAssignment.objects.create(
        municipality=sso.municipality, person=person, role=Role.EMPLOYEE, unit=sso.team, source="manual"
    )
    oidc.sign_in_with_claims(_claims())
    assert _roles(person) == {("employee", "Team Sol", "manual")}


def test_it_writes_an_audit_row_only_when_something_changed(sso):
    _newcomer(sso)
    oidc.sign_in_with_claims(_claims())
    assert AuditEvent.objects.filter(action="sso.sync").count() == 1
    oidc.sign_in_with_claims(_claims())
    assert AuditEvent.objects.filter(action="sso.sync").count() == 1
    oidc.sign_in_with_claims(_claims(roles=["Forankring.Medarbejder", "Forankring.MED"]))
    assert AuditEvent.objects.filter(action="sso.sync").count() == 2


def test_it_takes_sso_roles_away_when_a_linked_person_loses_every_role(sso):
    person = _newcomer(sso)
    oidc.sign_in_with_claims(_claims(roles=["Forankring.Admin"]))
    assert ("admin", "Direktionen", "sso") in _roles(person)
    with pytest.raises(oidc.SignInRefused, match="no role"):
        oidc.sign_in_with_claims(_claims(roles=[]))
    assert _roles(person) == set()
    latest = AuditEvent.objects.filter(action="sso.sync").first()  # newest first
    assert latest is not None
    assert latest.changes == {"removed": [{"role": "admin", "unit": "Direktionen"}]}


def test_it_skips_a_rule_whose_unit_path_names_no_unit(sso):
    person = _newcomer(sso)
    mapping = {
        **MAPPING,
        "rules": [*MAPPING["rules"], {"value": "X", "role": "med", "unit": "Direktionen/Findes ikke"}],
    }
    grants = oidc.wanted_grants(oidc.parse_claim_mapping(mapping), {"roles": ["X", "Forankring.IT"]}, person)
    assert {(role, unit.name) for (role, _), unit in grants.items()} == {("it", "Direktionen")}


def test_it_gives_membership_roles_in_every_unit_the_person_belongs_to(sso):
    person = _newcomer(sso)
    Membership.objects.create(municipality=sso.municipality, person=person, unit=sso.other_team)
    make_unit(sso.municipality, "Team Stjerne", sso.institution)  # not a member here
    grants = oidc.wanted_grants(oidc.parse_claim_mapping(MAPPING), _claims(), person)
    assert {unit.name for unit in grants.values()} == {"Team Sol", "Team Måne"}


def test_it_hashes_a_subject_too_long_for_a_username(sso):
    username = oidc.username_for(sso.municipality, "x" * 200)
    assert len(username) <= 150
    assert username == oidc.username_for(sso.municipality, "x" * 200)
    assert username.startswith("oidc:test:")


# --- The pages around it --------------------------------------------------------------------


def test_it_answers_404_on_the_provider_pages_while_oidc_is_off(client, db, settings):
    settings.OIDC_ENABLED = False
    for name in ("oidc_authentication_init", "oidc_authentication_callback", "oidc_logout"):
        assert client.get(reverse(name)).status_code == 404


def test_it_shows_the_provider_button_only_when_oidc_is_on(client, db, settings):
    settings.OIDC_ENABLED = False
    assert "Log ind med kommunens log-ind" not in client.get(reverse("core:login")).content.decode()
    settings.OIDC_ENABLED = True
    assert "Log ind med kommunens log-ind" in client.get(reverse("core:login")).content.decode()


def test_it_sends_the_browser_to_the_provider_with_state_nonce_and_pkce(client, db, settings):
    settings.OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = "forankring"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://login.example/auth"
    response = client.get(reverse("oidc_authentication_init"))
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith("https://login.example/auth?")
    for part in ("client_id=forankring", "state=", "nonce=", "code_challenge_method=S256", "response_type=code"):
        assert part in location


def test_it_never_takes_a_password_login_to_the_provider(db, settings):
    settings.OIDC_ENABLED = True
    request = RequestFactory().post("/log-ind/?code=abc&state=def")
    backend = oidc.MunicipalityOIDCBackend()
    assert backend.authenticate(request, username="admin", password="x") is None


def test_it_sends_a_provider_user_to_the_end_session_endpoint_on_logout(client_for, settings):
    settings.OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = "forankring"
    settings.OIDC_OP_LOGOUT_ENDPOINT = "https://login.example/session/end"
    client = client_for("employee")
    session = client.session
    session["oidc_id_token"] = "the.id.token"
    session.save()
    response = client.post(reverse("core:logout"))
    assert response.status_code == 302
    assert response["Location"].startswith("https://login.example/session/end?")
    assert "id_token_hint=the.id.token" in response["Location"]
    assert "post_logout_redirect_uri=http%3A%2F%2Ftestserver%2Flog-ind%2F" in response["Location"]
    assert "_auth_user_id" not in client.session


def test_it_logs_a_password_user_out_locally(client_for, settings):
    settings.OIDC_ENABLED = True
    settings.OIDC_OP_LOGOUT_ENDPOINT = "https://login.example/session/end"
    response = client_for("employee").post(reverse("core:logout"))
    assert response["Location"] == reverse("core:login")


def test_it_lets_the_logout_form_reach_the_provider_under_the_content_security_policy():
    policy = content_security_policy(form_targets=["https://login.example/session/end?x=1"])
    assert "form-action 'self' https://login.example;" in policy
    assert "form-action 'self';" in content_security_policy(form_targets=[""])
