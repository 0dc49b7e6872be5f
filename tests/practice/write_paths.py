"""Track 2's newer actions for tests/privacy/test_every_write_path.py: a driver per text
argument, each putting the CPR number into that argument alone. (The older ones are still in
that file.)"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.utils import timezone

from forankring.core.models import ProfessionalArea
from forankring.practice import actions
from forankring.practice.models import Lighthouse, LighthouseQuestion
from tests.factories import Personas

Driver = Callable[[Personas, str, Path], object]


def _lighthouse(p: Personas) -> Lighthouse:
    return Lighthouse.objects.create(
        municipality=p.municipality,
        person=p.lighthouse,
        unit=p.institution,
        area=ProfessionalArea.objects.get(municipality=p.municipality, name="Dagtilbud"),
        helps_with="Skriveassistenten",
        contact="Tirsdage",
    )


def _ask(p: Personas, cpr: str, tmp: Path) -> object:
    return actions.ask_lighthouse(actor=p.employee, lighthouse=_lighthouse(p), text=f"Spørgsmål om {cpr}")


def _answer(p: Personas, cpr: str, tmp: Path) -> object:
    question = LighthouseQuestion.objects.create(
        municipality=p.municipality,
        lighthouse=_lighthouse(p),
        asker=p.employee,
        text="Hvordan kommer vi i gang?",
        asked_at=timezone.now(),
    )
    return actions.answer_lighthouse_question(actor=p.lighthouse, question=question, answer=f"Svar om {cpr}")


DRIVERS: dict[str, dict[str, Driver]] = {
    "forankring.practice.actions.ask_lighthouse": {"text": _ask},
    "forankring.practice.actions.answer_lighthouse_question": {"answer": _answer},
}

NO_TEXT: dict[str, str] = {}
