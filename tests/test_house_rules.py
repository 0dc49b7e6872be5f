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


# Reading a person's roles is deciding access with them: only the access module does it.
ROLE_READERS = {"has_role", "role_paths"}
ACCESS_MODULE = SOURCE / "core" / "access.py"


def role_reads(path: Path) -> list[int]:
    """The lines that call `has_role` or `role_paths` (as `access.has_role(...)` or bare)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return sorted(
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and (
            (isinstance(node.func, ast.Attribute) and node.func.attr in ROLE_READERS)
            or (isinstance(node.func, ast.Name) and node.func.id in ROLE_READERS)
        )
    )


def test_it_decides_access_with_roles_only_in_the_access_module():
    """CONTRIBUTING: permissions are decided in core/access.py and nowhere else. Elsewhere code
    asks a `can_…` function or a scope (`concern_scopes`, `led_paths`, ...)."""
    modules = [p for p in SOURCE.rglob("*.py") if "migrations" not in p.parts and p != ACCESS_MODULE]
    found = [f"{path.relative_to(SOURCE.parent)}:{line}" for path in sorted(modules) for line in role_reads(path)]
    assert not found, "roles read outside core/access.py (add a function there and ask it):\n" + "\n".join(found)


def test_it_notices_a_role_read(tmp_path):
    module = tmp_path / "queries.py"
    source = "def f(person):\n    return access.has_role(person, 'leder')\n\n\n"
    source += "def g(person):\n    return role_paths(person)\n"
    module.write_text(source, encoding="utf-8")
    assert role_reads(module) == [2, 6]
    assert role_reads(ACCESS_MODULE)
