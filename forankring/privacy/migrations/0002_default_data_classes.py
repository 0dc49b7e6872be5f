"""Give every municipality that already exists the default data classes, tool tiers and
allowances. New municipalities get them when they are created (ensure_default_data_classes).

The defaults are written out here as they were when this migration was made (yes/no answers,
Danish texts only), not imported: the live defaults have moved on (0003 adds "only if" and the
English texts), and a migration must run the same way whenever it runs."""

from dataclasses import dataclass
from typing import Any

from django.db import migrations


@dataclass(frozen=True)
class Default:
    key: str
    name: str
    description: str


DEFAULT_DATA_CLASSES: tuple[Default, ...] = (
    Default(
        "public",
        "Offentlige oplysninger",
        "Oplysninger, der allerede er offentlige eller må offentliggøres: tekster fra kommunens hjemmeside, "
        "vedtagne politikker, offentlige dagsordener og referater.",
    ),
    Default(
        "internal",
        "Interne oplysninger",
        "Kommunens egne arbejdspapirer uden personoplysninger: notater, udkast, procesbeskrivelser og "
        "interne vejledninger.",
    ),
    Default(
        "personal",
        "Almindelige personoplysninger",
        "Oplysninger om en person, der ikke er følsomme: navn, adresse, kontaktoplysninger, uddannelse, "
        "arbejdsforhold og økonomi.",
    ),
    Default(
        "cpr",
        "CPR-numre",
        "Personnumre, også erstatningspersonnumre. De må kun bruges, når det er nødvendigt og der er hjemmel til det.",
    ),
    Default(
        "sensitive",
        "Følsomme personoplysninger (art. 9)",
        "Helbred, etnisk oprindelse, politisk, religiøs eller filosofisk overbevisning, fagforeningsforhold, "
        "seksuelle forhold samt genetiske og biometriske data (databeskyttelsesforordningens artikel 9).",
    ),
    Default(
        "criminal",
        "Oplysninger om strafbare forhold (art. 10)",
        "Straffedomme, lovovertrædelser og mistanke om strafbare forhold (databeskyttelsesforordningens "
        "artikel 10 og databeskyttelseslovens § 8).",
    ),
    Default(
        "confidential",
        "Fortrolige oplysninger under tavshedspligt",
        "Oplysninger, som medarbejdere har tavshedspligt om, fx efter forvaltningsloven § 27 – også når det "
        "ikke er personoplysninger, fx forretningshemmeligheder eller oplysninger om kommunens sikkerhed.",
    ),
)

DEFAULT_TOOL_TIERS: tuple[Default, ...] = (
    Default(
        "consumer",
        "Offentlige AI-tjenester",
        "Gratis eller private udgaver af fx chatbots, hvor kommunen ikke har en databehandleraftale. Det, du "
        "skriver, kan blive gemt og brugt til at træne tjenesten.",
    ),
    Default(
        "enterprise",
        "Virksomhedsværktøjer med databehandleraftale",
        "AI-værktøjer, som kommunen har købt og har en databehandleraftale om, fx en virksomhedsudgave af en "
        "chatassistent, hvor data ikke bruges til træning.",
    ),
    Default(
        "municipal",
        "Kommunens egne modeller",
        "Modeller, som kommunen selv driver eller har kontrol over, hvor data bliver i kommunens eget miljø.",
    ),
    Default(
        "built_in",
        "Fagsystemer med indbygget AI",
        "AI-funktioner i kommunens godkendte fagsystemer, fx omsorgs-, journal- og sagssystemer.",
    ),
)

_ONLY_WHAT_IS_NEEDED = "Kun de oplysninger, opgaven kræver."
_NEEDS_APPROVAL = "Kræver en konkret vurdering og godkendelse af løsningen til netop det formål."
_WITHIN_PURPOSE = "Kun inden for det formål, fagsystemet er godkendt til, og i sager, du selv har adgang til."

# (data class, tool tier) -> (allowed, note). A pair that is missing counts as not allowed.
DEFAULT_ALLOWANCES: dict[tuple[str, str], tuple[bool, str]] = {
    ("public", "consumer"): (True, "Fx tekster fra kommunens hjemmeside eller offentlige dagsordener."),
    ("internal", "consumer"): (False, "Brug et værktøj med databehandleraftale til interne dokumenter."),
    ("personal", "consumer"): (False, "Offentlige AI-tjenester kan gemme og bruge det, du skriver."),
    ("cpr", "consumer"): (False, ""),
    ("sensitive", "consumer"): (False, ""),
    ("criminal", "consumer"): (False, ""),
    ("confidential", "consumer"): (False, ""),
    ("public", "enterprise"): (True, ""),
    ("internal", "enterprise"): (True, ""),
    ("personal", "enterprise"): (True, f"{_ONLY_WHAT_IS_NEEDED} Skriv fx initialer i stedet for navne."),
    ("cpr", "enterprise"): (False, "CPR-numre hører hjemme i fagsystemerne."),
    ("sensitive", "enterprise"): (False, _NEEDS_APPROVAL),
    ("criminal", "enterprise"): (False, _NEEDS_APPROVAL),
    ("confidential", "enterprise"): (False, _NEEDS_APPROVAL),
    ("public", "municipal"): (True, ""),
    ("internal", "municipal"): (True, ""),
    ("personal", "municipal"): (True, _ONLY_WHAT_IS_NEEDED),
    ("cpr", "municipal"): (True, "Kun når opgaven kræver det, og der er hjemmel til det."),
    ("sensitive", "municipal"): (False, "Kræver en konsekvensanalyse (DPIA) og godkendelse af løsningen."),
    ("criminal", "municipal"): (False, "Kræver en konsekvensanalyse (DPIA) og godkendelse af løsningen."),
    ("confidential", "municipal"): (True, "Kun når adgangen er begrænset til dem, der har brug for oplysningerne."),
    ("public", "built_in"): (True, ""),
    ("internal", "built_in"): (True, ""),
    ("personal", "built_in"): (True, _WITHIN_PURPOSE),
    ("cpr", "built_in"): (True, _WITHIN_PURPOSE),
    ("sensitive", "built_in"): (True, _WITHIN_PURPOSE),
    ("criminal", "built_in"): (True, _WITHIN_PURPOSE),
    ("confidential", "built_in"): (True, _WITHIN_PURPOSE),
}


def seed_defaults(*, municipality_id: int, data_class_model: Any, tool_tier_model: Any, allowance_model: Any) -> None:
    """Create whatever of the defaults the municipality lacks; never changes what exists, so a
    municipality's own edits survive a second run."""
    classes = {}
    for order, item in enumerate(DEFAULT_DATA_CLASSES):
        classes[item.key], _ = data_class_model.objects.get_or_create(
            municipality_id=municipality_id,
            key=item.key,
            defaults={"name": item.name, "description": item.description, "sensitivity": order},
        )
    tiers = {}
    for order, item in enumerate(DEFAULT_TOOL_TIERS):
        tiers[item.key], _ = tool_tier_model.objects.get_or_create(
            municipality_id=municipality_id,
            key=item.key,
            defaults={"name": item.name, "description": item.description, "position": order},
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
                allowed=allowed,
                note=note,
            )
            for (class_key, tier_key), (allowed, note) in DEFAULT_ALLOWANCES.items()
            if (classes[class_key].pk, tiers[tier_key].pk) not in existing
        ]
    )


def seed(apps, schema_editor):
    Municipality = apps.get_model("core", "Municipality")
    for municipality_id in Municipality.objects.values_list("pk", flat=True):
        seed_defaults(
            municipality_id=municipality_id,
            data_class_model=apps.get_model("privacy", "DataClass"),
            tool_tier_model=apps.get_model("privacy", "ToolTier"),
            allowance_model=apps.get_model("privacy", "TierAllowance"),
        )


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_initial")]

    # Nothing to undo: removing the tables (0001 backwards) removes the rows.
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
