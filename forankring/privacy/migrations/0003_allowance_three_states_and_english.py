"""Three answers for a data class in a tool tier (yes / only if / no) instead of a yes-or-no,
and English twins of the seeded texts.

Existing rows: "yes" stays yes; a "no" whose note asks for an assessment ("Kræver ...") was
really "only after an assessment" and becomes "only if"; every other "no" stays no. The English
texts of the defaults are filled in where the row still has the default key; they are written
out here, not imported, so the migration does not change when the code does."""

from django.db import migrations, models

import forankring.privacy.fields

ENGLISH_CLASSES = {
    "confidential": (
        "Confidential information under the duty of secrecy",
        "Information staff must keep confidential, for instance under section 27 of the Public "
        "Administration Act, also when it is not personal data, such as trade secrets or the "
        "municipality's security.",
    ),
    "cpr": (
        "CPR numbers",
        "Danish personal identity numbers, substitute numbers included. Only to be used when necessary and "
        "when the law gives a basis for it.",
    ),
    "criminal": (
        "Data on criminal offences (Art. 10)",
        "Criminal convictions, offences and suspected offences (Article 10 of the GDPR and section 8 "
        "of the Danish Data Protection Act).",
    ),
    "internal": (
        "Internal information",
        "The municipality's own working papers without personal data: notes, drafts, process "
        "descriptions and internal guidance.",
    ),
    "personal": (
        "Ordinary personal data",
        "Information about a person that is not sensitive: name, address, contact details, education, "
        "employment and finances.",
    ),
    "public": (
        "Public information",
        "Information that is already public or may be published: texts from the municipality's website, "
        "adopted policies, public agendas and minutes.",
    ),
    "sensitive": (
        "Sensitive personal data (Art. 9)",
        "Health, ethnic origin, political, religious or philosophical beliefs, trade union "
        "membership, sex life, and genetic and biometric data (Article 9 of the GDPR).",
    ),
}

ENGLISH_TIERS = {
    "built_in": (
        "Specialist systems with built-in AI",
        "AI features in the municipality's approved specialist systems, such as care, record and case systems.",
    ),
    "consumer": (
        "Public AI services",
        "Free or personal editions of, for instance, chatbots, where the municipality has no data "
        "processing agreement. What you type may be stored and used to train the service.",
    ),
    "enterprise": (
        "Business tools with a data processing agreement",
        "AI tools the municipality has bought and has a data processing agreement for, such as a "
        "business edition of a chat assistant, where data is not used for training.",
    ),
    "municipal": (
        "The municipality's own models",
        "Models the municipality runs itself or controls, where data stays in the municipality's own environment.",
    ),
}


def forwards(apps, schema_editor):
    TierAllowance = apps.get_model("privacy", "TierAllowance")
    for row in TierAllowance.objects.all():
        if row.allowed:
            row.state = "allowed"
        elif row.note.startswith("Kræver"):
            row.state = "only_if"
        else:
            row.state = "not_allowed"
        row.save(update_fields=["state"])
    for model_name, english in (("DataClass", ENGLISH_CLASSES), ("ToolTier", ENGLISH_TIERS)):
        model = apps.get_model("privacy", model_name)
        for row in model.objects.filter(key__in=english, name_en=""):
            row.name_en, row.description_en = english[row.key]
            row.save(update_fields=["name_en", "description_en"])


def backwards(apps, schema_editor):
    TierAllowance = apps.get_model("privacy", "TierAllowance")
    TierAllowance.objects.update(allowed=False)
    TierAllowance.objects.filter(state="allowed").update(allowed=True)


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0002_default_data_classes"),
    ]

    operations = [
        migrations.AddField(
            model_name="dataclass",
            name="description_en",
            field=forankring.privacy.fields.ScreenedTextField(
                anonymous=False, blank=True, verbose_name="beskrivelse på engelsk"
            ),
        ),
        migrations.AddField(
            model_name="dataclass",
            name="name_en",
            field=forankring.privacy.fields.ScreenedCharField(
                anonymous=False, blank=True, max_length=100, verbose_name="navn på engelsk"
            ),
        ),
        migrations.AddField(
            model_name="tierallowance",
            name="note_en",
            field=forankring.privacy.fields.ScreenedCharField(
                anonymous=False, blank=True, max_length=300, verbose_name="bemærkning på engelsk"
            ),
        ),
        migrations.AddField(
            model_name="tierallowance",
            name="state",
            field=models.CharField(
                choices=[("allowed", "Tilladt"), ("only_if", "Kun hvis …"), ("not_allowed", "Ikke tilladt")],
                default="not_allowed",
                max_length=20,
                verbose_name="svar",
            ),
        ),
        migrations.AddField(
            model_name="tooltier",
            name="description_en",
            field=forankring.privacy.fields.ScreenedTextField(
                anonymous=False, blank=True, verbose_name="beskrivelse på engelsk"
            ),
        ),
        migrations.AddField(
            model_name="tooltier",
            name="name_en",
            field=forankring.privacy.fields.ScreenedCharField(
                anonymous=False, blank=True, max_length=100, verbose_name="navn på engelsk"
            ),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="tierallowance", name="allowed"),
    ]
