"""The three competence levels a municipality starts with; it may rename, reword or add to them."""

from __future__ import annotations

from django.db import transaction

from forankring.core.models import Municipality

from .models import Level

# (key, name, learning goals one per line, the same two in English). Stored as the municipality's
# own text, which it may change.
DEFAULT_LEVELS: tuple[tuple[str, str, str, str, str], ...] = (
    (
        "everyone",
        "Alle medarbejdere",
        "Ved, hvad generativ AI er, og hvorfor den kan tage fejl\n"
        "Kender kommunens AI-kompas og ved, hvilke værktøjer der er godkendt\n"
        "Ved, hvilke oplysninger der aldrig må skrives ind i et AI-værktøj\n"
        "Tjekker altid et svar, før det bruges",
        "All staff",
        "Knows what generative AI is, and why it can be wrong\n"
        "Knows the municipality's AI compass and which tools are approved\n"
        "Knows which information must never be typed into an AI tool\n"
        "Always checks an answer before using it",
    ),
    (
        "key_persons",
        "Faglige nøglepersoner",
        "Kan vise kolleger, hvordan AI bruges i fagets egne opgaver\n"
        "Kan skrive og dele gode prompts med pladsholdere i stedet for persondata\n"
        "Kan hjælpe med at vurdere, om en opgave egner sig til AI\n"
        "Samler erfaringer og giver dem videre",
        "Professional key persons",
        "Can show colleagues how AI is used in the profession's own tasks\n"
        "Can write and share good prompts with placeholders instead of personal data\n"
        "Can help judge whether a task suits AI\n"
        "Gathers experience and passes it on",
    ),
    (
        "leaders",
        "Ledere",
        "Kan sætte retning for brugen af AI i egen enhed\n"
        "Kender ansvaret for at medarbejderne har de nødvendige AI-færdigheder\n"
        "Skaber tryghed, så fejl og tvivl kan deles\n"
        "Kan tage beslutninger om afprøvninger og følge op på dem",
        "Leaders",
        "Can set the direction for AI use in their own unit\n"
        "Knows the responsibility for staff having the AI literacy they need\n"
        "Creates a climate where mistakes and doubts can be shared\n"
        "Can decide on trials and follow up on them",
    ),
)


def ensure_default_levels(municipality: Municipality) -> None:
    """Give a municipality without any level the three defaults. Not audited on its own, like
    the default data classes: it is part of the municipality's start, not anyone's change.
    Safe to call twice at once (the unique key makes the second a no-op)."""
    if Level.objects.filter(municipality=municipality).exists():
        return
    with transaction.atomic():
        Level.objects.bulk_create(
            [
                Level(
                    municipality=municipality,
                    key=key,
                    name=name,
                    goals=goals,
                    name_en=name_en,
                    goals_en=goals_en,
                    position=position,
                )
                for position, (key, name, goals, name_en, goals_en) in enumerate(DEFAULT_LEVELS)
            ],
            ignore_conflicts=True,
        )
