"""Data classes and tool tiers as data: which data may go into which kind of AI tool.

Every municipality starts with the defaults below (PRIVACY.md, "Data tiers in the AI-kompas").
They are a careful starting point, not legal advice: track 1 (the AI-kompas) lets the
municipality adjust them, and `is_allowed` is what use cases and pilots ask before approval.

The texts are stored data in Danish, not interface strings: a municipality edits its own copy.
The seeding takes the model classes as arguments so the data migration can run it with the
historical models.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from forankring.core.models import Municipality

from .models import DataClass, TierAllowance, ToolTier


@dataclass(frozen=True)
class Default:
    key: str
    name: str
    description: str
    name_en: str
    description_en: str


DEFAULT_DATA_CLASSES: tuple[Default, ...] = (
    Default(
        "public",
        "Offentlige oplysninger",
        "Oplysninger, der allerede er offentlige eller må offentliggøres: tekster fra kommunens hjemmeside, "
        "vedtagne politikker, offentlige dagsordener og referater.",
        "Public information",
        "Information that is already public or may be published: texts from the municipality's website, "
        "adopted policies, public agendas and minutes.",
    ),
    Default(
        "internal",
        "Interne oplysninger",
        "Kommunens egne arbejdspapirer uden personoplysninger: notater, udkast, procesbeskrivelser og "
        "interne vejledninger.",
        "Internal information",
        "The municipality's own working papers without personal data: notes, drafts, process descriptions "
        "and internal guidance.",
    ),
    Default(
        "personal",
        "Almindelige personoplysninger",
        "Oplysninger om en person, der ikke er følsomme: navn, adresse, kontaktoplysninger, uddannelse, "
        "arbejdsforhold og økonomi.",
        "Ordinary personal data",
        "Information about a person that is not sensitive: name, address, contact details, education, "
        "employment and finances.",
    ),
    Default(
        "cpr",
        "CPR-numre",
        "Personnumre, også erstatningspersonnumre. De må kun bruges, når det er nødvendigt og der er hjemmel til det.",
        "CPR numbers",
        "Danish personal identity numbers, substitute numbers included. Only to be used when necessary and when "
        "the law gives a basis for it.",
    ),
    Default(
        "sensitive",
        "Følsomme personoplysninger (art. 9)",
        "Helbred, etnisk oprindelse, politisk, religiøs eller filosofisk overbevisning, fagforeningsforhold, "
        "seksuelle forhold samt genetiske og biometriske data (databeskyttelsesforordningens artikel 9).",
        "Sensitive personal data (Art. 9)",
        "Health, ethnic origin, political, religious or philosophical beliefs, trade union membership, sex life, "
        "and genetic and biometric data (Article 9 of the GDPR).",
    ),
    Default(
        "criminal",
        "Oplysninger om strafbare forhold (art. 10)",
        "Straffedomme, lovovertrædelser og mistanke om strafbare forhold (databeskyttelsesforordningens "
        "artikel 10 og databeskyttelseslovens § 8).",
        "Data on criminal offences (Art. 10)",
        "Criminal convictions, offences and suspected offences (Article 10 of the GDPR and section 8 of the "
        "Danish Data Protection Act).",
    ),
    Default(
        "confidential",
        "Fortrolige oplysninger under tavshedspligt",
        "Oplysninger, som medarbejdere har tavshedspligt om, fx efter forvaltningsloven § 27 – også når det "
        "ikke er personoplysninger, fx forretningshemmeligheder eller oplysninger om kommunens sikkerhed.",
        "Confidential information under the duty of secrecy",
        "Information staff must keep confidential, for instance under section 27 of the Public Administration "
        "Act, also when it is not personal data, such as trade secrets or the municipality's security.",
    ),
)

DEFAULT_TOOL_TIERS: tuple[Default, ...] = (
    Default(
        "consumer",
        "Offentlige AI-tjenester",
        "Gratis eller private udgaver af fx chatbots, hvor kommunen ikke har en databehandleraftale. Det, du "
        "skriver, kan blive gemt og brugt til at træne tjenesten.",
        "Public AI services",
        "Free or personal editions of, for instance, chatbots, where the municipality has no data processing "
        "agreement. What you type may be stored and used to train the service.",
    ),
    Default(
        "enterprise",
        "Virksomhedsværktøjer med databehandleraftale",
        "AI-værktøjer, som kommunen har købt og har en databehandleraftale om, fx en virksomhedsudgave af en "
        "chatassistent, hvor data ikke bruges til træning.",
        "Business tools with a data processing agreement",
        "AI tools the municipality has bought and has a data processing agreement for, such as a business "
        "edition of a chat assistant, where data is not used for training.",
    ),
    Default(
        "municipal",
        "Kommunens egne modeller",
        "Modeller, som kommunen selv driver eller har kontrol over, hvor data bliver i kommunens eget miljø.",
        "The municipality's own models",
        "Models the municipality runs itself or controls, where data stays in the municipality's own environment.",
    ),
    Default(
        "built_in",
        "Fagsystemer med indbygget AI",
        "AI-funktioner i kommunens godkendte fagsystemer, fx omsorgs-, journal- og sagssystemer.",
        "Specialist systems with built-in AI",
        "AI features in the municipality's approved specialist systems, such as care, record and case systems.",
    ),
)

# The three answers a pair can have (TierAllowance.State): yes; only if a condition is met
# (an assessment, a legal basis); no.
YES, ONLY_IF, NO = "allowed", "only_if", "not_allowed"

_ONLY_WHAT_IS_NEEDED = ("Kun de oplysninger, opgaven kræver.", "Only the information the task needs.")
_INITIALS = (
    "Kun de oplysninger, opgaven kræver. Skriv fx initialer i stedet for navne.",
    "Only the information the task needs. Write initials instead of names, for instance.",
)
_AFTER_ASSESSMENT = (
    "Først når løsningen er vurderet og godkendt til netop det formål.",
    "Only once the solution has been assessed and approved for that very purpose.",
)
_AFTER_DPIA = (
    "Først når der er lavet en konsekvensanalyse (DPIA), og løsningen er godkendt.",
    "Only once a data protection impact assessment (DPIA) has been made and the solution approved.",
)
_WITHIN_PURPOSE = (
    "Kun inden for det formål, fagsystemet er godkendt til, og i sager, du selv har adgang til.",
    "Only for the purpose the specialist system is approved for, and in cases you have access to yourself.",
)
_NONE = ("", "")

# (data class, tool tier) -> (state, (note in Danish, note in English)). A missing pair is "no".
DEFAULT_ALLOWANCES: dict[tuple[str, str], tuple[str, tuple[str, str]]] = {
    ("public", "consumer"): (
        YES,
        (
            "Fx tekster fra kommunens hjemmeside eller offentlige dagsordener.",
            "Such as texts from the municipality's website or public agendas.",
        ),
    ),
    ("internal", "consumer"): (
        NO,
        (
            "Brug et værktøj med databehandleraftale til interne dokumenter.",
            "Use a tool with a data processing agreement for internal documents.",
        ),
    ),
    ("personal", "consumer"): (
        NO,
        (
            "Offentlige AI-tjenester kan gemme og bruge det, du skriver.",
            "Public AI services may store and use what you type.",
        ),
    ),
    ("cpr", "consumer"): (NO, _NONE),
    ("sensitive", "consumer"): (NO, _NONE),
    ("criminal", "consumer"): (NO, _NONE),
    ("confidential", "consumer"): (NO, _NONE),
    ("public", "enterprise"): (YES, _NONE),
    ("internal", "enterprise"): (YES, _NONE),
    ("personal", "enterprise"): (YES, _INITIALS),
    ("cpr", "enterprise"): (
        NO,
        ("CPR-numre hører hjemme i fagsystemerne.", "CPR numbers belong in the specialist systems."),
    ),
    ("sensitive", "enterprise"): (ONLY_IF, _AFTER_ASSESSMENT),
    ("criminal", "enterprise"): (ONLY_IF, _AFTER_ASSESSMENT),
    ("confidential", "enterprise"): (ONLY_IF, _AFTER_ASSESSMENT),
    ("public", "municipal"): (YES, _NONE),
    ("internal", "municipal"): (YES, _NONE),
    ("personal", "municipal"): (YES, _ONLY_WHAT_IS_NEEDED),
    ("cpr", "municipal"): (
        ONLY_IF,
        (
            "Kun når opgaven kræver det, og der er hjemmel til det (en lov, der giver lov).",
            "Only when the task needs it and the law gives a basis for it.",
        ),
    ),
    ("sensitive", "municipal"): (ONLY_IF, _AFTER_DPIA),
    ("criminal", "municipal"): (ONLY_IF, _AFTER_DPIA),
    ("confidential", "municipal"): (
        YES,
        (
            "Kun når adgangen er begrænset til dem, der har brug for oplysningerne.",
            "Only when access is limited to those who need the information.",
        ),
    ),
    ("public", "built_in"): (YES, _NONE),
    ("internal", "built_in"): (YES, _NONE),
    ("personal", "built_in"): (YES, _WITHIN_PURPOSE),
    ("cpr", "built_in"): (YES, _WITHIN_PURPOSE),
    ("sensitive", "built_in"): (YES, _WITHIN_PURPOSE),
    ("criminal", "built_in"): (YES, _WITHIN_PURPOSE),
    ("confidential", "built_in"): (YES, _WITHIN_PURPOSE),
}


def seed_defaults(*, municipality_id: int, data_class_model: Any, tool_tier_model: Any, allowance_model: Any) -> None:
    """Create whatever of the defaults the municipality lacks; never changes what exists, so a
    municipality's own edits survive a second run."""
    classes = {}
    for order, item in enumerate(DEFAULT_DATA_CLASSES):
        classes[item.key], _ = data_class_model.objects.get_or_create(
            municipality_id=municipality_id,
            key=item.key,
            defaults={
                "name": item.name,
                "description": item.description,
                "name_en": item.name_en,
                "description_en": item.description_en,
                "sensitivity": order,
            },
        )
    tiers = {}
    for order, item in enumerate(DEFAULT_TOOL_TIERS):
        tiers[item.key], _ = tool_tier_model.objects.get_or_create(
            municipality_id=municipality_id,
            key=item.key,
            defaults={
                "name": item.name,
                "description": item.description,
                "name_en": item.name_en,
                "description_en": item.description_en,
                "position": order,
            },
        )
    existing = set(
        allowance_model.objects.filter(municipality_id=municipality_id).values_list("data_class_id", "tool_tier_id")
    )
    allowance_model.objects.bulk_create(
        [
            allowance_model(
                municipality_id=municipality_id,
                data_class=classes[class_key],
                tool_tier=tiers[tier_key],
                state=state,
                note=note,
                note_en=note_en,
            )
            for (class_key, tier_key), (state, (note, note_en)) in DEFAULT_ALLOWANCES.items()
            if (classes[class_key].pk, tiers[tier_key].pk) not in existing
        ]
    )


def ensure_default_data_classes(municipality: Municipality) -> None:
    """Give a municipality the default data classes, tool tiers and allowances it lacks.

    Called when a municipality is created (the demo, `create_municipality`) and by the data
    migration for those that existed before. Not audited on its own: it belongs to the creation
    of the municipality, which is."""
    with transaction.atomic():
        seed_defaults(
            municipality_id=municipality.pk,
            data_class_model=DataClass,
            tool_tier_model=ToolTier,
            allowance_model=TierAllowance,
        )


def is_allowed(municipality: Municipality, data_class_key: str, tier_key: str) -> bool:
    """May data of this class go into a tool of this tier without further conditions? Unknown
    keys, pairs nobody has decided and "only if" pairs are not: the compass fails closed, and an
    "only if" pair needs a person to check its condition."""
    return TierAllowance.objects.filter(
        municipality_id=municipality.pk,
        data_class__municipality_id=municipality.pk,
        tool_tier__municipality_id=municipality.pk,
        data_class__key=data_class_key,
        tool_tier__key=tier_key,
        state=TierAllowance.State.ALLOWED,
    ).exists()
