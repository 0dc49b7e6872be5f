"""Who may do what. Every view and action asks these functions; nothing else decides access.

Rules:
- A person only ever sees their own municipality (tenant isolation is absolute).
- A role held in a unit covers that unit's whole subtree.
- Missing and forbidden look the same: `deny()` raises Http404, so ids cannot be probed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NoReturn

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import F, FilteredRelation, Q
from django.http import Http404

from forankring.privacy.suppression import enough_people

from .models import Person, Role, RoleAssignment, Unit

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


def workplaces(user: AbstractBaseUser | AnonymousUser) -> list[Person]:
    """The municipalities a signed-in user may work in: their active Person in each, by the
    municipality's name. The request's person is one of them (`CurrentPersonMiddleware`), and
    /kommune/ switches among exactly these. One query, which reads each person's roles too, so
    `role_paths` asks nothing more in the request (one query where there were two on every
    page). A role counts only in its own municipality, as in `role_paths`."""
    if not user.is_authenticated:
        return []
    rows = (
        Person.objects.filter(user_id=user.pk, is_active=True)
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


def can_switch_to(user: AbstractBaseUser | AnonymousUser, municipality_id: object) -> Person | None:
    """The user's person in the municipality they asked to switch to, or None if they do not work there."""
    return next((p for p in workplaces(user) if str(p.municipality_id) == str(municipality_id)), None)


def led_paths(person: Person) -> list[str]:
    """The paths of the units the person is a leader of (each with everything below it)."""
    return sorted(role_paths(person).get(Role.LEADER, [])) if person.is_active else []


# A scope that covers every unit of the person's municipality: every materialised path starts
# with it (queries filter by the municipality as always).
WHOLE_MUNICIPALITY = "/"


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


def can_read_compass(person: Person | None, *, public: bool, in_hearing: bool) -> bool:
    """A version of the AI-kompas: a published one (and the ones it replaced) is everyone's; the
    text in hearing is also MED's; a draft and an approved text are the direktion's."""
    if public:
        return person is not None and person.is_active
    if in_hearing:
        return can_read_hearing(person)
    return can_edit_direction(person)


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


# --- Concerns and wishes (the privacy app) --------------------------------------------------
# They are routed to the leaders and MED of the unit they are about (DESIGN.md, glossary); the
# direktion leads the root unit and reads the whole municipality's.

CONCERN_READERS = (Role.LEADER, Role.MED, Role.EXECUTIVE)


def concern_scopes(person: Person) -> list[str]:
    """The paths of the units whose concerns the person reads (each with everything below it):
    where they are leader, MED or direktion. Empty for everyone else. No query beyond the role
    paths the request has already read."""
    if not person.is_active:
        return []
    paths = role_paths(person)
    found = sorted({p for role in CONCERN_READERS for p in paths.get(str(role), [])})
    # A path inside another one adds nothing.
    return [p for p in found if not any(p != q and p.startswith(q) for q in found)]


def can_read_concerns(person: Person | None, unit: Unit | None = None) -> bool:
    """The leaders, MED and direktion of the unit a concern is about (and above it) read it,
    mark it discussed and answer it; MED at the top of the organisation reads all of them.
    Without a unit: whether the person reads concerns about any unit at all."""
    if unit is None:
        return person is not None and bool(concern_scopes(person))
    return any(has_role(person, role, unit=unit) for role in CONCERN_READERS)


def can_send_concern_about(person: Person, unit: Unit, *, own_paths: Iterable[str], k_min: int) -> bool:
    """A concern or wish is about one of the sender's own units (`own_paths`, where they are
    placed) or a unit above them, or the top unit (for someone placed nowhere too), and only when
    at least `k_min` people sit in it or below it, so the sender is always one of at least k_min."""
    if not person.is_active or unit.municipality_id != person.municipality_id or not unit.is_active:
        return False
    if unit.parent_id is not None and not any(path.startswith(unit.path) for path in own_paths):
        return False
    return enough_people(unit, k_min)


# --- Track 3, "Kompetenceudvikling" ---------------------------------------------------------
# Anyone signs up, registers their own completion and proposes prompts. The learning offer is
# run by facilitators and administrators; the register of named people is the administrator's.


# Who runs the learning offer: facilitators (often from HR or a learning team) and administrators.
LEARNING_RUNNERS = (Role.FACILITATOR, Role.ADMIN)


def can_manage_learning(person: Person | None) -> bool:
    """Activities and sessions, and hosting a session for someone else."""
    return any(has_role(person, role) for role in LEARNING_RUNNERS)


def can_see_activity(person: Person | None, *, is_active: bool) -> bool:
    """An activity in the offer is everyone's; a withdrawn one only those who run learning see."""
    return person is not None and person.is_active and (is_active or can_manage_learning(person))


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
    """Unit paths where the person may see who lacks mandatory training: administrators the
    whole municipality, always; a leader the units they lead, only when the municipality has
    switched it on."""
    if is_admin(person):
        return [WHOLE_MUNICIPALITY]
    return led_paths(person) if switched_on else []


def can_decide_prompts(person: Person | None) -> bool:
    """Approving a proposed prompt: a lighthouse, a leader, or an administrator."""
    return has_role(person, Role.LIGHTHOUSE) or has_role(person, Role.LEADER) or is_admin(person)


def can_see_prompt(person: Person | None, *, approved: bool, proposed_by_id: int | None) -> bool:
    """An approved prompt is everyone's; a proposal is its author's and the deciders'."""
    if person is None or not person.is_active:
        return False
    return approved or proposed_by_id == person.pk or can_decide_prompts(person)


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


# Leaders and lighthouses write use cases, in the units they hold the role in and those they
# work in; everyone else points to a workflow (an idea).
USE_CASE_WRITERS = (Role.LEADER, Role.LIGHTHOUSE)


def use_case_writer_paths(person: Person) -> list[str]:
    """The units where the person holds a role that writes use cases: with the units they work
    in, these are their own units in track 2. Read from the request's cached role paths."""
    held = role_paths(person)
    return sorted({path for role in USE_CASE_WRITERS for path in held.get(role, [])})


def can_register_use_case(person: Person | None) -> bool:
    return any(has_role(person, role) for role in USE_CASE_WRITERS) or can_edit_direction(person)


def can_decide_for_unit(person: Person | None, deciding_roles: Iterable[str], unit: Unit) -> bool:
    """Holds one of the deciding roles in a unit covering `unit`."""
    return is_admin(person) or any(has_role(person, role, unit=unit) for role in deciding_roles)


def can_end_lighthouse(person: Person | None, deciding_roles: Iterable[str], unit: Unit, lighthouse_id: int) -> bool:
    """An appointment ends by whom decides on lighthouses for its unit, or by the lighthouse
    themself (`lighthouse_id` is the appointed person's id)."""
    if person is None or not person.is_active:
        return False
    return person.pk == lighthouse_id or can_decide_for_unit(person, deciding_roles, unit)


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


# --- Track 4: retro ---------------------------------------------------------------------------
# The live retrospective that ends a pilot. The caller reads the facts once (the paths of the
# pilot's teams, whether the person is placed in one of them, the roles that decide
# "scale_or_stop"), so a board that refreshes itself every few seconds costs a fixed few queries.


def takes_part_in_retro(person: Person | None, *, in_teams: bool, leader_id: int | None) -> bool:
    """Writes cards and votes: active people placed in the pilot's teams (or below them), and
    the pilot's responsible leader."""
    if person is None or not person.is_active:
        return False
    return in_teams or leader_id == person.pk


def _decides_for_paths(person: Person, deciding_roles: Iterable[str], team_paths: Iterable[str]) -> bool:
    paths = role_paths(person)
    return any(team.startswith(held) for role in deciding_roles for held in paths.get(role, []) for team in team_paths)


def can_decide_pilot_outcome(person: Person | None, deciding_roles: Iterable[str], team_paths: Iterable[str]) -> bool:
    """Scale, adjust or stop: a role the decision rights name for "scale_or_stop", held in a
    unit covering one of the pilot's teams (or an administrator)."""
    if person is None or not person.is_active:
        return False
    return is_admin(person) or _decides_for_paths(person, list(deciding_roles), list(team_paths))


def can_run_retro(
    person: Person | None, *, leader_id: int | None, deciding_roles: Iterable[str], team_paths: Iterable[str]
) -> bool:
    """Opens the board, moves it through its phases, groups cards, writes the notes and the
    actions: the pilot's responsible leader, or whoever decides its outcome."""
    if person is None or not person.is_active:
        return False
    return leader_id == person.pk or can_decide_pilot_outcome(person, deciding_roles, team_paths)


# --- Track 4: rollout -----------------------------------------------------------------------
# A rollout spreads a tool's use to a unit, so whoever track 1's decision rights name for
# "scale_or_stop" (Udbrede eller stoppe en anvendelse) starts it; the tool itself was approved
# earlier under "approve_tool". The owner of the 30 days is a leader of the unit.


def can_start_rollout(person: Person | None, deciding_roles: Iterable[str]) -> bool:
    return person is not None and person.is_active and can_decide(person, deciding_roles)


def can_lead_rollout(person: Person | None, unit: Unit) -> bool:
    """May own a rollout to `unit`: a leader of the unit or of a unit above it."""
    return has_role(person, Role.LEADER, unit=unit)


def can_choose_rollout_owner(person: Person | None, deciding_roles: Iterable[str], unit: Unit) -> bool:
    """Whoever may start the rollout, and the unit's own leaders (one of them takes it on)."""
    return can_start_rollout(person, deciding_roles) or can_lead_rollout(person, unit)


def can_see_rollout_readiness(person: Person | None, deciding_roles: Iterable[str], unit: Unit) -> bool:
    """The detail of the readiness check (how many of the unit's leaders have had the training)
    is for those who can act on it; everyone else sees ready or not ready."""
    return can_choose_rollout_owner(person, deciding_roles, unit)


def can_run_rollout_plan(person: Person | None, owner_id: int | None) -> bool:
    """Ticking the weeks off and writing the closing note: the owner of the 30 days only."""
    return person is not None and person.is_active and owner_id is not None and owner_id == person.pk


def can_read_concrete_problem(person: Person | None, problem_person_id: int) -> bool:
    """ "Mit ene konkrete problem" is read by the person who wrote it and nobody else: no leader,
    no administrator, no export."""
    return person is not None and person.is_active and problem_person_id == person.pk


def is_lighthouse(person: Person) -> bool:
    """Holds the lighthouse role anywhere: answered from the request's cached role paths."""
    return bool(role_paths(person).get(Role.LIGHTHOUSE))


# --- Track 4: sharing -----------------------------------------------------------------------
# Learning cards, experiences and celebrations. Reading is open to everyone in the municipality:
# learning from each other is the point. Who decides "scale_or_stop" is data in track 1; the
# caller passes those roles in (core imports no track).


def can_publish_learning_card(person: Person | None, leader_id: int | None, deciding_roles: Iterable[str]) -> bool:
    """The pilot's responsible leader, or whoever may decide to scale or stop a pilot."""
    if person is None or not person.is_active:
        return False
    return person.pk == leader_id or can_decide(person, deciding_roles)


def can_take_down_celebration(person: Person | None, unit: Unit) -> bool:
    """A celebration stores no author, so the team's leaders (and leaders above) look after it."""
    if person is None or unit.municipality_id != person.municipality_id:
        return False
    return is_admin(person) or has_role(person, Role.LEADER, unit=unit)


def can_take_down_experience(person: Person | None, author_id: int | None) -> bool:
    """A named post: its author. Any post, named or anonymous: an administrator, who answers
    for what the municipality publishes."""
    if person is None:
        return False
    return is_admin(person) or (author_id is not None and author_id == person.pk)


# --- Track 4: core ---------------------------------------------------------------------------
# Pilots are open to everyone in the municipality to read: learning from each other is the point.
# Leaders and lighthouses propose them; track 1's decision rights say who approves and who
# decides to scale or stop, checked against every team of the pilot.


def can_propose_pilot(person: Person | None) -> bool:
    return can_register_use_case(person)


def can_decide_for_units(person: Person | None, deciding_roles: Iterable[str], units: Iterable[Unit]) -> bool:
    """Holds a deciding role covering every one of `units` (a pilot in two teams is approved by
    someone who decides for both)."""
    units = list(units)
    return bool(units) and all(can_decide_for_unit(person, deciding_roles, unit) for unit in units)


def can_edit_pilot(person: Person | None, *, leader_id: int, created_by_id: int | None, is_idea: bool) -> bool:
    """Only an idea is edited (an approved pilot is what was approved): by whoever proposed it,
    its responsible leader, or an administrator."""
    if person is None or not person.is_active or not is_idea:
        return False
    return is_admin(person) or person.pk in (leader_id, created_by_id)


def can_run_pilot(person: Person | None, *, leader_id: int, approvers: bool) -> bool:
    """Start, end the running period and extend: the responsible leader, or whoever may approve it."""
    if person is None or not person.is_active:
        return False
    return approvers or person.pk == leader_id


def deciding_paths(person: Person, deciding_roles: Iterable[str]) -> list[str]:
    """The unit paths where the person holds one of the deciding roles, or is an administrator:
    where their decisions reach (read from the request's cached role paths)."""
    held = role_paths(person)
    return [path for role in (*deciding_roles, Role.ADMIN) for path in held.get(role, [])]


def is_leader(person: Person) -> bool:
    """Leads a unit somewhere (the leader role), answered from the cached role paths."""
    return bool(role_paths(person).get(Role.LEADER))


# Who may put a team into a pilot (track 4): its leaders and lighthouses, the direktion and the
# administrators, each within the units they hold the role in.
PILOT_PROPOSERS = (Role.LEADER, Role.LIGHTHOUSE, Role.EXECUTIVE, Role.ADMIN)


def pilot_proposer_paths(person: Person) -> list[str]:
    """Where the person may put teams into a pilot (the unit picker's scope)."""
    if not person.is_active:
        return []
    held = role_paths(person)
    return sorted({path for role in PILOT_PROPOSERS for path in held.get(role, [])})


def can_put_team_in_pilot(person: Person, unit: Unit) -> bool:
    return any(has_role(person, role, unit=unit) for role in PILOT_PROPOSERS)


def leads_unit(person: Person, unit: Unit) -> bool:
    """Holds the leader role in the unit or above it."""
    return person.is_active and has_role(person, Role.LEADER, unit=unit)
