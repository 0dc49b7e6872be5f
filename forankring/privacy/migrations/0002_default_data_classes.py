"""Give every municipality that already exists the default data classes, tool tiers and
allowances. New municipalities get them when they are created (ensure_default_data_classes).

The defaults are frozen here as they were when this migration was written, so that later
changes to forankring/privacy/data_classes.py (new wording, a third state, translations) do not
change what this migration does: a migration must give the same result whenever it runs.
"""

from django.db import migrations

# (key, name, description), in order of sensitivity.
DATA_CLASSES = [
    (
        "public",
        "Offentlige oplysninger",
        "Oplysninger, der allerede er offentlige eller må offentliggøres: tekster fra kommunens hjemmeside, vedtagne politikker, offentlige dagsordener og referater.",
    ),
    (
        "internal",
        "Interne oplysninger",
        "Kommunens egne arbejdspapirer uden personoplysninger: notater, udkast, procesbeskrivelser og interne vejledninger.",
    ),
    (
        "personal",
        "Almindelige personoplysninger",
        "Oplysninger om en person, der ikke er følsomme: navn, adresse, kontaktoplysninger, uddannelse, arbejdsforhold og økonomi.",
    ),
    (
        "cpr",
        "CPR-numre",
        "Personnumre, også erstatningspersonnumre. De må kun bruges, når det er nødvendigt og der er hjemmel til det.",
    ),
    (
        "sensitive",
        "Følsomme personoplysninger (art. 9)",
        "Helbred, etnisk oprindelse, politisk, religiøs eller filosofisk overbevisning, fagforeningsforhold, seksuelle forhold samt genetiske og biometriske data (databeskyttelsesforordningens artikel 9).",
    ),
    (
        "criminal",
        "Oplysninger om strafbare forhold (art. 10)",
        "Straffedomme, lovovertrædelser og mistanke om strafbare forhold (databeskyttelsesforordningens artikel 10 og databeskyttelseslovens § 8).",
    ),
    (
        "confidential",
        "Fortrolige oplysninger under tavshedspligt",
        "Oplysninger, som medarbejdere har tavshedspligt om, fx efter forvaltningsloven § 27 – også når det ikke er personoplysninger, fx forretningshemmeligheder eller oplysninger om kommunens sikkerhed.",
    ),
]

# (key, name, description), in order.
TOOL_TIERS = [
    (
        "consumer",
        "Offentlige AI-tjenester",
        "Gratis eller private udgaver af fx chatbots, hvor kommunen ikke har en databehandleraftale. Det, du skriver, kan blive gemt og brugt til at træne tjenesten.",
    ),
    (
        "enterprise",
        "Virksomhedsværktøjer med databehandleraftale",
        "AI-værktøjer, som kommunen har købt og har en databehandleraftale om, fx en virksomhedsudgave af en chatassistent, hvor data ikke bruges til træning.",
    ),
    (
        "municipal",
        "Kommunens egne modeller",
        "Modeller, som kommunen selv driver eller har kontrol over, hvor data bliver i kommunens eget miljø.",
    ),
    (
        "built_in",
        "Fagsystemer med indbygget AI",
        "AI-funktioner i kommunens godkendte fagsystemer, fx omsorgs-, journal- og sagssystemer.",
    ),
]

# (data class, tool tier) -> (allowed, note).
ALLOWANCES = {
    ("public", "consumer"): (True, "Fx tekster fra kommunens hjemmeside eller offentlige dagsordener."),
    ("internal", "consumer"): (False, "Brug et værktøj med databehandleraftale til interne dokumenter."),
    ("personal", "consumer"): (False, "Offentlige AI-tjenester kan gemme og bruge det, du skriver."),
    ("cpr", "consumer"): (False, ""),
    ("sensitive", "consumer"): (False, ""),
    ("criminal", "consumer"): (False, ""),
    ("confidential", "consumer"): (False, ""),
    ("public", "enterprise"): (True, ""),
    ("internal", "enterprise"): (True, ""),
    ("personal", "enterprise"): (True, "Kun de oplysninger, opgaven kræver. Skriv fx initialer i stedet for navne."),
    ("cpr", "enterprise"): (False, "CPR-numre hører hjemme i fagsystemerne."),
    ("sensitive", "enterprise"): (
        False,
        "Kræver en konkret vurdering og godkendelse af løsningen til netop det formål.",
    ),
    ("criminal", "enterprise"): (
        False,
        "Kræver en konkret vurdering og godkendelse af løsningen til netop det formål.",
    ),
    ("confidential", "enterprise"): (
        False,
        "Kræver en konkret vurdering og godkendelse af løsningen til netop det formål.",
    ),
    ("public", "municipal"): (True, ""),
    ("internal", "municipal"): (True, ""),
    ("personal", "municipal"): (True, "Kun de oplysninger, opgaven kræver."),
    ("cpr", "municipal"): (True, "Kun når opgaven kræver det, og der er hjemmel til det."),
    ("sensitive", "municipal"): (False, "Kræver en konsekvensanalyse (DPIA) og godkendelse af løsningen."),
    ("criminal", "municipal"): (False, "Kræver en konsekvensanalyse (DPIA) og godkendelse af løsningen."),
    ("confidential", "municipal"): (True, "Kun når adgangen er begrænset til dem, der har brug for oplysningerne."),
    ("public", "built_in"): (True, ""),
    ("internal", "built_in"): (True, ""),
    ("personal", "built_in"): (
        True,
        "Kun inden for det formål, fagsystemet er godkendt til, og i sager, du selv har adgang til.",
    ),
    ("cpr", "built_in"): (
        True,
        "Kun inden for det formål, fagsystemet er godkendt til, og i sager, du selv har adgang til.",
    ),
    ("sensitive", "built_in"): (
        True,
        "Kun inden for det formål, fagsystemet er godkendt til, og i sager, du selv har adgang til.",
    ),
    ("criminal", "built_in"): (
        True,
        "Kun inden for det formål, fagsystemet er godkendt til, og i sager, du selv har adgang til.",
    ),
    ("confidential", "built_in"): (
        True,
        "Kun inden for det formål, fagsystemet er godkendt til, og i sager, du selv har adgang til.",
    ),
}


def seed(apps, schema_editor):
    Municipality = apps.get_model("core", "Municipality")
    DataClass = apps.get_model("privacy", "DataClass")
    ToolTier = apps.get_model("privacy", "ToolTier")
    TierAllowance = apps.get_model("privacy", "TierAllowance")
    for municipality_id in Municipality.objects.values_list("pk", flat=True):
        # Only what the municipality lacks: its own edits are never changed.
        classes = {}
        for order, (key, name, description) in enumerate(DATA_CLASSES):
            classes[key], _ = DataClass.objects.get_or_create(
                municipality_id=municipality_id,
                key=key,
                defaults={"name": name, "description": description, "sensitivity": order},
            )
        tiers = {}
        for order, (key, name, description) in enumerate(TOOL_TIERS):
            tiers[key], _ = ToolTier.objects.get_or_create(
                municipality_id=municipality_id,
                key=key,
                defaults={"name": name, "description": description, "position": order},
            )
        existing = set(
            TierAllowance.objects.filter(municipality_id=municipality_id).values_list("data_class_id", "tool_tier_id")
        )
        TierAllowance.objects.bulk_create(
            [
                TierAllowance(
                    municipality_id=municipality_id,
                    data_class=classes[class_key],
                    tool_tier=tiers[tier_key],
                    allowed=allowed,
                    note=note,
                )
                for (class_key, tier_key), (allowed, note) in ALLOWANCES.items()
                if (classes[class_key].pk, tiers[tier_key].pk) not in existing
            ]
        )


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_initial")]

    # Nothing to undo: removing the tables (0001 backwards) removes the rows.
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
