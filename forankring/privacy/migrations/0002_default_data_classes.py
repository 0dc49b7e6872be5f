"""Give every municipality that already exists the default data classes, tool tiers and
allowances. New municipalities get them when they are created (ensure_default_data_classes)."""

from django.db import migrations


def seed(apps, schema_editor):
    from forankring.privacy.data_classes import seed_defaults

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
