"""Sign-in with the municipality's OpenID Connect provider (Entra ID, OS2faktor, ...).

The provider proves who someone is; Forankring decides whether they get in. It fails closed:
a sign-in is refused, and nothing is written, unless

- the municipality in OIDC_MUNICIPALITY_SLUG exists,
- the claims lead to an active Person in it (by `sub` once linked; the first time by the
  employee-id claim, or by e-mail only if OIDC_MATCH_EMAIL is on), and
- the claim mapping gives the person at least one role (unless it says "require_any": false).

On every accepted sign-in the person's SSO roles are set to exactly what the claims give; roles
an administrator granted or the organisation file brought are left alone. See docs/sign-in.md.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.contrib.auth.models import User
from django.core import checks
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.http import HttpRequest
from django.urls import reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from forankring.privacy.screen import screen_text

from . import actions
from .models import Municipality, Person, Role, Unit

logger = logging.getLogger(__name__)

# The attribute the backend leaves on the request when it refuses someone it could identify at
# the provider, so the callback view can tell "not let in" from "the sign-in itself failed".
REFUSAL_ATTR = "forankring_sso_refusal"
# The Person that was signed in, so the callback view can make their municipality the current one.
PERSON_ATTR = "forankring_sso_person"

UNIT_ROOT = "root"
UNIT_MEMBERSHIP = "membership"


# --- The claim mapping ---------------------------------------------------------------------


class ClaimMappingError(ImproperlyConfigured):
    """The claim mapping is missing or malformed. The message lists every problem found."""


@dataclass(frozen=True)
class MappingRule:
    value: str
    role: str
    # "root", "membership", or the names of the units from the top down.
    unit: str
    unit_path: tuple[str, ...] = ()


@dataclass(frozen=True)
class ClaimMapping:
    claim: str
    rules: tuple[MappingRule, ...]
    require_any: bool = True
    # Some providers (OS2faktor among them) send several values as one string: "A,B".
    separator: str = ""


_MAPPING_KEYS = {"claim", "rules", "require_any", "separator"}
_RULE_KEYS = {"value", "role", "unit"}


def parse_claim_mapping(data: object) -> ClaimMapping:
    """Validate decoded JSON and return the mapping, or raise ClaimMappingError naming every
    problem, so an administrator can fix the file in one go."""
    if not isinstance(data, dict):
        raise ClaimMappingError("The claim mapping must be a JSON object with 'claim' and 'rules'.")
    problems: list[str] = []
    unknown = sorted(set(data) - _MAPPING_KEYS)
    if unknown:
        problems.append(f"unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(_MAPPING_KEYS))}")
    claim = data.get("claim")
    if not isinstance(claim, str) or not claim.strip():
        problems.append('\'claim\' must be the name of a claim, for example "roles" or "groups"')
    require_any = data.get("require_any", True)
    if not isinstance(require_any, bool):
        problems.append("'require_any' must be true or false")
    separator = data.get("separator", "")
    if not isinstance(separator, str):
        problems.append("'separator' must be a string, for example \",\"")
    raw_rules = data.get("rules")
    rules: list[MappingRule] = []
    if not isinstance(raw_rules, list):
        problems.append('\'rules\' must be a list of {"value", "role", "unit"} objects')
        raw_rules = []
    for number, raw in enumerate(raw_rules, start=1):
        rule, rule_problems = _parse_rule(raw)
        problems.extend(f"rule {number}: {p}" for p in rule_problems)
        if rule is not None:
            rules.append(rule)
    if isinstance(raw_rules, list) and not raw_rules and require_any is True:
        problems.append("'rules' is empty and 'require_any' is true, so nobody could sign in")
    if problems:
        raise ClaimMappingError("Invalid OIDC claim mapping: " + "; ".join(problems) + ".")
    assert isinstance(claim, str) and isinstance(require_any, bool) and isinstance(separator, str)
    return ClaimMapping(claim=claim.strip(), rules=tuple(rules), require_any=require_any, separator=separator)


def _parse_rule(raw: object) -> tuple[MappingRule | None, list[str]]:
    if not isinstance(raw, dict):
        return None, ["must be an object with 'value', 'role' and 'unit'"]
    problems = []
    unknown = sorted(set(raw) - _RULE_KEYS)
    if unknown:
        problems.append(f"unknown key(s) {', '.join(unknown)}")
    value = raw.get("value")
    if not isinstance(value, str) or not value:
        problems.append("'value' must be the claim value to match, as a string")
    role = raw.get("role")
    if role not in Role.values:
        problems.append(f"'role' must be one of {', '.join(Role.values)}, not {role!r}")
    unit = raw.get("unit")
    path: tuple[str, ...] = ()
    if isinstance(unit, list) and unit and all(isinstance(n, str) and n.strip() for n in unit):
        # A list of names, for unit names that themselves contain "/".
        path = tuple(n.strip() for n in unit)
        unit = "/".join(path)
    elif isinstance(unit, str) and unit.strip():
        unit = unit.strip()
        if unit not in (UNIT_ROOT, UNIT_MEMBERSHIP):
            path = tuple(n.strip() for n in unit.split("/") if n.strip())
            if not path:
                problems.append("'unit' names no unit")
    else:
        problems.append(
            '\'unit\' must be "root", "membership" or the unit\'s names from the top, '
            'as "Direktionen/Center for Dagtilbud" or a list of names'
        )
    if problems:
        return None, problems
    assert isinstance(value, str) and isinstance(role, str) and isinstance(unit, str)
    return MappingRule(value=value, role=role, unit=unit, unit_path=path), []


def load_claim_mapping() -> ClaimMapping:
    """The mapping from OIDC_CLAIM_MAPPING (JSON text) or else OIDC_CLAIM_MAPPING_FILE."""
    text = settings.OIDC_CLAIM_MAPPING
    source = "OIDC_CLAIM_MAPPING"
    if not text and settings.OIDC_CLAIM_MAPPING_FILE:
        source = str(settings.OIDC_CLAIM_MAPPING_FILE)
        try:
            text = Path(source).read_text(encoding="utf-8")
        except OSError as error:
            raise ClaimMappingError(f"Cannot read the OIDC claim mapping file {source}: {error}") from error
    if not text:
        raise ClaimMappingError(
            "No OIDC claim mapping: set OIDC_CLAIM_MAPPING_FILE or OIDC_CLAIM_MAPPING (see docs/sign-in.md)."
        )
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ClaimMappingError(f"The OIDC claim mapping in {source} is not valid JSON: {error}") from error
    return parse_claim_mapping(data)


@checks.register("forankring")
def check_oidc_configuration(app_configs: object = None, **kwargs: object) -> list[checks.CheckMessage]:
    """Runs with `manage.py check`, `migrate` and `runserver`, so a broken sign-in setup stops a
    deployment instead of quietly refusing everyone."""
    if not settings.OIDC_ENABLED:
        return []
    errors: list[checks.CheckMessage] = []
    for name in ("OIDC_RP_CLIENT_ID", "OIDC_RP_CLIENT_SECRET", "OIDC_OP_ISSUER", "OIDC_MUNICIPALITY_SLUG"):
        if not getattr(settings, name, ""):
            errors.append(checks.Error(f"{name} must be set when OpenID Connect is on.", id="forankring.E001"))
    try:
        load_claim_mapping()
    except ClaimMappingError as error:
        errors.append(checks.Error(str(error), id="forankring.E002"))
    return errors


# --- From claims to a person and their roles ------------------------------------------------


class SignInRefused(Exception):
    """The provider vouched for someone Forankring does not let in. `reason` is for the log."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def claim_values(claims: Mapping[str, Any], name: str, separator: str = "") -> set[str]:
    """The values of a claim as strings: a list, a single string (split on `separator` when
    given), or a nested claim such as Keycloak's "realm_access.roles"."""
    value: Any = claims.get(name)
    if value is None and "." in name:
        value = claims
        for part in name.split("."):
            value = value.get(part) if isinstance(value, Mapping) else None
    if value is None:
        return set()
    if isinstance(value, str):
        parts = value.split(separator) if separator else [value]
        return {p.strip() for p in parts if p.strip()}
    if isinstance(value, list | tuple):
        return {str(v).strip() for v in value if isinstance(v, str | int) and str(v).strip()}
    return set()


def _single_claim(claims: Mapping[str, Any], name: str) -> str:
    value = claims.get(name)
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    return value.strip() if isinstance(value, str) else ""


def find_person(municipality: Municipality, claims: Mapping[str, Any]) -> tuple[Person | None, str]:
    """The Person these claims belong to and how they were recognised ("" when already linked).

    Once linked, only `sub` counts. Before that the employee id, and then (if switched on) the
    e-mail, may find the person, but only a person not yet linked to another subject: otherwise a
    second provider account carrying the same employee id could take the first one over.
    """
    subject = _single_claim(claims, "sub")
    people = Person.objects.filter(municipality=municipality)
    linked = people.filter(external_subject=subject).first()
    if linked is not None:
        return linked, ""
    claim_name = settings.OIDC_EMPLOYEE_ID_CLAIM
    employee_id = _single_claim(claims, claim_name) if claim_name else ""
    if employee_id:
        person = people.filter(employee_id=employee_id).first()
        if person is not None:
            if person.external_subject:
                raise SignInRefused("employee id belongs to a person linked to another subject")
            return person, "employee_id"
    email = _single_claim(claims, "email")
    if settings.OIDC_MATCH_EMAIL and email and claims.get("email_verified") is not False:
        matches = list(people.filter(email__iexact=email, external_subject="")[:2])
        if len(matches) == 1:
            return matches[0], "email"
        if len(matches) > 1:
            raise SignInRefused("e-mail matches more than one person")
    return None, ""


def wanted_grants(mapping: ClaimMapping, claims: Mapping[str, Any], person: Person) -> dict[tuple[str, int], Unit]:
    """(role, unit id) -> unit for every role the claims give this person."""
    values = claim_values(claims, mapping.claim, mapping.separator)
    grants: dict[tuple[str, int], Unit] = {}
    for rule in mapping.rules:
        if rule.value not in values:
            continue
        for unit in _units_for(rule, person):
            grants[(rule.role, unit.pk)] = unit
    return grants


def _units_for(rule: MappingRule, person: Person) -> list[Unit]:
    units = Unit.objects.filter(municipality_id=person.municipality_id, is_active=True)
    if rule.unit == UNIT_ROOT:
        return list(units.filter(parent__isnull=True))
    if rule.unit == UNIT_MEMBERSHIP:
        return list(units.filter(memberships__person=person).distinct())
    unit: Unit | None = None
    for depth, name in enumerate(rule.unit_path):
        unit = units.filter(parent=unit, name=name).first() if depth else units.filter(parent=None, name=name).first()
        if unit is None:
            # Fail closed for this rule only: a renamed unit should cost the role, not the login.
            logger.warning("OIDC claim mapping: no unit %r in municipality %s", rule.unit, person.municipality_id)
            return []
    return [unit] if unit is not None else []


def username_for(municipality: Municipality, subject: str) -> str:
    """A stable username per municipality and subject. Long subjects are hashed to fit."""
    username = f"oidc:{municipality.slug}:{subject}"
    if len(username) > 150:
        username = f"oidc:{municipality.slug}:{hashlib.sha256(subject.encode()).hexdigest()}"
    return username


def sign_in_with_claims(claims: Mapping[str, Any]) -> tuple[User, Person]:
    """Decide whether these verified claims get in; if so link, sync roles and return the user.

    Raises SignInRefused before anything is written, so a refused sign-in leaves no trace but
    the log line.
    """
    slug = settings.OIDC_MUNICIPALITY_SLUG
    municipality = Municipality.objects.filter(slug=slug).first() if slug else None
    if municipality is None:
        raise SignInRefused("no municipality configured (OIDC_MUNICIPALITY_SLUG)")
    try:
        mapping = load_claim_mapping()
    except ClaimMappingError as error:
        logger.error("%s", error)
        raise SignInRefused("claim mapping is invalid") from error
    subject = _single_claim(claims, "sub")
    if not subject:
        raise SignInRefused("no subject in the claims")
    if screen_text(subject, anonymous=False):
        # The subject is stored (Person.external_subject, the username). A provider set up to
        # send the CPR number as `sub` must be reconfigured; nothing is written meanwhile.
        # Not even masked in the log line: DDMMYY-XXXX still carries a birth date.
        raise SignInRefused("the subject claim looks like a CPR number")
    person, matched_by = find_person(municipality, claims)
    if person is None:
        raise SignInRefused("no person in the municipality matches")
    if not person.is_active:
        raise SignInRefused("the person is not active")
    grants = wanted_grants(mapping, claims, person)
    if not grants and mapping.require_any:
        if not matched_by:  # already linked by `sub`: the provider has taken their roles away
            actions.drop_sso_roles(person=person)
        raise SignInRefused("the claims map to no role")
    try:
        user = actions.sync_sso_sign_in(
            person=person,
            subject=subject,
            matched_by=matched_by,
            username=username_for(municipality, subject),
            grants=[(role, unit) for (role, _unit_pk), unit in grants.items()],
        )
    except actions.SsoLinkConflictError as error:
        raise SignInRefused(str(error)) from error
    if not user.is_active:
        raise SignInRefused("the user account is not active")
    return user, person


# --- The authentication backend ------------------------------------------------------------


class MunicipalityOIDCBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's code flow, with Forankring's rules for who gets in."""

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:
        # Only the OIDC callback passes a nonce; a password login must never reach the
        # provider, even if someone adds ?code=...&state=... to the login URL.
        if request is None or "nonce" not in kwargs:
            return None
        try:
            user: User | None = super().authenticate(request, **kwargs)
        except (requests.RequestException, SuspiciousOperation, ValueError) as error:
            # A provider that is down, or a token that does not verify: the person gets a
            # Danish "try again" on the login page rather than an error page.
            logger.warning("OIDC sign-in failed: %s", error)
            return None
        return user

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        """The library checks signature and nonce; we also check who issued the token and for
        whom, so a token minted for another application is never accepted."""
        payload: dict[str, Any] = super().verify_token(token, **kwargs)
        issuer = settings.OIDC_OP_ISSUER.rstrip("/")
        if issuer and str(payload.get("iss", "")).rstrip("/") != issuer:
            raise SuspiciousOperation("ID token issuer does not match OIDC_OP_ISSUER")
        audience = payload.get("aud")
        audiences = [audience] if isinstance(audience, str) else list(audience or [])
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("ID token audience does not include OIDC_RP_CLIENT_ID")
        return payload

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> User | None:
        claims = self.collect_claims(access_token, id_token, payload)
        try:
            user, person = sign_in_with_claims(claims)
        except SignInRefused as refusal:
            # The reason goes to the log; the person sees one plain message, which tells an
            # outsider nothing about who exists here.
            logger.info("OIDC sign-in refused: %s", refusal.reason)
            setattr(self.request, REFUSAL_ATTR, refusal.reason)
            return None
        setattr(self.request, PERSON_ATTR, person)
        return user

    def collect_claims(self, access_token: str, id_token: str, payload: dict[str, Any]) -> dict[str, Any]:
        """The signed ID token's claims, topped up from the userinfo endpoint when there is one.

        Entra ID and OS2faktor put roles in the ID token only; others put them in userinfo only.
        The signed token wins where both have a claim.
        """
        claims = dict(payload)
        if self.OIDC_OP_USER_ENDPOINT:
            userinfo = self.get_userinfo(access_token, id_token, payload)
            if str(userinfo.get("sub", "")) != str(payload.get("sub", "")):
                raise SuspiciousOperation("userinfo subject does not match the ID token")
            for key, value in userinfo.items():
                claims.setdefault(key, value)
        return claims

    def get_user(self, user_id: int) -> User | None:
        user = User.objects.filter(pk=user_id).first()
        return user if user is not None and user.is_active else None


def provider_logout_url(request: HttpRequest) -> str:
    """Where "Log af" sends someone who signed in with the provider: its end-session endpoint,
    which comes back to our login page. Read before the session is flushed."""
    endpoint = settings.OIDC_OP_LOGOUT_ENDPOINT
    id_token = request.session.get("oidc_id_token") if hasattr(request, "session") else None
    if not (settings.OIDC_ENABLED and endpoint and id_token):
        return reverse("core:login")
    params = {
        "client_id": settings.OIDC_RP_CLIENT_ID,
        "id_token_hint": id_token,
        "post_logout_redirect_uri": request.build_absolute_uri(reverse("core:login")),
    }
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{urlencode(params)}"
