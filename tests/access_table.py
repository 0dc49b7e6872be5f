"""Who may see what: one row for every URL name in the project.

The access-matrix test walks every URL pattern of the root urlconf and fails when a pattern
has no row here, so a new page cannot ship without someone deciding who may open it. The
every-page test and the browser (axe) tests take their list of pages from this table too.

A row says how to build the URL for a persona (objects in the persona's own municipality),
which personas get the page (`allowed`), and, for object URLs, how to point at an object of
the *other* municipality. Everyone not allowed gets 404 (missing and forbidden look the same);
the anonymous visitor is sent to the login page instead.

To add a page: add a row to ROUTES. If the URL takes an object id, give `own` and `foreign`
(and `foreign_name`, so the isolation test can check the name does not leak).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from django.urls import reverse
from django.utils import timezone

from forankring.competence.models import Activity, LearningPath, Level, PathStep, Prompt, Session
from forankring.core.models import Municipality, Person, ProfessionalArea, RoleAssignment, Unit
from forankring.direction.models import Compass, FocusArea, Tool
from forankring.notifications.models import Notification
from forankring.pilots.models import AnonymousExperience, Celebration, Experience, LearningCard, Pilot
from forankring.practice.models import AnonymousIdea, CentreFocusArea, Idea, Lighthouse, LighthouseQuestion, UseCase
from tests.factories import (
    PERSONA_NAMES,
    Personas,
    make_activity,
    make_compass,
    make_focus_area,
    make_idea,
    make_notification,
    make_prompt,
    make_session,
    make_tool,
    make_unit,
    make_use_case,
)

ANONYMOUS = "anonymous"
# Every persona the tests walk: the signed-in ones from the factory, and nobody signed in.
ALL_PERSONAS: tuple[str, ...] = (*PERSONA_NAMES, ANONYMOUS)
SIGNED_IN = frozenset(PERSONA_NAMES)
EVERYONE = frozenset(ALL_PERSONAS)
# The Testkommune administrator and the outsider, who administers Andenkommune.
ADMINS = frozenset({"admin", "outsider"})

# The expected answer for the anonymous visitor on a page that needs sign-in.
LOGIN = "login"

Kwargs = dict[str, object]
KwargsFor = Callable[[Personas, str], Kwargs]
NameFor = Callable[[Personas, str], str]
Kind = Literal["page", "download", "json", "post"]


def _missing(value: object) -> object:
    """An id of the same kind that belongs to nothing."""
    if isinstance(value, int):
        return 999_999_999
    if isinstance(value, uuid.UUID):
        return uuid.UUID(int=1)
    return value


def in_other_municipality(who: str) -> bool:
    """The outsider works in Andenkommune; everyone else (and the anonymous visitor's URLs) in Testkommune."""
    return who == "outsider"


@dataclass(frozen=True)
class Route:
    name: str
    allowed: frozenset[str]
    # page: an HTML page in the site layout (checked by the every-page and axe tests);
    # download: a file; json: a machine answer; post: only POST changes anything.
    kind: Kind = "page"
    own: KwargsFor | None = None  # URL kwargs for an object in the persona's own municipality
    foreign: KwargsFor | None = None  # URL kwargs for an object of the other municipality
    foreign_name: NameFor | None = None  # that object's name, which must not leak
    ok: int = 200  # what an allowed persona gets on GET
    others: int = 404  # what a signed-in persona who is not allowed gets on GET
    anonymous: int | str = LOGIN  # what the anonymous visitor gets on GET when not allowed
    why: str = ""

    @property
    def is_object_url(self) -> bool:
        return self.foreign is not None

    def url(self, p: Personas, who: str) -> str:
        return reverse(self.name, kwargs=self.own(p, who) if self.own else None)

    def foreign_url(self, p: Personas, who: str) -> str:
        assert self.foreign is not None, f"{self.name} is not an object URL"
        return reverse(self.name, kwargs=self.foreign(p, who))

    def missing_url(self, p: Personas, who: str) -> str:
        """The same URL with every id replaced by one that does not exist."""
        assert self.own is not None, f"{self.name} takes no id"
        kwargs = {k: _missing(v) for k, v in self.own(p, who).items()}
        return reverse(self.name, kwargs=kwargs)

    def expected(self, who: str) -> int | str:
        if who in self.allowed:
            return self.ok
        if who == ANONYMOUS:
            return self.anonymous
        return self.others


# --- Objects each persona sees in its own municipality, and the other municipality's --------


def _unit(p: Personas, *, other: bool) -> Unit:
    return p.other_root if other else p.team


def _person(p: Personas, *, other: bool) -> Person:
    # The outsider is the only person in Andenkommune; the Testkommune target is an employee.
    return p.outsider if other else p.employee


def _assignment(person: Person) -> RoleAssignment:
    found = RoleAssignment.objects.filter(person=person).order_by("pk").first()
    assert found is not None, f"{person} has no role to point at"
    return found


def own_unit(p: Personas, who: str) -> Kwargs:
    return {"pk": _unit(p, other=in_other_municipality(who)).pk}


def foreign_unit(p: Personas, who: str) -> Kwargs:
    return {"pk": _unit(p, other=not in_other_municipality(who)).pk}


def foreign_unit_name(p: Personas, who: str) -> str:
    return _unit(p, other=not in_other_municipality(who)).name


def own_person(p: Personas, who: str) -> Kwargs:
    return {"pk": _person(p, other=in_other_municipality(who)).pk}


def foreign_person(p: Personas, who: str) -> Kwargs:
    return {"pk": _person(p, other=not in_other_municipality(who)).pk}


def foreign_person_name(p: Personas, who: str) -> str:
    return _person(p, other=not in_other_municipality(who)).name


def own_assignment(p: Personas, who: str) -> Kwargs:
    person = _person(p, other=in_other_municipality(who))
    return {"pk": person.pk, "assignment_pk": _assignment(person).pk}


def foreign_assignment(p: Personas, who: str) -> Kwargs:
    person = _person(p, other=not in_other_municipality(who))
    return {"pk": person.pk, "assignment_pk": _assignment(person).pk}


# Track 1's objects, made the first time a row asks for them.


def _municipality(p: Personas, *, other: bool) -> Municipality:
    return p.other_municipality if other else p.municipality


def _compass(p: Personas, *, other: bool, status: str) -> Compass:
    m = _municipality(p, other=other)
    found = Compass.objects.filter(municipality=m, status=status).first()
    version = Compass.objects.filter(municipality=m).count() + 1
    return found or make_compass(m, version=version, status=status)


def _tool(p: Personas, *, other: bool) -> Tool:
    m = _municipality(p, other=other)
    return Tool.objects.filter(municipality=m).first() or make_tool(m)


def _focus_area(p: Personas, *, other: bool) -> FocusArea:
    m = _municipality(p, other=other)
    return FocusArea.objects.filter(municipality=m).first() or make_focus_area(m)


def _compass_rows(status: str) -> tuple[KwargsFor, KwargsFor, NameFor]:
    """own / foreign / foreign_name for a compass version in `status`."""

    def own(p: Personas, who: str) -> Kwargs:
        return {"pk": _compass(p, other=in_other_municipality(who), status=status).pk}

    def foreign(p: Personas, who: str) -> Kwargs:
        return {"pk": _compass(p, other=not in_other_municipality(who), status=status).pk}

    def name(p: Personas, who: str) -> str:
        return _compass(p, other=not in_other_municipality(who), status=status).principles.all()[0].headline

    return own, foreign, name


own_published, foreign_published, foreign_published_name = _compass_rows("published")
own_draft, foreign_draft, foreign_draft_name = _compass_rows("draft")


def own_tool(p: Personas, who: str) -> Kwargs:
    return {"pk": _tool(p, other=in_other_municipality(who)).pk}


def foreign_tool(p: Personas, who: str) -> Kwargs:
    return {"pk": _tool(p, other=not in_other_municipality(who)).pk}


def foreign_tool_name(p: Personas, who: str) -> str:
    return _tool(p, other=not in_other_municipality(who)).name


def own_focus_area(p: Personas, who: str) -> Kwargs:
    return {"pk": _focus_area(p, other=in_other_municipality(who)).pk}


def foreign_focus_area(p: Personas, who: str) -> Kwargs:
    return {"pk": _focus_area(p, other=not in_other_municipality(who)).pk}


def foreign_focus_area_name(p: Personas, who: str) -> str:
    return _focus_area(p, other=not in_other_municipality(who)).name


# Track 3's objects, made the first time a row asks for them.


def _activity(p: Personas, *, other: bool) -> Activity:
    m = _municipality(p, other=other)
    return Activity.objects.filter(municipality=m).first() or make_activity(m)


def _session(p: Personas, *, other: bool) -> Session:
    m = _municipality(p, other=other)
    return Session.objects.filter(municipality=m).first() or make_session(_activity(p, other=other))


def _level(p: Personas, *, other: bool) -> Level:
    return _activity(p, other=other).level


def _prompt(p: Personas, *, other: bool) -> Prompt:
    m = _municipality(p, other=other)
    return Prompt.objects.filter(municipality=m).first() or make_prompt(m)


def _step(p: Personas, *, other: bool) -> PathStep:
    m = _municipality(p, other=other)
    found = PathStep.objects.filter(municipality=m).first()
    if found is None:
        path = LearningPath.objects.create(municipality=m, role="employee")
        found = PathStep.objects.create(municipality=m, path=path, activity=_activity(p, other=other))
    return found


def _object_rows(make: Callable[..., Any], name: Callable[[Any], str]) -> tuple[KwargsFor, KwargsFor, NameFor]:
    def own(p: Personas, who: str) -> Kwargs:
        return {"pk": make(p, other=in_other_municipality(who)).pk}

    def foreign(p: Personas, who: str) -> Kwargs:
        return {"pk": make(p, other=not in_other_municipality(who)).pk}

    def foreign_name(p: Personas, who: str) -> str:
        return name(make(p, other=not in_other_municipality(who)))

    return own, foreign, foreign_name


own_activity, foreign_activity, foreign_activity_name = _object_rows(_activity, lambda a: a.title)
own_session, foreign_session, foreign_session_name = _object_rows(_session, lambda s: s.place)
own_level, foreign_level, foreign_level_name = _object_rows(_level, lambda lv: lv.goal_list()[0])
own_prompt, foreign_prompt, foreign_prompt_name = _object_rows(_prompt, lambda pr: pr.title)
own_step, foreign_step, foreign_step_name = _object_rows(_step, lambda st: st.activity.title)


def _notification(p: Personas, who: str, *, other: bool) -> Notification:
    """A notification for `who` (or, in the other municipality, for someone there)."""
    here = p.people.get(who, p.employee)
    there = p.employee if in_other_municipality(who) else p.outsider
    recipient = there if other else here
    return make_notification(recipient, subject=f"Besked i {recipient.municipality.name}")


def own_notification(p: Personas, who: str) -> Kwargs:
    return {"pk": _notification(p, who, other=False).pk}


def foreign_notification(p: Personas, who: str) -> Kwargs:
    return {"pk": _notification(p, who, other=True).pk}


def foreign_notification_name(p: Personas, who: str) -> str:
    return _notification(p, who, other=True).subject


def _use_case(p: Personas, *, other: bool) -> UseCase:
    m = p.other_municipality if other else p.municipality
    found = UseCase.objects.filter(municipality=m).first()
    return found or make_use_case(m, unit=p.other_root if other else p.team)


def own_use_case(p: Personas, who: str) -> Kwargs:
    return {"pk": _use_case(p, other=in_other_municipality(who)).pk}


def foreign_use_case(p: Personas, who: str) -> Kwargs:
    return {"pk": _use_case(p, other=not in_other_municipality(who)).pk}


def foreign_use_case_name(p: Personas, who: str) -> str:
    return _use_case(p, other=not in_other_municipality(who)).title


def _idea(p: Personas, *, other: bool) -> Idea:
    m = p.other_municipality if other else p.municipality
    found = Idea.objects.filter(municipality=m).first()
    return found or (make_idea(p.outsider, p.other_root) if other else make_idea(p.employee, p.team))


def own_idea(p: Personas, who: str) -> Kwargs:
    return {"pk": _idea(p, other=in_other_municipality(who)).pk}


def foreign_idea(p: Personas, who: str) -> Kwargs:
    return {"pk": _idea(p, other=not in_other_municipality(who)).pk}


def foreign_idea_name(p: Personas, who: str) -> str:
    return _idea(p, other=not in_other_municipality(who)).title


def _anonymous_idea(p: Personas, *, other: bool) -> AnonymousIdea:
    m = p.other_municipality if other else p.municipality
    found = AnonymousIdea.objects.filter(municipality=m).first()
    return found or AnonymousIdea.objects.create(
        municipality=m,
        unit=p.other_root if other else p.institution,
        title=f"Referater i {m.name}",
        description="Referaterne tager tid.",
    )


def own_anonymous_idea(p: Personas, who: str) -> Kwargs:
    return {"pk": _anonymous_idea(p, other=in_other_municipality(who)).pk}


def foreign_anonymous_idea(p: Personas, who: str) -> Kwargs:
    return {"pk": _anonymous_idea(p, other=not in_other_municipality(who)).pk}


def foreign_anonymous_idea_name(p: Personas, who: str) -> str:
    return _anonymous_idea(p, other=not in_other_municipality(who)).title


def _centre_focus(p: Personas, *, other: bool) -> CentreFocusArea:
    m = p.other_municipality if other else p.municipality
    found = CentreFocusArea.objects.filter(municipality=m).first()
    if found:
        return found
    centre = make_unit(m, "Center for Ældre", p.other_root) if other else p.centre
    return CentreFocusArea.objects.create(
        municipality=m,
        unit=centre,
        strategic=_focus_area(p, other=other),
        name=f"Dokumentation i {m.name}",
        why="Fordi det tager tid.",
        success="Mere tid hos borgeren.",
    )


def own_centre_focus(p: Personas, who: str) -> Kwargs:
    return {"pk": _centre_focus(p, other=in_other_municipality(who)).pk}


def foreign_centre_focus(p: Personas, who: str) -> Kwargs:
    return {"pk": _centre_focus(p, other=not in_other_municipality(who)).pk}


def foreign_centre_focus_name(p: Personas, who: str) -> str:
    return _centre_focus(p, other=not in_other_municipality(who)).name


def _lighthouse(p: Personas, *, other: bool) -> Lighthouse:
    m = p.other_municipality if other else p.municipality
    person = p.outsider if other else p.lighthouse
    # The persona's own appointment, not just any (a grown organisation has more lighthouses).
    found = Lighthouse.objects.filter(municipality=m, person=person).first()
    if found:
        return found
    area = ProfessionalArea.objects.get_or_create(municipality=m, name="Dagtilbud")[0]
    return Lighthouse.objects.create(
        municipality=m,
        person=person,
        unit=p.other_root if other else p.institution,
        area=area,
        helps_with=f"Skriveassistenten i {m.name}",
        contact="Tirsdage",
    )


def own_lighthouse(p: Personas, who: str) -> Kwargs:
    return {"pk": _lighthouse(p, other=in_other_municipality(who)).pk}


def foreign_lighthouse(p: Personas, who: str) -> Kwargs:
    return {"pk": _lighthouse(p, other=not in_other_municipality(who)).pk}


def foreign_lighthouse_name(p: Personas, who: str) -> str:
    return _lighthouse(p, other=not in_other_municipality(who)).helps_with


def _lighthouse_question(p: Personas, *, other: bool) -> LighthouseQuestion:
    """A question from the employee to the lighthouse persona (in Andenkommune the outsider,
    its only persona, is both)."""
    m = p.other_municipality if other else p.municipality
    lighthouse_person, asker = (p.outsider, p.outsider) if other else (p.lighthouse, p.employee)
    found = LighthouseQuestion.objects.filter(municipality=m, lighthouse__person=lighthouse_person, asker=asker)
    if found.exists():
        return found.order_by("pk").first()  # type: ignore[return-value]
    lighthouse = Lighthouse.objects.filter(municipality=m, person=lighthouse_person).first() or _lighthouse(
        p, other=other
    )
    return LighthouseQuestion.objects.create(
        municipality=m,
        lighthouse=lighthouse,
        asker=asker,
        text=f"Hvordan kommer vi i gang i {m.name}?",
        asked_at=timezone.now(),
    )


def own_lighthouse_question(p: Personas, who: str) -> Kwargs:
    return {"pk": _lighthouse_question(p, other=in_other_municipality(who)).pk}


def foreign_lighthouse_question(p: Personas, who: str) -> Kwargs:
    return {"pk": _lighthouse_question(p, other=not in_other_municipality(who)).pk}


def foreign_lighthouse_question_name(p: Personas, who: str) -> str:
    return _lighthouse_question(p, other=not in_other_municipality(who)).text


def own_team(p: Personas, who: str) -> Kwargs:
    return {"pk": (p.other_root if in_other_municipality(who) else p.team).pk}


def foreign_team(p: Personas, who: str) -> Kwargs:
    return {"pk": (p.team if in_other_municipality(who) else p.other_root).pk}


def foreign_team_name(p: Personas, who: str) -> str:
    return (p.team if in_other_municipality(who) else p.other_root).name + "-no-such-name"


# The direktion edits the purpose, the compass and the decision rights (the outsider administers
# Andenkommune); IT edits tools; the direktion and IT the data rules; leaders, MED and the
# direktion see the acknowledgement coverage.
DIREKTION = frozenset({"executive", "admin", "outsider"})
TOOL_EDITORS = frozenset({"it", "admin", "outsider"})
DATA_RULE_EDITORS = DIREKTION | TOOL_EDITORS
COVERAGE_READERS = frozenset({"executive", "centre_chief", "team_leader", "med", "admin", "outsider"})
# Facilitators and administrators run the learning offer; IT also sees training coverage.
LEARNING = frozenset({"facilitator", "admin", "outsider"})
TRAINING_COVERAGE = COVERAGE_READERS | {"it"}
USE_CASE_WRITERS = frozenset({"executive", "centre_chief", "team_leader", "lighthouse", "admin", "outsider"})
TEAM_READERS = frozenset({"centre_chief", "team_leader", "employee", "lighthouse", "admin", "outsider"})
USE_CASE_EDITORS = frozenset({"centre_chief", "team_leader", "lighthouse", "admin", "outsider"})


# --- Track 4: core (pilots and their pulse) --------------------------------------------------


def _pilot(p: Personas, *, other: bool, status: str = "running") -> Any:
    from tests.pilots.helpers_core import pilot_of

    return pilot_of(p, other=other, status=status)


def own_pilot(p: Personas, who: str) -> Kwargs:
    return {"pk": _pilot(p, other=in_other_municipality(who)).pk}


def foreign_pilot(p: Personas, who: str) -> Kwargs:
    return {"pk": _pilot(p, other=not in_other_municipality(who)).pk}


def foreign_pilot_name(p: Personas, who: str) -> str:
    return str(_pilot(p, other=not in_other_municipality(who)).title)


def own_idea_pilot(p: Personas, who: str) -> Kwargs:
    return {"pk": _pilot(p, other=in_other_municipality(who), status="idea").pk}


def foreign_idea_pilot(p: Personas, who: str) -> Kwargs:
    return {"pk": _pilot(p, other=not in_other_municipality(who), status="idea").pk}


def foreign_idea_pilot_name(p: Personas, who: str) -> str:
    return str(_pilot(p, other=not in_other_municipality(who), status="idea").title)


# Who proposes a pilot: leaders, lighthouses, the direktion and administrators (as for use cases).
PILOT_PROPOSERS = frozenset({"executive", "centre_chief", "team_leader", "lighthouse", "admin", "outsider"})
# An idea is edited by its proposer and responsible leader (the team leader; the outsider in
# Andenkommune) and administrators.
PILOT_EDITORS = frozenset({"team_leader", "admin", "outsider"})
# The running pilot's participants: the people placed in Team Sol (the outsider's is at the top
# of Andenkommune, where the outsider is placed).
PILOT_PARTICIPANTS = frozenset({"team_leader", "employee", "lighthouse", "outsider"})


# --- The table ------------------------------------------------------------------------------


# Track 4: rollout. A rollout to the team (owned by its leader) in Testkommune, and to the
# top unit of Andenkommune (where the outsider works, and owns it).


def _rollout(p: Personas, *, other: bool) -> Any:
    from forankring.pilots.models import Rollout
    from tests.pilots.helpers_rollout import make_rollout

    unit = p.other_root if other else p.team
    found = Rollout.objects.filter(municipality=unit.municipality).order_by("pk").first()
    return found or make_rollout(unit, owner=p.outsider if other else p.team_leader)


own_rollout, foreign_rollout, foreign_rollout_name = _object_rows(_rollout, lambda r: r.purpose)


def own_rollout_week(p: Personas, who: str) -> Kwargs:
    return {**own_rollout(p, who), "week": 1}


def foreign_rollout_week(p: Personas, who: str) -> Kwargs:
    return {**foreign_rollout(p, who), "week": 1}


# Who starts a rollout: track 1's "scale_or_stop" deciders (the direktion) and administrators.
ROLLOUT_STARTERS = frozenset({"executive", "admin", "outsider"})
# Who names the owner: those, and the leaders of the team (and above it).
ROLLOUT_OWNER_CHOOSERS = ROLLOUT_STARTERS | {"team_leader", "centre_chief"}
# Who has a "one concrete problem": people who work in the unit (the outsider works in Andenkommune's top unit).
ROLLOUT_MEMBERS = frozenset({"team_leader", "employee", "lighthouse", "outsider"})
# --- Track 4: sharing (learning cards, experiences, celebrations) ---------------------------


def _sharing_people(p: Personas, *, other: bool) -> tuple[Person, Unit]:
    return (p.outsider, p.other_root) if other else (p.team_leader, p.team)


def _card(p: Personas, *, other: bool) -> LearningCard:
    from tests.pilots.factories_sharing import make_card

    m = p.other_municipality if other else p.municipality
    found = LearningCard.objects.filter(municipality=m).order_by("pk").first()
    return found or make_card(*_sharing_people(p, other=other))


def own_card(p: Personas, who: str) -> Kwargs:
    return {"pk": _card(p, other=in_other_municipality(who)).pk}


def foreign_card(p: Personas, who: str) -> Kwargs:
    return {"pk": _card(p, other=not in_other_municipality(who)).pk}


def foreign_card_name(p: Personas, who: str) -> str:
    return _card(p, other=not in_other_municipality(who)).pilot.title


def _pilot_awaiting_card(p: Personas, *, other: bool) -> Pilot:
    from tests.pilots.factories_sharing import make_closed_pilot

    m = p.other_municipality if other else p.municipality
    title = f"Afventer læringskort i {m.name}"
    found = Pilot.objects.filter(municipality=m, title=title).first()
    return found or make_closed_pilot(*_sharing_people(p, other=other), title=title)


def own_pilot_awaiting_card(p: Personas, who: str) -> Kwargs:
    return {"pk": _pilot_awaiting_card(p, other=in_other_municipality(who)).pk}


def foreign_pilot_awaiting_card(p: Personas, who: str) -> Kwargs:
    return {"pk": _pilot_awaiting_card(p, other=not in_other_municipality(who)).pk}


def foreign_pilot_awaiting_card_name(p: Personas, who: str) -> str:
    return _pilot_awaiting_card(p, other=not in_other_municipality(who)).title


def _experience(p: Personas, *, other: bool) -> Experience:
    from tests.pilots.factories_sharing import make_experience

    m = p.other_municipality if other else p.municipality
    found = Experience.objects.filter(municipality=m).order_by("pk").first()
    return found or make_experience(p.outsider if other else p.employee)


def own_experience(p: Personas, who: str) -> Kwargs:
    return {"pk": _experience(p, other=in_other_municipality(who)).pk}


def foreign_experience(p: Personas, who: str) -> Kwargs:
    return {"pk": _experience(p, other=not in_other_municipality(who)).pk}


def foreign_experience_name(p: Personas, who: str) -> str:
    return _experience(p, other=not in_other_municipality(who)).title


def _anonymous_experience(p: Personas, *, other: bool) -> AnonymousExperience:
    from tests.pilots.factories_sharing import make_anonymous_experience

    m = p.other_municipality if other else p.municipality
    found = AnonymousExperience.objects.filter(municipality=m).first()
    return found or make_anonymous_experience(m)


def own_anonymous_experience(p: Personas, who: str) -> Kwargs:
    return {"pk": _anonymous_experience(p, other=in_other_municipality(who)).pk}


def foreign_anonymous_experience(p: Personas, who: str) -> Kwargs:
    return {"pk": _anonymous_experience(p, other=not in_other_municipality(who)).pk}


def foreign_anonymous_experience_name(p: Personas, who: str) -> str:
    return _anonymous_experience(p, other=not in_other_municipality(who)).title


def _celebration(p: Personas, *, other: bool) -> Celebration:
    from tests.pilots.factories_sharing import make_celebration

    m = p.other_municipality if other else p.municipality
    found = Celebration.objects.filter(municipality=m).first()
    return found or make_celebration(p.other_root if other else p.team)


def own_celebration(p: Personas, who: str) -> Kwargs:
    return {"pk": _celebration(p, other=in_other_municipality(who)).pk}


def foreign_celebration(p: Personas, who: str) -> Kwargs:
    return {"pk": _celebration(p, other=not in_other_municipality(who)).pk}


def foreign_celebration_name(p: Personas, who: str) -> str:
    return _celebration(p, other=not in_other_municipality(who)).story


# Track 4's retrospective: a board on a pilot of Team Sol (Testkommune) and of Andenkommune's top
# unit. It is open to the pilot's teams (team leader, employee, lighthouse), its leader, and whoever
# decides "scale_or_stop" over its units (the direktion) and administrators.
def _retro_pilot_rows() -> tuple[KwargsFor, KwargsFor, NameFor]:
    from tests.pilots.retro_support import retro_pilot

    def make(p: Personas, *, other: bool) -> Any:
        return retro_pilot(p, other=other)

    return _object_rows(make, lambda pilot: pilot.title)


own_retro, foreign_retro, foreign_retro_name = _retro_pilot_rows()
RETRO_READERS = frozenset({"executive", "team_leader", "employee", "lighthouse", "admin", "outsider"})


ROUTES: tuple[Route, ...] = (
    # Public: the language switch, sign-in, the about page and the load balancer's check.
    Route(
        "set_language",
        EVERYONE,
        kind="post",
        ok=302,
        why="Django's view; a GET only redirects back without changing anything",
    ),
    Route("core:login", frozenset({ANONYMOUS}), others=302, why="a signed-in person is sent on to the home page"),
    Route("core:logout", EVERYONE, kind="post", ok=405, why="POST only, so a link or prefetch cannot sign anyone out"),
    Route("core:about", EVERYONE),
    Route("core:health", EVERYONE, kind="json"),
    Route("core:ready", EVERYONE, kind="json"),
    Route("core:robots", EVERYONE, kind="download"),
    # Every signed-in person.
    Route("core:home", SIGNED_IN),
    Route("core:choose_municipality", SIGNED_IN),
    Route("core:overview", SIGNED_IN),
    Route("pilots:index", SIGNED_IN),
    # Track 4: retro. The board answers only its teams, its leader and who decides its outcome;
    # every change is a POST whose action refuses anyone else.
    Route(
        "pilots:retro",
        RETRO_READERS,
        own=own_retro,
        foreign=foreign_retro,
        foreign_name=foreign_retro_name,
        why="the pilot's teams, its leader, who decides scale_or_stop over its units, administrators",
    ),
    Route(
        "pilots:retro_open",
        SIGNED_IN,
        kind="post",
        ok=405,
        own=own_retro,
        foreign=foreign_retro,
        foreign_name=foreign_retro_name,
        why="POST only; the action refuses anyone but the board's teams or who runs it",
    ),
    Route(
        "pilots:retro_phase",
        SIGNED_IN,
        kind="post",
        ok=405,
        own=own_retro,
        foreign=foreign_retro,
        foreign_name=foreign_retro_name,
        why="POST only; the action refuses anyone but the board's teams or who runs it",
    ),
    Route(
        "pilots:retro_card",
        SIGNED_IN,
        kind="post",
        ok=405,
        own=own_retro,
        foreign=foreign_retro,
        foreign_name=foreign_retro_name,
        why="POST only; the action refuses anyone but the board's teams or who runs it",
    ),
    Route(
        "pilots:retro_group",
        SIGNED_IN,
        kind="post",
        ok=405,
        own=own_retro,
        foreign=foreign_retro,
        foreign_name=foreign_retro_name,
        why="POST only; the action refuses anyone but the board's teams or who runs it",
    ),
    Route(
        "pilots:retro_ungroup",
        SIGNED_IN,
        kind="post",
        ok=405,
        own=own_retro,
        foreign=foreign_retro,
        foreign_name=foreign_retro_name,
        why="POST only; the action refuses anyone but the board's teams or who runs it",
    ),
    Route(
        "pilots:retro_vote",
        SIGNED_IN,
        kind="post",
        ok=405,
        own=own_retro,
        foreign=foreign_retro,
        foreign_name=foreign_retro_name,
        why="POST only; the action refuses anyone but the board's teams or who runs it",
    ),
    Route(
        "pilots:retro_note",
        SIGNED_IN,
        kind="post",
        ok=405,
        own=own_retro,
        foreign=foreign_retro,
        foreign_name=foreign_retro_name,
        why="POST only; the action refuses anyone but the board's teams or who runs it",
    ),
    Route(
        "pilots:retro_decide",
        SIGNED_IN,
        kind="post",
        ok=405,
        own=own_retro,
        foreign=foreign_retro,
        foreign_name=foreign_retro_name,
        why="POST only; the action refuses anyone but the board's teams or who runs it",
    ),
    Route(
        "pilots:retro_action",
        SIGNED_IN,
        kind="post",
        ok=405,
        own=own_retro,
        foreign=foreign_retro,
        foreign_name=foreign_retro_name,
        why="POST only; the action refuses anyone but the board's teams or who runs it",
    ),
    Route("pilots:list", SIGNED_IN),
    Route("pilots:new", PILOT_PROPOSERS, why="leaders, lighthouses, the direktion and administrators"),
    Route("pilots:detail", SIGNED_IN, own=own_pilot, foreign=foreign_pilot, foreign_name=foreign_pilot_name),
    Route(
        "pilots:edit",
        PILOT_EDITORS,
        own=own_idea_pilot,
        foreign=foreign_idea_pilot,
        foreign_name=foreign_idea_pilot_name,
        why="an idea only: its proposer, its responsible leader and administrators",
    ),
    *[
        Route(
            name,
            SIGNED_IN,
            kind="post",
            ok=405,
            own=own_pilot,
            foreign=foreign_pilot,
            foreign_name=foreign_pilot_name,
            why="POST only; the action checks track 1's decision rights or the responsible leader",
        )
        for name in ("pilots:approve", "pilots:start", "pilots:evaluate", "pilots:extend", "pilots:close")
    ],
    Route(
        "pilots:pulse",
        PILOT_PARTICIPANTS,
        own=own_pilot,
        foreign=foreign_pilot,
        foreign_name=foreign_pilot_name,
        why="a running pilot's participants: the people placed in its teams or below them",
    ),
    Route("core:workshops", SIGNED_IN),
    Route("core:organisation", SIGNED_IN),
    Route("core:me", SIGNED_IN),
    Route(
        "core:unit_detail",
        SIGNED_IN,
        own=own_unit,
        foreign=foreign_unit,
        foreign_name=foreign_unit_name,
        why="the organisation tree is open to everyone in the municipality",
    ),
    # The municipality's administrators (the outsider administers Andenkommune).
    Route("core:admin_home", ADMINS),
    Route("core:admin_settings", ADMINS),
    Route("core:admin_people", ADMINS),
    Route(
        "core:admin_person",
        ADMINS,
        own=own_person,
        foreign=foreign_person,
        foreign_name=foreign_person_name,
    ),
    Route(
        "core:admin_revoke_role",
        ADMINS,
        kind="post",
        ok=405,
        own=own_assignment,
        foreign=foreign_assignment,
        foreign_name=foreign_person_name,
    ),
    Route("core:admin_import", ADMINS),
    Route("core:admin_export", ADMINS, kind="download", own=lambda p, who: {"fmt": "csv"}),
    Route("core:admin_audit", ADMINS),
    Route("core:admin_audit_export", ADMINS, kind="download"),
    Route("core:admin_audit_check", ADMINS, kind="post", ok=405),
    # Privacy: anonymous concerns and wishes, and which data may go into which AI tools.
    Route(
        "privacy:concern_new",
        SIGNED_IN,
        why="anyone may write anonymously; the outsider's one-person municipality is told it is too small",
    ),
    Route(
        "privacy:concern_list",
        frozenset({"executive", "centre_chief", "team_leader", "med"}),
        why="leaders and MED of a unit read its concerns; the team leader's team is too small and is told so",
    ),
    Route("privacy:data_tools", SIGNED_IN, why="the AI-kompas's data rules are for everyone in the municipality"),
    # Track 1, "Retning og rammer": everyone reads; the direktion, IT and MED change their parts.
    Route("direction:index", SIGNED_IN),
    Route("direction:purpose_edit", DIREKTION),
    Route("direction:focus_areas", SIGNED_IN, why="everyone reads them; the direktion adds and removes"),
    Route(
        "direction:focus_area_remove",
        SIGNED_IN,
        kind="post",
        ok=405,
        own=own_focus_area,
        foreign=foreign_focus_area,
        foreign_name=foreign_focus_area_name,
        why="POST only; the action refuses anyone but the deciding roles",
    ),
    Route("direction:compass", SIGNED_IN),
    Route("direction:compass_new", SIGNED_IN, kind="post", ok=405, why="POST only; the action refuses non-direktion"),
    Route("direction:compass_diff", SIGNED_IN, why="compares the versions the person may see"),
    Route("direction:coverage", COVERAGE_READERS, why="leaders, MED and the direktion; never a list of people"),
    Route(
        "direction:compass_detail",
        SIGNED_IN,
        own=own_published,
        foreign=foreign_published,
        foreign_name=foreign_published_name,
        why="a published version is everyone's; drafts are the direktion's (behaviour tests)",
    ),
    Route(
        "direction:compass_edit",
        DIREKTION,
        own=own_draft,
        foreign=foreign_draft,
        foreign_name=foreign_draft_name,
    ),
    Route(
        "direction:compass_step",
        SIGNED_IN,
        kind="post",
        ok=405,
        own=own_draft,
        foreign=foreign_draft,
        foreign_name=foreign_draft_name,
        why="POST only; the actions refuse anyone but the direktion",
    ),
    Route(
        "direction:compass_acknowledge",
        SIGNED_IN,
        kind="post",
        ok=405,
        own=own_published,
        foreign=foreign_published,
        foreign_name=foreign_published_name,
    ),
    Route("direction:tools", SIGNED_IN),
    Route("direction:tool_new", TOOL_EDITORS),
    Route(
        "direction:tool_detail",
        SIGNED_IN,
        own=own_tool,
        foreign=foreign_tool,
        foreign_name=foreign_tool_name,
    ),
    Route(
        "direction:tool_edit",
        TOOL_EDITORS,
        own=own_tool,
        foreign=foreign_tool,
        foreign_name=foreign_tool_name,
    ),
    Route("direction:data_rules", SIGNED_IN, why="everyone sees the versions; the direktion and IT edit"),
    Route("direction:data_names", DATA_RULE_EDITORS),
    Route("direction:may_i_use", SIGNED_IN),
    Route("direction:decisions", SIGNED_IN),
    Route("direction:decision_new", DIREKTION),
    Route("direction:decision_edit", DIREKTION, own=lambda p, who: {"key": "approve_tool"}),
    Route(
        "direction:concerns",
        frozenset({"executive", "centre_chief", "team_leader", "med"}),
        why="the leaders, MED and direktion who read a unit's concerns answer them",
    ),
    Route("direction:answered", SIGNED_IN, why="answers to concerns about one's own units and those above"),
    Route("direction:how_we_work", SIGNED_IN),
    # Track 3, "Kompetenceudvikling": everyone learns; facilitators run the offer; names are the administrator's.
    Route("competence:index", SIGNED_IN),
    Route("competence:settings", ADMINS),
    Route("competence:level_new", ADMINS),
    Route("competence:level_edit", ADMINS, own=own_level, foreign=foreign_level, foreign_name=foreign_level_name),
    Route("competence:activities", SIGNED_IN),
    Route("competence:activity_new", LEARNING),
    Route(
        "competence:activity_detail",
        SIGNED_IN,
        own=own_activity,
        foreign=foreign_activity,
        foreign_name=foreign_activity_name,
    ),
    Route(
        "competence:activity_edit",
        LEARNING,
        own=own_activity,
        foreign=foreign_activity,
        foreign_name=foreign_activity_name,
    ),
    Route(
        "competence:activity_complete",
        SIGNED_IN,
        own=own_activity,
        foreign=foreign_activity,
        foreign_name=foreign_activity_name,
        why="anyone registers their own completion, after a confirmation",
    ),
    Route(
        "competence:session_new",
        LEARNING,
        own=own_activity,
        foreign=foreign_activity,
        foreign_name=foreign_activity_name,
    ),
    Route(
        "competence:session_detail",
        SIGNED_IN,
        own=own_session,
        foreign=foreign_session,
        foreign_name=foreign_session_name,
        why="everyone sees a session; only its facilitator or leader sees who comes (behaviour tests)",
    ),
    Route(
        "competence:session_edit",
        LEARNING,
        own=own_session,
        foreign=foreign_session,
        foreign_name=foreign_session_name,
        why="facilitators and administrators move or call off a session; those signed up are told",
    ),
    Route(
        "competence:session_call_off",
        SIGNED_IN,
        kind="post",
        ok=405,
        own=own_session,
        foreign=foreign_session,
        foreign_name=foreign_session_name,
        why="POST only; the view refuses anyone but facilitators and administrators",
    ),
    Route(
        "competence:session_signup",
        SIGNED_IN,
        kind="post",
        ok=405,
        own=own_session,
        foreign=foreign_session,
        foreign_name=foreign_session_name,
    ),
    Route(
        "competence:session_cancel",
        SIGNED_IN,
        kind="post",
        ok=405,
        own=own_session,
        foreign=foreign_session,
        foreign_name=foreign_session_name,
    ),
    Route(
        "competence:session_ics",
        SIGNED_IN,
        kind="download",
        own=own_session,
        foreign=foreign_session,
        foreign_name=foreign_session_name,
    ),
    Route("competence:mine", SIGNED_IN),
    Route("competence:register", ADMINS, why="the register names people: the administrator's, for an audit"),
    Route("competence:register_export", ADMINS, kind="download", own=lambda p, who: {"fmt": "xlsx"}),
    Route("competence:coverage", TRAINING_COVERAGE, why="leaders, MED, the direktion and IT; always suppressed"),
    Route(
        "competence:mandatory",
        ADMINS,
        why="leaders too, but only when the municipality switches it on (behaviour tests); off by default",
    ),
    Route("competence:tools", SIGNED_IN),
    Route("competence:paths", SIGNED_IN, why="everyone reads them; administrators add and remove steps"),
    Route(
        "competence:path_step_remove",
        SIGNED_IN,
        kind="post",
        ok=405,
        own=own_step,
        foreign=foreign_step,
        foreign_name=foreign_step_name,
        why="POST only; the action refuses anyone but administrators",
    ),
    Route("competence:prompts", SIGNED_IN),
    Route("competence:prompt_new", SIGNED_IN, why="anyone may propose a prompt"),
    Route(
        "competence:prompt_detail",
        SIGNED_IN,
        own=own_prompt,
        foreign=foreign_prompt,
        foreign_name=foreign_prompt_name,
        why="an approved prompt is everyone's; a proposal its author's and the deciders' (behaviour tests)",
    ),
    Route(
        "competence:prompt_decide",
        SIGNED_IN,
        kind="post",
        ok=405,
        own=own_prompt,
        foreign=foreign_prompt,
        foreign_name=foreign_prompt_name,
        why="POST only; the action refuses anyone but lighthouses, leaders and administrators",
    ),
    Route(
        "competence:prompt_useful",
        SIGNED_IN,
        kind="post",
        ok=405,
        own=own_prompt,
        foreign=foreign_prompt,
        foreign_name=foreign_prompt_name,
    ),
    # Track 2, "Faglig forankring": everyone reads and points to workflows; leaders and
    # lighthouses register use cases, and track 1's decision rights say who moves them.
    Route("practice:index", SIGNED_IN),
    Route("practice:focus_areas", SIGNED_IN, why="everyone reads them; centre chiefs add their centre's"),
    Route(
        "practice:focus_area_remove",
        SIGNED_IN,
        kind="post",
        ok=405,
        own=own_centre_focus,
        foreign=foreign_centre_focus,
        foreign_name=foreign_centre_focus_name,
        why="POST only; the action refuses anyone but the centre's chief",
    ),
    Route("practice:use_cases", SIGNED_IN),
    Route("practice:use_case_new", USE_CASE_WRITERS, why="leaders and lighthouses; employees point to a workflow"),
    Route("practice:use_case_similar", SIGNED_IN),
    Route(
        "practice:use_case",
        SIGNED_IN,
        own=own_use_case,
        foreign=foreign_use_case,
        foreign_name=foreign_use_case_name,
    ),
    Route(
        "practice:use_case_edit",
        USE_CASE_EDITORS,
        own=own_use_case,
        foreign=foreign_use_case,
        foreign_name=foreign_use_case_name,
        why="the owning unit's leaders and lighthouses, and administrators",
    ),
    *[
        Route(
            name,
            SIGNED_IN,
            kind="post",
            ok=405,
            own=own_use_case,
            foreign=foreign_use_case,
            foreign_name=foreign_use_case_name,
            why="POST only; the action checks the decision rights or the person's own units",
        )
        for name in ("practice:use_case_status", "practice:use_case_join", "practice:use_case_follow")
    ],
    Route("practice:ideas", SIGNED_IN),
    Route("practice:idea_new", SIGNED_IN),
    Route("practice:idea", SIGNED_IN, own=own_idea, foreign=foreign_idea, foreign_name=foreign_idea_name),
    Route(
        "practice:idea_follow",
        SIGNED_IN,
        kind="post",
        ok=405,
        own=own_idea,
        foreign=foreign_idea,
        foreign_name=foreign_idea_name,
    ),
    Route(
        "practice:anonymous_idea",
        SIGNED_IN,
        own=own_anonymous_idea,
        foreign=foreign_anonymous_idea,
        foreign_name=foreign_anonymous_idea_name,
        why="the anonymous proposer's way back to the answer; the id is a random UUID",
    ),
    Route("practice:lighthouses", SIGNED_IN, why="everyone finds their lighthouse; leaders appoint in their units"),
    Route(
        "practice:lighthouse_remove",
        frozenset({"centre_chief", "lighthouse", "admin", "outsider"}),
        own=own_lighthouse,
        foreign=foreign_lighthouse,
        foreign_name=foreign_lighthouse_name,
        why="the confirmation, for whom decides on lighthouses in the unit (leaders above it, administrators) "
        "and the lighthouse themself",
    ),
    Route(
        "practice:lighthouse_ask",
        SIGNED_IN,
        own=own_lighthouse,
        foreign=foreign_lighthouse,
        foreign_name=foreign_lighthouse_name,
        why="anyone asks a lighthouse of their municipality; the lighthouse is told it is themselves",
    ),
    Route("practice:lighthouse_questions", SIGNED_IN, why="each person's own questions, and a lighthouse's"),
    Route(
        "practice:lighthouse_question",
        frozenset({"employee", "lighthouse", "outsider"}),
        own=own_lighthouse_question,
        foreign=foreign_lighthouse_question,
        foreign_name=foreign_lighthouse_question_name,
        why="the asker and the lighthouse only",
    ),
    Route("practice:teams", SIGNED_IN),
    Route(
        "practice:team",
        TEAM_READERS,
        own=own_team,
        foreign=foreign_team,
        foreign_name=foreign_team_name,
        why="the team's members, its leaders and leaders above, administrators",
    ),
    Route(
        "practice:team_kit",
        TEAM_READERS,
        own=own_team,
        foreign=foreign_team,
        foreign_name=foreign_team_name,
        why="the team's members, its leaders and leaders above, administrators",
    ),
    # Track 4: rollout. Everyone reads rollouts; the readiness detail and the plan's forms are
    # for those who can act on them; "one concrete problem" is each member's own.
    Route("pilots:rollouts", SIGNED_IN),
    Route("pilots:rollout_new", ROLLOUT_STARTERS, why="track 1's deciders for scale_or_stop, and administrators"),
    Route("pilots:rollout", SIGNED_IN, own=own_rollout, foreign=foreign_rollout, foreign_name=foreign_rollout_name),
    Route(
        "pilots:rollout_owner",
        ROLLOUT_OWNER_CHOOSERS,
        own=own_rollout,
        foreign=foreign_rollout,
        foreign_name=foreign_rollout_name,
        why="the deciders, and the leaders of the unit and above it",
    ),
    *[
        Route(
            name,
            frozenset({"team_leader", "outsider"}),
            own=own,
            foreign=foreign,
            foreign_name=foreign_rollout_name,
            why="the owner of the 30 days only",
        )
        for name, own, foreign in (
            ("pilots:rollout_week", own_rollout_week, foreign_rollout_week),
            ("pilots:rollout_close", own_rollout, foreign_rollout),
        )
    ],
    Route(
        "pilots:rollout_problem",
        ROLLOUT_MEMBERS,
        own=own_rollout,
        foreign=foreign_rollout,
        foreign_name=foreign_rollout_name,
        why="the people who work in the unit; each sees only their own text",
    ),
    Route(
        "pilots:rollout_problem_delete",
        SIGNED_IN,
        kind="post",
        ok=405,
        own=own_rollout,
        foreign=foreign_rollout,
        foreign_name=foreign_rollout_name,
        why="POST only; deletes the person's own problem, if they have one",
    ),
    # Notifications: each person's own list and choice.
    Route("notifications:list", SIGNED_IN),
    Route("notifications:preference", SIGNED_IN),
    Route("notifications:mark_all_read", SIGNED_IN, kind="post", ok=405),
    Route(
        "notifications:open",
        SIGNED_IN,
        kind="post",
        ok=405,
        own=own_notification,
        foreign=foreign_notification,
        foreign_name=foreign_notification_name,
        why="POST only; a notification is its recipient's alone",
    ),
    # Track 4, sharing: learning cards, experiences and celebrations are open to everyone in the
    # municipality; a card is published by the pilot's leader or whoever decides scale_or_stop.
    Route("pilots:cards", SIGNED_IN),
    Route("pilots:card", SIGNED_IN, own=own_card, foreign=foreign_card, foreign_name=foreign_card_name),
    Route(
        "pilots:card_publish",
        frozenset({"executive", "team_leader", "admin", "outsider"}),
        own=own_pilot_awaiting_card,
        foreign=foreign_pilot_awaiting_card,
        foreign_name=foreign_pilot_awaiting_card_name,
        why="the pilot's leader, the direktion (decides scale_or_stop) and administrators",
    ),
    Route(
        "pilots:card_edit",
        frozenset({"executive", "team_leader", "admin", "outsider"}),
        own=own_card,
        foreign=foreign_card,
        foreign_name=foreign_card_name,
        why="whoever may publish the card: the pilot's leader, the direktion and administrators",
    ),
    Route("pilots:experiences", SIGNED_IN),
    Route("pilots:experience_new", SIGNED_IN),
    Route(
        "pilots:experience_take_down",
        SIGNED_IN,
        kind="post",
        ok=405,
        own=own_experience,
        foreign=foreign_experience,
        foreign_name=foreign_experience_name,
        why="POST only; the author or an administrator",
    ),
    Route(
        "pilots:anonymous_experience_take_down",
        SIGNED_IN,
        kind="post",
        ok=405,
        own=own_anonymous_experience,
        foreign=foreign_anonymous_experience,
        foreign_name=foreign_anonymous_experience_name,
        why="POST only; an administrator",
    ),
    Route("pilots:celebrations", SIGNED_IN),
    Route("pilots:celebration_new", SIGNED_IN),
    Route(
        "pilots:celebration_react",
        SIGNED_IN,
        kind="post",
        ok=405,
        own=own_celebration,
        foreign=foreign_celebration,
        foreign_name=foreign_celebration_name,
        why="POST only; anyone in the municipality reacts, counted without identity",
    ),
    Route(
        "pilots:celebration_take_down",
        SIGNED_IN,
        kind="post",
        ok=405,
        own=own_celebration,
        foreign=foreign_celebration,
        foreign_name=foreign_celebration_name,
        why="POST only; the team's leaders or an administrator",
    ),
)

ROUTES_BY_NAME = {route.name: route for route in ROUTES}

# URL patterns the matrix does not walk, each with the reason. Keys are URL names, or the
# dotted path of the view for patterns without a name.
IGNORED: dict[str, str] = {
    "oidc_authentication_init": "redirects to the municipality's OpenID provider; covered by the oidc tests",
    "oidc_authentication_callback": "the provider's return address; covered by the oidc tests",
    "oidc_logout": "ends the provider session; covered by the oidc tests",
    "django.views.static.serve": "static files in DEBUG; the every-page test resolves static files itself",
}


def pages() -> list[Route]:
    """The HTML pages: what the every-page and browser tests visit."""
    return [route for route in ROUTES if route.kind == "page"]
