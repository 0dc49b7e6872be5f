"""Who may do what. Every view and action asks these functions; nothing else decides access.

Rules:
- A person only ever sees their own municipality (tenant isolation is absolute).
- A role held in a unit covers that unit's whole subtree.
- Missing and forbidden look the same: `deny()` raises Http404, so ids cannot be probed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, NoReturn

from django.db.models import F, FilteredRelation, Q
from django.http import Http404

from .models import Person, Role, RoleAssignment, Unit

if TYPE_CHECKING:
    from django.contrib.auth.models import User

_CACHE_ATTR = "_role_paths_cache"


def deny() -> NoReturn:
    raise Http404


def role_paths(person: Person) -> dict[str, list[str]]:
    """Role -> unit paths the person holds it in; cached on the instance for one request."""
    cached: dict[str, list[str]] | None = getattr(person, _CACHE_ATTR, None)
    if cached is None:
        cached = {}
        rows = RoleAssignment.objects.filter(municipality_id=person.municipality_id, person=person).values_list(
            "role", "unit__path"
        )
        for role, path in rows:
            cached.setdefault(role, []).append(path)
        setattr(person, _CACHE_ATTR, cached)
    return cached


def people_of(user: User) -> list[Person]:
    """The user's active people (one per municipality they work in; by municipality name) with
    their municipality and their roles read in the same query, so `role_paths` costs nothing
    more in the request: one query where there were two on every page. A role counts only in
    its own municipality, as in `role_paths`."""
    rows = (
        Person.objects.filter(user=user, is_active=True)
        .select_related("municipality")
        .annotate(
            held=FilteredRelation(
                "role_assignments", condition=Q(role_assignments__municipality_id=F("municipality_id"))
            ),
            held_role=F("held__role"),
            held_path=F("held__unit__path"),
        )
        .order_by("municipality__name", "pk")
    )
    people: dict[int, Person] = {}
    for row in rows:
        person = people.setdefault(row.pk, row)
        paths: dict[str, list[str]] = getattr(person, _CACHE_ATTR, None) or {}
        setattr(person, _CACHE_ATTR, paths)
        if row.held_role is not None:
            paths.setdefault(row.held_role, []).append(row.held_path)
    return list(people.values())


def forget_roles(person: Person) -> None:
    if hasattr(person, _CACHE_ATTR):
        delattr(person, _CACHE_ATTR)


def has_role(person: Person | None, role: Role | str, *, unit: Unit | None = None) -> bool:
    """True if the person holds `role` anywhere (unit=None) or in a unit covering `unit`."""
    if person is None or not person.is_active:
        return False
    paths = role_paths(person).get(str(role), [])
    if unit is None:
        return bool(paths)
    if unit.municipality_id != person.municipality_id:
        return False
    return any(unit.path.startswith(p) for p in paths)


def roles_of(person: Person) -> list[str]:
    return [r for r in Role.values if r in role_paths(person)]


def is_admin(person: Person | None) -> bool:
    return has_role(person, Role.ADMIN)


def can_manage_organisation(person: Person | None) -> bool:
    return is_admin(person)


def can_view_audit_log(person: Person | None) -> bool:
    return is_admin(person)


def can_manage_roles(person: Person | None) -> bool:
    return is_admin(person)


def can_change_settings(person: Person | None) -> bool:
    return is_admin(person)


def same_tenant(person: Person, obj: object) -> bool:
    return getattr(obj, "municipality_id", None) == person.municipality_id


# --- Track 1, "Retning og rammer" -----------------------------------------------------------
# The rules are data there (the AI-kompas, the tool register, the decision rights); who may
# change them is decided here.


def can_edit_direction(person: Person | None) -> bool:
    """The purpose, the compass drafts, the focus areas and the decision rights: the direktion."""
    return has_role(person, Role.EXECUTIVE) or is_admin(person)


def can_decide(person: Person | None, deciding_roles: Iterable[str]) -> bool:
    """Holds one of the roles the decision rights name as deciding (see direction.rules)."""
    return is_admin(person) or any(has_role(person, role) for role in deciding_roles)


def can_edit_tools(person: Person | None) -> bool:
    """The tool register: IT, which knows the agreements and the set-up."""
    return has_role(person, Role.IT) or is_admin(person)


def can_edit_data_rules(person: Person | None) -> bool:
    """The data classes × tool tiers rules: the direktion together with IT."""
    return has_role(person, Role.EXECUTIVE) or has_role(person, Role.IT) or is_admin(person)


def can_comment_in_hearing(person: Person | None) -> bool:
    return has_role(person, Role.MED) or is_admin(person)


def can_read_hearing(person: Person | None) -> bool:
    """The hearing's comments: MED, who wrote them, and the direktion, who answers them."""
    return can_comment_in_hearing(person) or can_edit_direction(person)


def coverage_scopes(person: Person) -> list[str]:
    """Unit paths whose acknowledgement coverage the person may see: leaders for their units,
    MED, the direktion and administrators for the units they hold the role in."""
    paths = role_paths(person)
    found: list[str] = []
    for role in (Role.LEADER, Role.MED, Role.EXECUTIVE, Role.ADMIN):
        found.extend(paths.get(role, []))
    # The widest first; a path under another one adds nothing.
    found.sort(key=lambda p: (p.count("/"), p))
    top: list[str] = []
    for path in found:
        if not any(path.startswith(t) for t in top):
            top.append(path)
    return top if person.is_active else []


CONCERN_ANSWERERS = (Role.LEADER, Role.MED, Role.EXECUTIVE)


def can_answer_concern(person: Person | None, unit: Unit) -> bool:
    """The leaders, MED and direktion of the unit a concern is about (and above it) read it,
    mark it discussed and answer it; MED at the top of the organisation sees all of them."""
    return any(has_role(person, role, unit=unit) for role in CONCERN_ANSWERERS)


# --- Track 3, "Kompetenceudvikling" ---------------------------------------------------------
# Anyone signs up, registers their own completion and proposes prompts. The learning offer is
# run by facilitators and administrators; the register of named people is the administrator's.


def can_manage_learning(person: Person | None) -> bool:
    """Activities and sessions: facilitators (often from HR or a learning team) and administrators."""
    return has_role(person, Role.FACILITATOR) or is_admin(person)


def can_edit_levels(person: Person | None) -> bool:
    """The competence levels, the learning paths and the visibility setting: administrators."""
    return is_admin(person)


def can_register_attendance(person: Person | None, host_id: int | None) -> bool:
    """The session's own facilitator or leader registers who came, or anyone who runs learning."""
    return person is not None and person.is_active and (host_id == person.pk or can_manage_learning(person))


def can_read_register(person: Person | None) -> bool:
    """The AI-literacy register with names, and its export for an audit: administrators."""
    return is_admin(person)


def competence_coverage_scopes(person: Person) -> list[str]:
    """Unit paths whose training coverage the person may see (always suppressed): those of the
    acknowledgement coverage, plus IT, who needs to know whether a tool's users are trained."""
    scopes = coverage_scopes(person)
    for path in sorted(role_paths(person).get(Role.IT, []) if person.is_active else []):
        if not any(path.startswith(s) for s in scopes):
            scopes = [s for s in scopes if not s.startswith(path)] + [path]
    return scopes


def mandatory_scopes(person: Person, *, switched_on: bool) -> list[str]:
    """Unit paths where a leader may see who lacks mandatory training: only when the
    municipality has switched it on, and only the units the person leads."""
    if not switched_on or not person.is_active:
        return []
    return sorted(role_paths(person).get(Role.LEADER, []))


def can_decide_prompts(person: Person | None) -> bool:
    """Approving a proposed prompt: a lighthouse, a leader, or an administrator."""
    return has_role(person, Role.LIGHTHOUSE) or has_role(person, Role.LEADER) or is_admin(person)


# --- Track 2, "Faglig forankring" -----------------------------------------------------------
# Who decides a use case's status is data in track 1 (direction.rules.who_decides); here it is
# checked against the unit the use case belongs to, so a leader decides for their own units.

# A centre is the level under the direktion (Municipality.level_names: Direktion, Center, ...).
CENTRE_DEPTH = 1


def can_edit_centre_focus(person: Person | None, unit: Unit) -> bool:
    """A centre's focus areas: the centre's own chief (a leader in the centre)."""
    if person is None or unit.municipality_id != person.municipality_id or unit.depth != CENTRE_DEPTH:
        return False
    return is_admin(person) or has_role(person, Role.LEADER, unit=unit)


def can_register_use_case(person: Person | None) -> bool:
    """Leaders and lighthouses write use cases; everyone else points to a workflow (an idea)."""
    return has_role(person, Role.LEADER) or has_role(person, Role.LIGHTHOUSE) or can_edit_direction(person)


def can_decide_for_unit(person: Person | None, deciding_roles: Iterable[str], unit: Unit) -> bool:
    """Holds one of the deciding roles in a unit covering `unit`."""
    return is_admin(person) or any(has_role(person, role, unit=unit) for role in deciding_roles)


def can_edit_use_case(person: Person | None, owner_unit: Unit, created_by_id: int | None) -> bool:
    if person is None:
        return False
    return (
        is_admin(person)
        or created_by_id == person.pk
        or has_role(person, Role.LEADER, unit=owner_unit)
        or has_role(person, Role.LIGHTHOUSE, unit=owner_unit)
    )


def can_answer_idea(person: Person | None, unit: Unit) -> bool:
    """The leader of the unit the idea is about (or of a unit above it) gives the official answer."""
    return is_admin(person) or has_role(person, Role.LEADER, unit=unit)


def can_see_team(person: Person | None, unit: Unit) -> bool:
    """A team's AI item (its meeting kit and notes): its members, its leaders and leaders above."""
    if person is None or not person.is_active or unit.municipality_id != person.municipality_id:
        return False
    return (
        is_admin(person) or has_role(person, Role.LEADER, unit=unit) or unit.memberships.filter(person=person).exists()
    )


def can_write_team_note(person: Person | None, unit: Unit) -> bool:
    return is_admin(person) or has_role(person, Role.LEADER, unit=unit)
