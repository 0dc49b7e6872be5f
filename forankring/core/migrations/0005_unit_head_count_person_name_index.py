from collections import defaultdict

from django.db import migrations, models


def count_heads(apps, schema_editor):
    """Fill the new head counts for data that exists already. Frozen here on purpose (the live
    code is `orgsync.refresh_head_counts`): a migration must not change when the code does."""
    Unit = apps.get_model("core", "Unit")
    Membership = apps.get_model("core", "Membership")
    below = defaultdict(set)
    pairs = Membership.objects.filter(person__is_active=True, unit__is_active=True).values_list(
        "person_id", "unit__path"
    )
    for person_id, path in pairs.iterator():
        for part in path.strip("/").split("/"):
            if part:
                below[int(part)].add(person_id)
    changed = []
    for unit in Unit.objects.only("pk"):
        unit.head_count = len(below.get(unit.pk, ()))
        if unit.head_count:
            changed.append(unit)
    Unit.objects.bulk_update(changed, ["head_count"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_municipality_k_min_default_from_settings"),
    ]

    operations = [
        migrations.AddField(
            model_name="unit",
            name="head_count",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["municipality", "name", "id"], name="person_name_order_idx"),
        ),
        migrations.RunPython(count_heads, migrations.RunPython.noop),
    ]
