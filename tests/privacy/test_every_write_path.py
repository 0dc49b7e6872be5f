"""A CPR number given to any action or management command, in any text argument, ends up in no
table: every column of every table is searched with raw SQL afterwards.

Generic on purpose, so a later app is covered without anyone remembering:

* every public function of every ``forankring.*.actions`` module, and every management command
  of the project, must have an entry in DRIVERS (a driver per text argument) or in NO_TEXT (why
  it takes none). A new action or command without one fails `test_it_drives_every_action_and_command`.
  An app's own actions get their drivers in ``tests/<app>/write_paths*.py`` (see `_add_app_drivers`).
* the search introspects the database, so a new table is searched the day it exists.

A driver may be refused (that is the point) or accepted; either way the number must be nowhere.
"""

from __future__ import annotations

import importlib
import inspect
import io
import json
import pkgutil
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command, get_commands, load_command_class
from django.db import connection, transaction
from django.utils import timezone

import forankring
from forankring.competence import actions as competence_actions
from forankring.competence.defaults import ensure_default_levels
from forankring.competence.models import Level, Session
from forankring.core import actions as core_actions
from forankring.core import oidc
from forankring.core.management.base import ForankringCommand
from forankring.core.models import AuditEvent, Membership, Person
from forankring.core.orgfile import OrgRow
from forankring.privacy import actions as privacy_actions
from forankring.privacy.data_classes import ensure_default_data_classes
from forankring.privacy.models import Concern, ToolTier
from tests.factories import Personas, make_activity, make_session

CPR = "150372-1240"
# The number as it may be written, and masked: DDMMYY-XXXX still holds a birth date.
NEEDLES = ("150372-1240", "1503721240", "150372 1240", "150372/1240", "150372-XXXX")

Driver = Callable[[Personas, str, Path], object]


# --- the search ------------------------------------------------------------------------------


def columns_holding(needles: tuple[str, ...] = NEEDLES) -> list[str]:
    """'table.column' of every column, in every table of the database, whose value holds a needle."""
    found = []
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            for column in connection.introspection.get_table_description(cursor, table):
                condition = " OR ".join(f"CAST({quote(column.name)} AS TEXT) LIKE %s" for _ in needles)
                cursor.execute(
                    f"SELECT COUNT(*) FROM {quote(table)} WHERE {condition}",  # noqa: S608 - names from introspection
                    [f"%{needle}%" for needle in needles],
                )
                if cursor.fetchone()[0]:
                    found.append(f"{table}.{column.name}")
    return found


# --- drivers ---------------------------------------------------------------------------------


def _org_row(**overrides: Any) -> OrgRow:
    values: dict[str, Any] = {
        "line": 2,
        "employee_id": "E1",
        "name": "Nina Ny",
        "email": "nina@kommune.test",
        "unit_path": ("Direktionen", "Center for Dagtilbud"),
        "job_title": "Pædagog",
        "professional_area": "Dagtilbud",
        "is_leader": False,
    }
    values.update(overrides)
    return OrgRow(**values)


def _import_rows(p: Personas, row: OrgRow, source_name: str = "ansatte.csv") -> object:
    # The administrator stays in the file, so the import is not refused for other reasons.
    admin = p.admin
    admin.employee_id = "A1"
    admin.save(update_fields=["employee_id"])
    keep = _org_row(employee_id="A1", name=admin.name, email="", unit_path=("Direktionen",))
    return core_actions.import_organisation(actor=p.admin, rows=[keep, row], source_name=source_name)


def _create_municipality(**overrides: str) -> Driver:
    def drive(p: Personas, cpr: str, tmp: Path) -> object:
        kwargs = {
            "name": "Prøvekommune",
            "slug": "proeve",
            "root_unit_name": "Direktionen",
            "admin_name": "Alma Admin",
            "admin_username": "alma",
            "admin_email": "alma@proeve.test",
        }
        kwargs.update({key: value.replace("CPR", cpr) for key, value in overrides.items()})
        return core_actions.create_municipality(**kwargs)

    return drive


def _create_municipality_command(*extra: str, name: str = "Prøvekommune", slug: str = "proeve") -> Driver:
    def drive(p: Personas, cpr: str, tmp: Path) -> object:
        args = [a.replace("CPR", cpr) for a in (name, slug, "--admin-name=Alma", "--admin-username=alma", *extra)]
        return call_command("create_municipality", *args, stdout=io.StringIO(), stderr=io.StringIO())

    return drive


def _org_file(tmp: Path, *, cell: int | None, cpr: str, name: str = "ansatte.csv") -> Path:
    header = ["medarbejdernummer", "navn", "email", "enhed", "stilling", "fagområde", "leder"]
    admin = ["A1", "Anders Admin", "", "Direktionen", "", "", "nej"]
    line = ["E1", "Nina Ny", "nina@kommune.test", "Direktionen / Center for Dagtilbud", "Pædagog", "Dagtilbud", "nej"]
    if cell is not None:
        line[cell] = f"{line[cell]} {cpr}" if cell != 2 else f"{cpr}@kommune.test"
    path = tmp / name.replace("CPR", cpr)
    path.write_text("\n".join(";".join(r) for r in (header, admin, line)) + "\n", encoding="utf-8-sig")
    return path


def _import_command(*, cell: int | None = None, name: str = "ansatte.csv", actor: str = "") -> Driver:
    def drive(p: Personas, cpr: str, tmp: Path) -> object:
        p.admin.employee_id = "A1"
        p.admin.save(update_fields=["employee_id"])
        path = _org_file(tmp, cell=cell, cpr=cpr, name=name)
        extra = [f"--actor-employee-id={actor.replace('CPR', cpr)}"] if actor else []
        return call_command(
            "import_organisation", p.municipality.slug, str(path), *extra, stdout=io.StringIO(), stderr=io.StringIO()
        )

    return drive


def _sign_in(claim: str) -> Driver:
    def drive(p: Personas, cpr: str, tmp: Path) -> object:
        person = Person.objects.create(municipality=p.municipality, name="Nina Ny", employee_id="N1")
        Membership.objects.create(municipality=p.municipality, person=person, unit=p.team)
        claims: dict[str, object] = {"sub": "sub-nina", "employee_id": "N1", "roles": ["Forankring.Medarbejder"]}
        claims[claim] = f"{claims.get(claim, '')} {cpr}".strip() if claim != "roles" else [cpr]
        return oidc.sign_in_with_claims(claims)

    return drive


def _redact_command(*, reason: str = "Sag 1", slug: str = "", seq: str = "") -> Driver:
    def drive(p: Personas, cpr: str, tmp: Path) -> object:
        with transaction.atomic():
            event = core_actions.audit.record(
                municipality=p.municipality, actor=p.admin, action="test.event", changes={"n": 1}
            )
        return call_command(
            "redact_audit_event",
            slug.replace("CPR", cpr) or p.municipality.slug,
            seq or str(event.seq),
            f"--reason={reason.replace('CPR', cpr)}",
            stdout=io.StringIO(),
        )

    return drive


def _sso_sign_in(**overrides: str) -> Driver:
    def drive(p: Personas, cpr: str, tmp: Path) -> object:
        kwargs = {"subject": "sub-x", "matched_by": "employee_id", "username": "oidc:x"}
        kwargs.update({key: value.replace("CPR", cpr) for key, value in overrides.items()})
        return core_actions.sync_sso_sign_in(person=p.employee, grants=[], **kwargs)

    return drive


def _competence_level(**overrides: str) -> Driver:
    def drive(p: Personas, cpr: str, tmp: Path) -> object:
        kwargs = {"name": "Specialister", "goals": "Kan vejlede andre", "name_en": "", "goals_en": ""}
        kwargs.update({key: value.replace("CPR", cpr) for key, value in overrides.items()})
        return competence_actions.save_level(actor=p.admin, level=None, **kwargs)

    return drive


def _competence_activity(**overrides: str) -> Driver:
    def drive(p: Personas, cpr: str, tmp: Path) -> object:
        ensure_default_levels(p.municipality)
        kwargs: dict[str, Any] = {
            "title": "Grundkursus",
            "level": Level.objects.get(municipality=p.municipality, key="everyone"),
            "form": "workshop",
            "description": "Om AI",
            "tasks": "Referat",
            "duration_minutes": 60,
            "version": "1",
            "materials_url": "",
        }
        kwargs.update({key: value.replace("CPR", cpr) for key, value in overrides.items()})
        return competence_actions.save_activity(actor=p.admin, activity=None, **kwargs)

    return drive


def _competence_session(p: Personas, *, days: int = 3) -> Session:
    return make_session(make_activity(p.municipality), days=days, host=p.facilitator)


def _competence_attendance(p: Personas, cpr: str, tmp: Path) -> object:
    session = _competence_session(p)
    competence_actions.sign_up(actor=p.employee, session=session)
    Session.objects.filter(pk=session.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    session.refresh_from_db()
    return competence_actions.register_attendance(
        actor=p.facilitator, session=session, person_ids=[p.employee.pk], evidence=f"Liste {cpr}"
    )


def _competence_prompt(**overrides: str) -> Driver:
    def drive(p: Personas, cpr: str, tmp: Path) -> object:
        ensure_default_data_classes(p.municipality)
        kwargs: dict[str, Any] = {"title": "Referat", "text": "Lav et referat af [noter]", "task": "Referat"}
        kwargs.update({key: value.replace("CPR", cpr) for key, value in overrides.items()})
        return competence_actions.propose_prompt(
            actor=p.employee,
            area=None,
            tier=ToolTier.objects.get(municipality=p.municipality, key="enterprise"),
            anonymise_first=True,
            **kwargs,
        )

    return drive


# "module.function" or "command:name" -> {text argument: driver}
def _per_field(build: Callable[..., object], names: tuple[str, ...]) -> dict[str, Driver]:
    """One driver per text argument of `build`, each putting the number into that argument."""

    def driver(name: str) -> Driver:
        return lambda p, cpr, tmp: build(p, **{name: f"Tekst {cpr}"})

    return {name: driver(name) for name in names}


def _practice_area(p: Personas) -> Any:
    from forankring.core.models import ProfessionalArea

    return ProfessionalArea.objects.get(municipality=p.municipality, name="Dagtilbud")


def _centre_focus(p: Personas, **overrides: str) -> object:
    from forankring.practice import actions as practice_actions
    from tests.factories import make_focus_area

    args = {"name": "Ugeplaner", "why": "Tid", "success": "Mere tid"} | overrides
    return practice_actions.add_centre_focus_area(
        actor=p.centre_chief, unit=p.centre, strategic=make_focus_area(p.municipality), **args
    )


def _use_case(p: Personas, **overrides: str) -> object:
    from forankring.practice import actions as practice_actions

    args: dict[str, Any] = {
        "title": "Skrive planer",
        "today": "I dag",
        "ai_help": "Udkast",
        "human_decides": "Pædagogen",
    }
    args |= overrides
    return practice_actions.save_use_case(
        actor=p.team_leader,
        area=_practice_area(p),
        unit=p.team,
        value_types=["time"],
        data_classes=[],
        tools=[],
        **args,
    )


def _idea(p: Personas, *, anonymous: bool = False, **overrides: str) -> object:
    from forankring.practice import actions as practice_actions

    args: dict[str, Any] = {"title": "Ugeplaner", "description": "Tager tid"} | overrides
    return practice_actions.point_to_workflow(
        actor=p.employee, unit=p.root if anonymous else p.team, anonymous=anonymous, **args
    )


def _answer(p: Personas, cpr: str) -> object:
    from forankring.practice import actions as practice_actions
    from tests.factories import make_idea

    idea = make_idea(p.employee, p.team)
    return practice_actions.answer_idea(actor=p.team_leader, idea=idea, status="accepted", answer=f"Svar {cpr}")


def _lighthouse(p: Personas, **overrides: str) -> object:
    from forankring.practice import actions as practice_actions

    args = {"helps_with": "Skriveassistenten", "contact": "Tirsdage"} | overrides
    return practice_actions.appoint_lighthouse(
        actor=p.team_leader, person=p.employee, unit=p.team, area=_practice_area(p), **args
    )


def _team_note(p: Personas, **overrides: str) -> object:
    import datetime

    from django.utils import timezone

    from forankring.practice import actions as practice_actions

    args = {"how_it_goes": "Godt", "gains": "", "barriers": "", "adjustments": ""} | overrides
    return practice_actions.write_team_note(
        actor=p.team_leader, unit=p.team, held_on=timezone.localdate() - datetime.timedelta(days=1), **args
    )


def _status(p: Personas, cpr: str) -> object:
    from forankring.practice import actions as practice_actions
    from tests.factories import make_use_case

    use_case = make_use_case(p.municipality, unit=p.team)
    return practice_actions.change_status(actor=p.team_leader, use_case=use_case, to_status="assessed", note=cpr)


def _notify(p: Personas, cpr: str) -> object:
    from forankring.notifications import actions as notification_actions

    return notification_actions.notify(recipients=[p.employee], kind="idea.new", subject=f"Borger {cpr}", url="/")


def _generate_command(**overrides: str) -> Driver:
    def drive(p: Personas, cpr: str, tmp: Path) -> object:
        options: dict[str, Any] = {"name": "Prøveby Kommune", "slug": "proeveby", "people": 30, "units": 6, "levels": 3}
        options.update({key: value.replace("CPR", cpr) for key, value in overrides.items()})
        return call_command("generate_municipality", stdout=io.StringIO(), stderr=io.StringIO(), **options)

    return drive


DRIVERS: dict[str, dict[str, Driver]] = {
    "forankring.core.actions.create_municipality": {
        "name": _create_municipality(name="Kommune CPR"),
        "slug": _create_municipality(slug="CPR"),
        "root_unit_name": _create_municipality(root_unit_name="Direktion CPR"),
        "admin_name": _create_municipality(admin_name="Jens CPR"),
        "admin_username": _create_municipality(admin_username="CPR"),
        "admin_email": _create_municipality(admin_email="CPR@proeve.test"),
    },
    "forankring.core.actions.update_municipality_settings": {
        "level_names": lambda p, cpr, tmp: core_actions.update_municipality_settings(
            actor=p.admin, level_names=["Direktion", f"Center {cpr}"], accessibility_statement_url="", k_min=5
        ),
        "accessibility_statement_url": lambda p, cpr, tmp: core_actions.update_municipality_settings(
            actor=p.admin, level_names=["Direktion"], accessibility_statement_url=f"https://was.example/{cpr}", k_min=5
        ),
    },
    "forankring.core.actions.sync_sso_sign_in": {
        "subject": _sso_sign_in(subject="CPR"),
        "matched_by": _sso_sign_in(matched_by="CPR"),
        "username": _sso_sign_in(username="oidc:x:CPR"),
    },
    "forankring.core.actions.import_organisation": {
        "rows.employee_id": lambda p, cpr, tmp: _import_rows(p, _org_row(employee_id=cpr)),
        "rows.name": lambda p, cpr, tmp: _import_rows(p, _org_row(name=f"Nina {cpr}")),
        "rows.email": lambda p, cpr, tmp: _import_rows(p, _org_row(email=f"{cpr}@kommune.test")),
        "rows.unit_path": lambda p, cpr, tmp: _import_rows(p, _org_row(unit_path=("Direktionen", f"Center {cpr}"))),
        "rows.job_title": lambda p, cpr, tmp: _import_rows(p, _org_row(job_title=f"Pædagog {cpr}")),
        "rows.professional_area": lambda p, cpr, tmp: _import_rows(p, _org_row(professional_area=f"Område {cpr}")),
        "source_name": lambda p, cpr, tmp: _import_rows(p, _org_row(), source_name=f"ansatte {cpr}.csv"),
    },
    "forankring.privacy.actions.submit_concern": {
        "text": lambda p, cpr, tmp: privacy_actions.submit_concern(
            actor=p.employee, unit=p.root, kind=Concern.Kind.CONCERN, text=f"Borgeren {cpr} blev nævnt"
        ),
    },
    "forankring.core.oidc.sign_in_with_claims": {
        "sub": _sign_in("sub"),
        "employee_id": _sign_in("employee_id"),
        "email": _sign_in("email"),
        "roles": _sign_in("roles"),
    },
    "forankring.competence.actions.save_level": {
        "name": _competence_level(name="Niveau CPR"),
        "goals": _competence_level(goals="Borger CPR"),
        "name_en": _competence_level(name_en="Level CPR"),
        "goals_en": _competence_level(goals_en="Citizen CPR"),
    },
    "forankring.competence.actions.save_activity": {
        "title": _competence_activity(title="Kursus CPR"),
        "description": _competence_activity(description="Borgeren CPR"),
        "tasks": _competence_activity(tasks="Sag CPR"),
        "version": _competence_activity(version="CPR"),
        "materials_url": _competence_activity(materials_url="https://laering.example/CPR"),
    },
    "forankring.competence.actions.add_session": {
        "place": lambda p, cpr, tmp: competence_actions.add_session(
            actor=p.admin,
            activity=make_activity(p.municipality),
            starts_at=timezone.now() + timedelta(days=1),
            ends_at=timezone.now() + timedelta(days=1, hours=2),
            place=f"Lokale {cpr}",
            capacity=10,
            host=None,
        ),
    },
    "forankring.competence.actions.complete": {
        "evidence": lambda p, cpr, tmp: competence_actions.complete(
            actor=p.employee,
            activity=make_activity(p.municipality),
            completed_on=timezone.localdate(),
            evidence=f"Bevis {cpr}",
            confirmed=True,
        ),
    },
    "forankring.competence.actions.register_attendance": {"evidence": _competence_attendance},
    "forankring.competence.actions.add_path_step": {
        "note": lambda p, cpr, tmp: competence_actions.add_path_step(
            actor=p.admin, role="employee", activity=make_activity(p.municipality), note=f"Fordi {cpr}"
        ),
    },
    "forankring.competence.actions.propose_prompt": {
        "title": _competence_prompt(title="Prompt CPR"),
        "text": _competence_prompt(text="Skriv til CPR"),
        "task": _competence_prompt(task="Opgave CPR"),
    },
    "command:create_municipality": {
        "name": _create_municipality_command(name="Kommune CPR"),
        "slug": _create_municipality_command(slug="CPR"),
        "--root-unit": _create_municipality_command("--root-unit=Direktion CPR"),
        "--admin-name": _create_municipality_command("--admin-name=Jens CPR"),
        "--admin-username": _create_municipality_command("--admin-username=CPR"),
        "--admin-email": _create_municipality_command("--admin-email=CPR@proeve.test"),
    },
    "command:import_organisation": {
        **{f"file column {column}": _import_command(cell=column) for column in range(6)},
        "file name": _import_command(name="ansatte CPR.csv"),
        "municipality": lambda p, cpr, tmp: call_command(
            "import_organisation", cpr, str(_org_file(tmp, cell=None, cpr=cpr)), stdout=io.StringIO()
        ),
        "--actor-employee-id": _import_command(actor="CPR"),
    },
    "command:export_organisation": {
        "municipality": lambda p, cpr, tmp: call_command("export_organisation", cpr, str(tmp / "x.csv")),
        "file": lambda p, cpr, tmp: call_command(
            "export_organisation", p.municipality.slug, str(tmp / f"{cpr}.csv"), stdout=io.StringIO()
        ),
    },
    "forankring.notifications.actions.notify": {"subject": lambda p, cpr, tmp: _notify(p, cpr)},
    "forankring.practice.actions.add_centre_focus_area": _per_field(_centre_focus, ("name", "why", "success")),
    "forankring.practice.actions.save_use_case": _per_field(_use_case, ("title", "today", "ai_help", "human_decides")),
    "forankring.practice.actions.change_status": {"note": lambda p, cpr, tmp: _status(p, cpr)},
    "forankring.practice.actions.point_to_workflow": {
        **_per_field(_idea, ("title", "description")),
        "anonymous description": lambda p, cpr, tmp: _idea(p, anonymous=True, description=f"Tekst {cpr}"),
    },
    "forankring.practice.actions.answer_idea": {"answer": lambda p, cpr, tmp: _answer(p, cpr)},
    "forankring.practice.actions.appoint_lighthouse": _per_field(_lighthouse, ("helps_with", "contact")),
    "forankring.practice.actions.write_team_note": _per_field(
        _team_note, ("how_it_goes", "gains", "barriers", "adjustments")
    ),
    "command:verify_audit": {
        "--municipality": lambda p, cpr, tmp: call_command("verify_audit", f"--municipality={cpr}"),
    },
    "command:generate_municipality": {
        "--name": _generate_command(name="Prøveby CPR"),
        "--slug": _generate_command(slug="proeveby-CPR"),
    },
    "command:redact_audit_event": {
        "--reason": _redact_command(reason="Borger CPR"),
        "municipality": _redact_command(slug="CPR"),
    },
}

# What takes no text that could be stored, and why.
NO_TEXT: dict[str, str] = {
    "forankring.core.actions.grant_role": "a person, a role from a fixed list and a unit",
    "forankring.core.actions.revoke_role": "a role assignment",
    "forankring.core.actions.verify_audit_chain": "no argument but the actor",
    "forankring.core.actions.drop_sso_roles": "a person",
    "command:backup_database": "a file path; copies the database as it is and writes no row",
    "command:restore_database": "a file path; puts back a copy that was screened when it was written",
    "command:load_demo": "only --seed (a number) and --if-empty; the demo's own text is fixed",
    "forankring.competence.actions.save_settings": "a yes or no",
    "forankring.competence.actions.sign_up": "a session (and the time)",
    "forankring.competence.actions.cancel": "a session",
    "forankring.competence.actions.remove_path_step": "a step",
    "forankring.competence.actions.decide_prompt": "a prompt and a yes or no",
    "forankring.competence.actions.toggle_useful": "a prompt; stores an HMAC and a count only",
    "command:send_digests": "only which digest to send; the mails hold stored, screened text",
    "forankring.notifications.actions.send_digest": "a frequency from a fixed list and a time",
    "forankring.notifications.actions.digest_is_due": "reads only",
    "forankring.notifications.actions.set_preference": "a frequency from a fixed list",
    "forankring.notifications.actions.mark_read": "a notification",
    "forankring.practice.actions.remove_centre_focus_area": "a focus area",
    "forankring.practice.actions.value_rows": "value types from a fixed list",
    "forankring.practice.actions.join_use_case": "a use case and a unit",
    "forankring.practice.actions.follow_use_case": "a use case",
    "forankring.practice.actions.follow_idea": "an idea",
    "forankring.practice.actions.remove_lighthouse": "a lighthouse; the askers' notices carry their stored question",
    "forankring.practice.actions.may_end_lighthouse": "reads only",
}


def _add_app_drivers() -> None:
    """A track keeps its drivers beside its own tests, in ``tests/<app>/write_paths.py`` (a
    ``DRIVERS`` and a ``NO_TEXT`` dict shaped like the ones above), so adding one touches no other
    app's file."""
    tests_root = Path(__file__).resolve().parent.parent
    for module_info in pkgutil.iter_modules([str(tests_root)]):
        if not module_info.ispkg:
            continue
        # A large app splits them by part: write_paths.py, write_paths_retro.py, ...
        for path in sorted((tests_root / module_info.name).glob("write_paths*.py")):
            module = importlib.import_module(f"tests.{module_info.name}.{path.stem}")
            DRIVERS.update(module.DRIVERS)
            NO_TEXT.update(module.NO_TEXT)


_add_app_drivers()


def _project_actions() -> list[str]:
    """Every public function of every forankring.*.actions module, plus the sign-in entry."""
    found = ["forankring.core.oidc.sign_in_with_claims"]
    for module_info in pkgutil.walk_packages(forankring.__path__, prefix="forankring."):
        # actions.py, or one actions_<part>.py per part of a large app (track 4).
        if not module_info.name.rsplit(".", 1)[-1].startswith("actions"):
            continue
        module = importlib.import_module(module_info.name)
        found += [
            f"{module.__name__}.{name}"
            for name, function in inspect.getmembers(module, inspect.isfunction)
            if not name.startswith("_") and function.__module__ == module.__name__
        ]
    return sorted(found)


def _project_commands() -> dict[str, str]:
    return {name: app for name, app in get_commands().items() if app.startswith("forankring")}


CASES = [(target, argument) for target, drivers in DRIVERS.items() for argument in drivers]


# --- the tests -------------------------------------------------------------------------------


def test_it_drives_every_action_and_command():
    known = set(DRIVERS) | set(NO_TEXT)
    wanted = set(_project_actions()) | {f"command:{name}" for name in _project_commands()}
    assert sorted(wanted - known) == [], "Add a driver per text argument to DRIVERS, or a reason to NO_TEXT."
    assert sorted(known - wanted) == [], "An entry names an action or command that no longer exists."


def test_every_command_turns_a_validation_error_into_a_clear_error():
    for name, app in _project_commands().items():
        assert isinstance(load_command_class(app, name), ForankringCommand), name


@pytest.mark.parametrize(("target", "argument"), CASES, ids=[f"{t}:{a}" for t, a in CASES])
def test_it_stores_a_cpr_number_given_to_any_action_or_command_nowhere(personas, settings, tmp_path, target, argument):
    settings.OIDC_MUNICIPALITY_SLUG = personas.municipality.slug
    settings.OIDC_CLAIM_MAPPING = json.dumps(
        {"claim": "roles", "rules": [{"value": "Forankring.Medarbejder", "role": "employee", "unit": "membership"}]}
    )
    settings.OIDC_CLAIM_MAPPING_FILE = ""
    settings.OIDC_EMPLOYEE_ID_CLAIM = "employee_id"
    assert columns_holding() == []
    try:
        # A savepoint: a refusal raised mid-write leaves the test's transaction usable.
        with transaction.atomic():
            DRIVERS[target][argument](personas, CPR, tmp_path)
    except (Exception, SystemExit):  # noqa: S110 - a refusal is fine; what was stored decides
        # (A message may echo the operator's own argument back to their terminal; it is not stored.)
        pass
    assert columns_holding() == [], f"{target}({argument}=…{CPR}…) stored the number"


# Drivers whose target stores nothing a person typed even when all is well (they read, or refuse
# by design), so the harmless-marker check below cannot apply to them.
STORES_NOTHING_WHEN_HARMLESS: dict[tuple[str, str], str] = {
    (
        "forankring.core.actions.update_municipality_settings",
        "level_names",
    ): "level names are checked against a fixed shape",
    ("forankring.core.actions.sync_sso_sign_in", "matched_by"): "says how the person was matched; only logged",
    ("forankring.core.actions.sync_sso_sign_in", "username"): "matches an existing account; never written",
    ("forankring.core.actions.import_organisation", "source_name"): "the file name is only logged",
    ("forankring.core.oidc.sign_in_with_claims", "employee_id"): "looks up a person; unknown ones are refused",
    ("forankring.core.oidc.sign_in_with_claims", "email"): "the e-mail claim is not stored for a known person",
    ("forankring.core.oidc.sign_in_with_claims", "roles"): "role claims map to fixed roles or are ignored",
    ("command:import_organisation", "file column 0"): "an employee number that must be in the file's own format",
    ("command:import_organisation", "file name"): "the file name is only logged",
    ("command:import_organisation", "municipality"): "must name an existing municipality",
    ("command:import_organisation", "--actor-employee-id"): "must name an existing person",
    ("command:export_organisation", "municipality"): "reads only",
    ("command:export_organisation", "file"): "reads only; writes a file outside the database",
    ("command:verify_audit", "--municipality"): "reads only",
    ("command:redact_audit_event", "municipality"): "must name an existing municipality",
    ("command:generate_municipality", "--slug"): "a short name of letters, digits and dashes",
}
MARKER = "Qzxmarkør"


@pytest.mark.parametrize(("target", "argument"), CASES, ids=[f"{t}:{a}" for t, a in CASES])
def test_every_driver_reaches_the_write(personas, settings, tmp_path, target, argument):
    """Guards the drivers: given harmless text instead of the number, a driver must get its text
    stored somewhere. A driver refused for another reason (a wrong choice, a missing permission)
    would otherwise make the test above pass without ever trying the screen."""
    if (target, argument) in STORES_NOTHING_WHEN_HARMLESS:
        pytest.skip(STORES_NOTHING_WHEN_HARMLESS[(target, argument)])
    settings.OIDC_MUNICIPALITY_SLUG = personas.municipality.slug
    settings.OIDC_CLAIM_MAPPING = json.dumps(
        {"claim": "roles", "rules": [{"value": "Forankring.Medarbejder", "role": "employee", "unit": "membership"}]}
    )
    settings.OIDC_CLAIM_MAPPING_FILE = ""
    settings.OIDC_EMPLOYEE_ID_CLAIM = "employee_id"
    with transaction.atomic():
        DRIVERS[target][argument](personas, MARKER, tmp_path)
    assert columns_holding((MARKER,)) != [], (
        f"{target}({argument}=…) stored nothing: the driver never reached the write"
    )


def test_it_finds_a_number_that_did_get_stored(personas):
    # Guards the guard: the search must see text, JSON and every table.
    assert columns_holding() == []
    with transaction.atomic():
        core_actions.audit.record(municipality=personas.municipality, actor=None, action="test.event")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_person SET name = %s WHERE id = %s", [f"Jens {CPR}", personas.employee.pk])
    assert columns_holding() == ["core_person.name"]
    assert AuditEvent.objects.exists()
