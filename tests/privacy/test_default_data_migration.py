"""The data migration that gave existing municipalities the default data classes is frozen:
it holds its own copy of the defaults, so later changes to data_classes.py cannot change it."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

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


def test_it_holds_the_original_defaults():
    # The seed itself ran against the schema of its day (TierAllowance.allowed, a boolean); later
    # migrations changed that table, so the seed is checked against its own frozen copy here and
    # ran for real when every test database was migrated from zero.
    migration = importlib.import_module(MIGRATION)
    assert len(migration.DATA_CLASSES) == 7
    assert len(migration.TOOL_TIERS) == 4
    assert len(migration.ALLOWANCES) == 28
    assert migration.ALLOWANCES[("public", "consumer")][0] is True
