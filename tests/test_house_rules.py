"""House rules from CONTRIBUTING.md that a reading of the source can check."""

from __future__ import annotations

import ast
from pathlib import Path

SOURCE = Path(__file__).resolve().parent.parent / "forankring"


def _views_files() -> list[Path]:
    return sorted(p for p in SOURCE.rglob("views*.py") if "migrations" not in p.parts)


def orm_lines(path: Path) -> list[int]:
    """The lines that use a model manager (`<Model>.objects`)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return sorted(node.lineno for node in ast.walk(tree) if isinstance(node, ast.Attribute) and node.attr == "objects")


def test_it_reads_every_views_file():
    names = {p.relative_to(SOURCE).as_posix() for p in _views_files()}
    assert {"core/views.py", "core/views_audit.py", "core/views_org.py", "privacy/views.py"} <= names


def test_it_finds_no_orm_in_any_views_file():
    """Views glue a query or an action to a template: every read is in the app's queries.py."""
    found = [f"{path.relative_to(SOURCE.parent)}:{line}" for path in _views_files() for line in orm_lines(path)]
    assert not found, "views that read the database themselves (move the read into queries.py):\n" + "\n".join(found)


def test_it_notices_orm_in_a_view(tmp_path):
    view = tmp_path / "views.py"
    view.write_text("def page(request):\n    return render(request, Unit.objects.first())\n", encoding="utf-8")
    assert orm_lines(view) == [2]
