"""Objects for the pages that show one object (`benchmarks/pages.py`): for each such route, the
URL arguments of objects in a persona's municipality that the persona is likely to be allowed
to open, those nearest the persona first (in their units, above or below them; their own
rollouts, questions and pilots). `pages.py` opens them in turn and measures the first one the
persona gets (200): the same page kind on the demo and on the large municipality, each with an
object of its own data.

A new object page of tests/access_table.py that is missing here is not measured; `pages.py`
lists such pages at the end of its run, so they are noticed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Count, Q, QuerySet

from forankring.core.models import Membership, Person, Unit, ids_in_path, under_paths

# How many objects to try per page and persona before giving up on the page.
TRIES = 25

Kwargs = dict[str, object]


def _near_units(person: Person) -> tuple[set[int], Q]:
    """The ids of the units above the person's placements, and a filter for the units in or
    below them (a leader's teams)."""
    paths = list(Membership.objects.filter(person=person).values_list("unit__path", flat=True))
    above = {unit_id for path in paths for unit_id in ids_in_path(path)}
    return above, under_paths(paths)


def _near_first(person: Person, qs: QuerySet[Any], unit_field: str = "unit") -> list[Any]:
    above, below = _near_units(person)
    below_ids = Unit.objects.filter(below, municipality_id=person.municipality_id).values("pk")
    near = Q(**{f"{unit_field}__in": list(above)}) | Q(**{f"{unit_field}__in": below_ids})
    found = list(qs.filter(near).distinct().order_by("pk")[:TRIES])
    if len(found) < TRIES:
        seen = {obj.pk for obj in found}
        found += [obj for obj in qs.order_by("pk")[: TRIES * 2] if obj.pk not in seen][: TRIES - len(found)]
    return found


def _pks(objects: list[Any]) -> list[Kwargs]:
    """Each object once, in the order given (an object can be both the person's own and near)."""
    return [{"pk": pk} for pk in dict.fromkeys(obj.pk for obj in objects)]


def _pilots(person: Person, **filters: Any) -> list[Kwargs]:
    from forankring.pilots.models import Pilot

    qs = Pilot.objects.filter(municipality_id=person.municipality_id, **filters)
    led = list(qs.filter(leader=person).order_by("pk")[:3])
    return _pks(led + _near_first(person, qs, "units"))


def _rollouts(person: Person) -> list[Kwargs]:
    from forankring.pilots.models import Rollout

    qs = Rollout.objects.filter(municipality_id=person.municipality_id)
    owned = list(qs.filter(owner=person).order_by("pk")[:3])
    return _pks(owned + _near_first(person, qs))


def _model(path: str) -> Callable[[Person], list[Kwargs]]:
    """Any object of a model in the person's municipality, nearest first if it has a unit."""

    def pick(person: Person) -> list[Kwargs]:
        from django.apps import apps

        model = apps.get_model(path)
        qs = model.objects.filter(municipality_id=person.municipality_id)
        if any(f.name == "unit" for f in model._meta.get_fields()):
            return _pks(_near_first(person, qs))
        return _pks(list(qs.order_by("pk")[:TRIES]))

    return pick


def _teams(person: Person) -> list[Kwargs]:
    own = [m.unit_id for m in Membership.objects.filter(person=person).order_by("unit__path")]
    _above, below = _near_units(person)
    deepest = Unit.objects.filter(municipality_id=person.municipality_id).order_by("-depth").values("depth")[:1]
    teams = Unit.objects.filter(below, municipality_id=person.municipality_id, depth__in=deepest).order_by("path")
    return [{"pk": pk} for pk in dict.fromkeys([*own, *teams.values_list("pk", flat=True)[:TRIES]])]


def _questions(person: Person) -> list[Kwargs]:
    from forankring.practice.models import LighthouseQuestion

    qs = LighthouseQuestion.objects.filter(municipality_id=person.municipality_id)
    mine = qs.filter(Q(asker=person) | Q(lighthouse__person=person)).order_by("pk")[:TRIES]
    return _pks(list(mine) or list(qs.order_by("pk")[:TRIES]))


def _activities(person: Person) -> list[Kwargs]:
    from forankring.competence.models import Activity

    # The activity with the most records: its page has the most to show.
    qs = Activity.objects.filter(municipality_id=person.municipality_id).annotate(n=Count("records"))
    return _pks(list(qs.order_by("-n", "pk")[:TRIES]))


def _sessions(person: Person) -> list[Kwargs]:
    from forankring.competence.models import Session

    qs = Session.objects.filter(municipality_id=person.municipality_id).annotate(n=Count("signups"))
    return _pks(list(qs.order_by("-n", "pk")[:TRIES]))


def _rollout_weeks(person: Person) -> list[Kwargs]:
    return [{**kwargs, "week": 1} for kwargs in _rollouts(person)]


def _decision_areas(person: Person) -> list[Kwargs]:
    from forankring.direction.models import DecisionArea

    keys = DecisionArea.objects.filter(municipality_id=person.municipality_id).order_by("position", "pk")
    return [{"key": key} for key in keys.values_list("key", flat=True)[:TRIES]]


def _cards_to_publish(person: Person) -> list[Kwargs]:
    from forankring.pilots.models import LearningCard

    carded = set(LearningCard.objects.filter(municipality_id=person.municipality_id).values_list("pilot_id", flat=True))
    return [kwargs for kwargs in _pilots(person, status="closed") if kwargs["pk"] not in carded]


OBJECTS: dict[str, Callable[[Person], list[Kwargs]]] = {
    "competence:activity_complete": _activities,
    "competence:activity_detail": _activities,
    "competence:activity_edit": _activities,
    "competence:session_new": _activities,
    "competence:level_edit": _model("competence.Level"),
    "competence:prompt_detail": _model("competence.Prompt"),
    "competence:session_detail": _sessions,
    "competence:session_edit": _sessions,
    "direction:compass_detail": _model("direction.Compass"),
    "direction:compass_edit": _model("direction.Compass"),
    "direction:decision_edit": _decision_areas,
    "direction:tool_detail": _model("direction.Tool"),
    "direction:tool_edit": _model("direction.Tool"),
    "pilots:card": _model("pilots.LearningCard"),
    "pilots:card_edit": _model("pilots.LearningCard"),
    "pilots:card_publish": _cards_to_publish,
    "pilots:detail": lambda person: _pilots(person),
    "pilots:edit": lambda person: _pilots(person, status="idea"),
    "pilots:pulse": lambda person: _pilots(person, status="running"),
    "pilots:retro": lambda person: _pilots(person, status__in=["evaluating", "closed"]),
    "pilots:rollout": _rollouts,
    "pilots:rollout_close": _rollouts,
    "pilots:rollout_owner": _rollouts,
    "pilots:rollout_problem": _rollouts,
    "pilots:rollout_week": _rollout_weeks,
    "practice:anonymous_idea": _model("practice.AnonymousIdea"),
    "practice:idea": _model("practice.Idea"),
    "practice:lighthouse_ask": _model("practice.Lighthouse"),
    "practice:lighthouse_question": _questions,
    "practice:lighthouse_remove": _model("practice.Lighthouse"),
    "practice:team": _teams,
    "practice:team_kit": _teams,
    "practice:use_case": _model("practice.UseCase"),
    "practice:use_case_edit": _model("practice.UseCase"),
}
