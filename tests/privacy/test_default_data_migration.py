"""The data migration that gave existing municipalities the default data classes is frozen:
it holds its own copy of the defaults, so later changes to data_classes.py cannot change it."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

from django.apps import apps

from forankring.core.models import Municipality
from forankring.privacy.models import DataClass, TierAllowance, ToolTier

MIGRATION = "forankring.privacy.migrations.0002_default_data_classes"


def test_it_imports_nothing_of_the_live_code():
    source = Path(importlib.import_module(MIGRATION).__file__ or "").read_text(encoding="utf-8")
    imported = [
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    ]
    assert all(not (name or "").startswith("forankring") for name in imported), imported


def test_it_gives_a_municipality_without_them_the_defaults_once(db):
    migration = importlib.import_module(MIGRATION)
    municipality = Municipality.objects.create(name="Gammel Kommune", slug="gammel")
    assert not DataClass.objects.filter(municipality=municipality).exists()
    migration.seed(apps, None)
    classes = DataClass.objects.filter(municipality=municipality)
    assert classes.count() == len(migration.DATA_CLASSES) == 7
    assert ToolTier.objects.filter(municipality=municipality).count() == len(migration.TOOL_TIERS) == 4
    assert TierAllowance.objects.filter(municipality=municipality).count() == len(migration.ALLOWANCES) == 28
    assert TierAllowance.objects.get(
        municipality=municipality, data_class__key="public", tool_tier__key="consumer"
    ).allowed
    # A municipality's own edit survives a second run, and nothing is added twice.
    classes.filter(key="public").update(name="Offentligt")
    migration.seed(apps, None)
    assert classes.get(key="public").name == "Offentligt"
    assert TierAllowance.objects.filter(municipality=municipality).count() == 28
