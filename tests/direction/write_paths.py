"""Track 1's actions for tests/privacy/test_every_write_path.py: a driver per text argument,
each putting the CPR number into that argument alone."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path

from django.utils import timezone

from forankring.direction import actions
from forankring.direction.models import Compass
from forankring.privacy.models import Concern, DataClass, ToolTier
from tests.factories import Personas, make_compass, make_tool

Driver = Callable[[Personas, str, Path], object]


def _purpose(field: str) -> Driver:
    def drive(p: Personas, cpr: str, tmp: Path) -> object:
        values = {"why": "Mere tid.", "ambitions": "Færre fejl.", "governance": "Det er tydeligt.", "whom_to_ask": "IT"}
        values[field] = f"Se {cpr}"
        return actions.save_purpose(actor=p.executive, **values)

    return drive


def _focus_area(field: str) -> Driver:
    def drive(p: Personas, cpr: str, tmp: Path) -> object:
        values = {"name": "Dokumentation", "why": "Det frigør tid."}
        values[field] = f"Se {cpr}"
        return actions.add_focus_area(actor=p.executive, **values)

    return drive


def _draft(p: Personas) -> Compass:
    make_compass(p.municipality)
    return actions.start_draft(actor=p.executive)


def _principle(field: str) -> Driver:
    def drive(p: Personas, cpr: str, tmp: Path) -> object:
        values = {"headline": "Vi tjekker svaret", "explanation": "Altid."}
        values[field] = f"Se {cpr}"
        return actions.add_principle(actor=p.executive, compass=_draft(p), **values)

    return drive


def _rule(field: str) -> Driver:
    def drive(p: Personas, cpr: str, tmp: Path) -> object:
        values = {"text": "Læs svaret igennem", "example": "Et referat."}
        values[field] = f"Se {cpr}"
        return actions.add_rule(actor=p.executive, compass=_draft(p), kind="do", **values)

    return drive


def _comment(p: Personas, cpr: str, tmp: Path) -> object:
    compass = _draft(p)
    actions.send_to_hearing(actor=p.executive, compass=compass, deadline=timezone.localdate() + datetime.timedelta(7))
    return actions.comment_in_hearing(actor=p.med, compass=compass, text=f"Se {cpr}")


def _tool(field: str) -> Driver:
    def drive(p: Personas, cpr: str, tmp: Path) -> object:
        make_tool(p.municipality, name="Eksisterende")  # seeds the data classes and tiers
        values: dict[str, object] = {
            "name": "Skriveassistent",
            "vendor": "Leverandør A/S",
            "purpose": "Udkast til tekster",
            "status": "approved",
            "dpa_status": "done",
            "dpa_reference": "Sag 1",
            "dpia_status": "done",
            "dpia_reference": "Sag 2",
            "technical_owner": "IT-drift",
            "professional_owner": "Fagligt ejer",
            "licences": 100,
            "yearly_cost": 1000,
            "training": "Grundkursus",
        }
        values[field] = f"Se {cpr}"
        tier = ToolTier.objects.get(municipality=p.municipality, key="enterprise")
        classes = list(DataClass.objects.filter(municipality=p.municipality, key="public"))
        return actions.save_tool(actor=p.it, tool=None, tier=tier, data_classes=classes, values=values)

    return drive


def _data_rules(p: Personas, cpr: str, tmp: Path) -> object:
    make_tool(p.municipality, name="Eksisterende")
    data_class = DataClass.objects.get(municipality=p.municipality, key="public")
    tier = ToolTier.objects.get(municipality=p.municipality, key="consumer")
    cells = {(data_class.pk, tier.pk): ("only_if", f"Kun uden {cpr}", f"Only without {cpr}")}
    return actions.save_data_rules(actor=p.executive, cells=cells, note=f"Sag {cpr}")


def _data_rules_note(p: Personas, cpr: str, tmp: Path) -> object:
    make_tool(p.municipality, name="Eksisterende")
    return actions.save_data_rules(actor=p.executive, cells={}, note=f"Sag {cpr}")


def _decision_area(p: Personas, cpr: str, tmp: Path) -> object:
    return actions.save_decision_area(
        actor=p.executive, key=None, name=f"Se {cpr}", scope="common", parts={"executive": "decides"}
    )


def _data_names(column: int) -> Driver:
    def drive(p: Personas, cpr: str, tmp: Path) -> object:
        make_tool(p.municipality, name="Eksisterende")
        data_class = DataClass.objects.get(municipality=p.municipality, key="internal")
        texts = [data_class.name, data_class.description, data_class.name_en, data_class.description_en]
        texts[column] = f"Se {cpr}"
        name, description, name_en, description_en = texts
        actions.save_data_names(
            actor=p.executive, texts={("class", data_class.pk): (name, description, name_en, description_en)}
        )
        return None

    return drive


def _answer(p: Personas, cpr: str, tmp: Path) -> object:
    concern = Concern.objects.create(municipality=p.municipality, kind="oenske", unit=p.centre, text="Mere tid.")
    return actions.answer_concern(actor=p.med, concern=concern, status="answered", answer=f"Se {cpr}")


DRIVERS: dict[str, dict[str, Driver]] = {
    "forankring.direction.actions.save_purpose": {
        f: _purpose(f) for f in ("why", "ambitions", "governance", "whom_to_ask")
    },
    "forankring.direction.actions.add_focus_area": {f: _focus_area(f) for f in ("name", "why")},
    "forankring.direction.actions.add_principle": {f: _principle(f) for f in ("headline", "explanation")},
    "forankring.direction.actions.add_rule": {f: _rule(f) for f in ("text", "example")},
    "forankring.direction.actions.comment_in_hearing": {"text": _comment},
    "forankring.direction.actions.save_ethics": {
        "ethics": lambda p, cpr, tmp: actions.save_ethics(actor=p.executive, compass=_draft(p), ethics=f"Se {cpr}")
    },
    "forankring.direction.actions.save_tool": {
        f: _tool(f)
        for f in (
            "name",
            "vendor",
            "purpose",
            "dpa_reference",
            "dpia_reference",
            "technical_owner",
            "professional_owner",
            "training",
        )
    },
    "forankring.direction.actions.save_data_rules": {"cells": _data_rules, "note": _data_rules_note},
    "forankring.direction.actions.save_decision_area": {"name": _decision_area},
    "forankring.direction.actions.save_data_names": {f"texts[{i}]": _data_names(i) for i in range(4)},
    "forankring.direction.actions.answer_concern": {"answer": _answer},
}

NO_TEXT: dict[str, str] = {
    "forankring.direction.actions.remove_focus_area": "a focus area",
    "forankring.direction.actions.start_draft": "only the actor",
    "forankring.direction.actions.remove_principle": "a principle",
    "forankring.direction.actions.remove_rule": "a rule",
    "forankring.direction.actions.principle_count_error": "a number; it stores nothing",
    "forankring.direction.actions.send_to_hearing": "a compass and a date",
    "forankring.direction.actions.approve": "a compass",
    "forankring.direction.actions.publish": "a compass",
    "forankring.direction.actions.reopen": "a compass",
    "forankring.direction.actions.acknowledge": "a compass",
    "forankring.direction.actions.snapshot": "a municipality id; it stores nothing",
}
