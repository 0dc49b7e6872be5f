"""A large fictional municipality for measuring: 45,000 people in 2,000 units by default.

`manage.py generate_municipality` builds it. The organisation goes through the real import path
(an organisation file read and checked by `orgfile.parse`, written by
`actions.import_organisation`), so what is measured is what a municipality gets after importing
its HR file. Then the demo's persona kinds get roles and logins, every track adds its own objects
in proportion (see below), and the database statistics are refreshed.

Deterministic: the same seed and sizes give the same municipality, names and all.

Tracks plug in here, so this module imports no track: a track app registers a function in its
`AppConfig.ready()`:

    from forankring.core import generate
    generate.register("concerns", add_concerns)

The function gets a `Target` (the municipality, its people count, a seeded random generator of
its own) and adds its objects in proportion to the size, so a benchmark of the large
municipality shows the track's pages as a municipality of that size would fill them. It returns
a short summary line for the command's output.
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection

from . import actions, orgfile
from .demo import DEMO_PASSWORD, FIRST_NAMES, JOB_TITLES, LAST_NAMES, PROFESSIONAL_AREAS
from .models import Membership, Municipality, Person, Role, Unit

# The level names of the generated tree, from the root down (deeper levels reuse the last).
LEVEL_NAMES = ["Direktionen", "Center", "Område", "Institution", "Team"]
# One person in this many also works in a second unit (two lines in the file).
SECOND_UNIT_EVERY = 25


@dataclass
class Target:
    """What a track's generator function gets."""

    municipality: Municipality
    people: int
    rng: random.Random


TrackGenerator = Callable[[Target], str]
_TRACK_GENERATORS: dict[str, TrackGenerator] = {}


def register(name: str, generator: TrackGenerator) -> None:
    """Add a track's objects to every generated municipality (call from `AppConfig.ready`)."""
    _TRACK_GENERATORS[name] = generator


def add_track_objects(municipality: Municipality, *, seed: int) -> list[str]:
    """Run every registered track generator on `municipality`; each gets a random generator
    seeded from `seed`, the municipality and its own name, so adding a track does not change the others' data."""
    people = Person.objects.filter(municipality=municipality, is_active=True).count()
    return [
        f"{name}: {generator(Target(municipality, people, random.Random(f'{seed}:{municipality.slug}:{name}')))}"
        # In the order the apps registered them (INSTALLED_APPS): a later track reads the earlier
        # ones' objects, as pilots are made from track 2's use cases. Sorted by name, "pilots"
        # came before "practice" and found no use case, so the large municipality had no pilots.
        for name, generator in _TRACK_GENERATORS.items()
    ]


@dataclass
class Generated:
    municipality: Municipality
    people: int
    units: int
    lines: int
    logins: dict[str, str] = field(default_factory=dict)  # persona kind -> username
    tracks: list[str] = field(default_factory=list)


def level_sizes(units: int, levels: int) -> list[int]:
    """How many units on each level: one root, then a tree that widens by the same factor per
    level, so that the levels add up to `units`."""
    if levels < 2 or units < levels:
        raise ValueError("need at least two levels and one unit per level")
    low, high = 1.0, float(units)
    for _ in range(100):  # bisection on the widening factor
        factor = (low + high) / 2
        if sum(factor**d for d in range(levels)) > units:
            high = factor
        else:
            low = factor
    sizes = [max(1, round(low**d)) for d in range(levels)]
    sizes[0] = 1
    sizes[-1] = units - sum(sizes[:-1])
    return sizes


def organisation_lines(*, people: int, units: int, levels: int, seed: int, slug: str) -> list[list[str]]:
    """The organisation file's lines (without the header): every unit has a leader, everyone
    else works in a unit on the lowest level, and one in SECOND_UNIT_EVERY also in a second."""
    rng = random.Random(seed)
    sizes = level_sizes(units, levels)
    # paths[d][i]: the name path of unit i on level d. Units on a level are split evenly and in
    # order among the units above, so the tree is balanced and the same every time.
    paths: list[list[str]] = [[LEVEL_NAMES[0]]]
    areas_of: list[list[str]] = [["Administration"]]
    for depth in range(1, levels):
        above = sizes[depth - 1]
        level_name = LEVEL_NAMES[min(depth, len(LEVEL_NAMES) - 1)]
        paths.append([])
        areas_of.append([])
        for i in range(sizes[depth]):
            parent = i * above // sizes[depth]
            paths[depth].append(f"{paths[depth - 1][parent]}{orgfile.PATH_SEPARATOR}{level_name} {i + 1}")
            # A centre's professional area is its staff's.
            area = PROFESSIONAL_AREAS[i % len(PROFESSIONAL_AREAS)] if depth == 1 else areas_of[depth - 1][parent]
            areas_of[depth].append(area)

    lines: list[list[str]] = []
    number = 100000

    def line(path: str, area: str, *, leader: bool, title: str | None = None) -> list[str]:
        nonlocal number
        number += 1
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        title = title or rng.choice(JOB_TITLES[area])
        return [str(number), name, f"p{number}@{slug}.example", path, title, area, "ja" if leader else "nej"]

    for depth in range(levels):
        level = LEVEL_NAMES[min(depth, len(LEVEL_NAMES) - 1)].lower()
        title = "Kommunaldirektør" if depth == 0 else f"Leder af {level}"
        for path, area in zip(paths[depth], areas_of[depth], strict=True):
            lines.append(line(path, area, leader=True, title=title))
    leaves = list(zip(paths[-1], areas_of[-1], strict=True))
    staff = max(0, people - len(lines))
    for n in range(staff):
        path, area = leaves[n * len(leaves) // staff]
        lines.append(line(path, area, leader=False))
        if n % SECOND_UNIT_EVERY == SECOND_UNIT_EVERY - 1:
            # The same person, also in the team next door (a shared position).
            other, _ = leaves[(n * len(leaves) // staff + 1) % len(leaves)]
            lines.append([*lines[-1][:3], other, lines[-1][4], area, "nej"])
    return lines


def generate_municipality(
    *, name: str, slug: str, people: int = 45_000, units: int = 2_000, levels: int = 5, seed: int = 2026
) -> Generated:
    """Create the municipality through the import path; see the module's docstring."""
    municipality, admin = actions.create_municipality(
        name=name,
        slug=slug,
        root_unit_name=LEVEL_NAMES[0],
        admin_name="Generator Administrator",
        admin_username=f"{slug}-opsaetning",
    )
    municipality.level_names = ["Direktion", *LEVEL_NAMES[1:]]
    municipality.save(update_fields=["level_names"])
    lines = organisation_lines(people=people, units=units, levels=levels, seed=seed, slug=slug)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([c.header for c in orgfile.COLUMNS])
    writer.writerows(lines)
    data = buffer.getvalue().encode("utf-8")
    parsed = orgfile.parse(data, f"{slug}.csv", existing_roots=[LEVEL_NAMES[0]], max_bytes=len(data))
    if not parsed.ok:
        raise ValueError(f"the generated file does not pass the import's checks: {parsed.errors[:3]}")
    actions.import_organisation(actor=None, municipality=municipality, rows=parsed.rows, source_name=f"{slug}.csv")
    logins = _personas(municipality, admin, slug)
    tracks = add_track_objects(municipality, seed=seed)
    refresh_database_statistics()
    return Generated(
        municipality=municipality,
        people=Person.objects.filter(municipality=municipality).count(),
        units=Unit.objects.filter(municipality=municipality).count(),
        lines=len(lines),
        logins=logins,
        tracks=tracks,
    )


def _personas(municipality: Municipality, setup_admin: Person, slug: str) -> dict[str, str]:
    """Roles and logins for each of the demo's persona kinds, with the demo's password."""
    m = municipality.pk
    root = Unit.objects.get(municipality_id=m, parent__isnull=True)
    centre = Unit.objects.filter(municipality_id=m, depth=1).order_by("path").first()
    assert centre is not None
    team = Unit.objects.filter(municipality_id=m, path__startswith=centre.path).order_by("-depth", "path").first()
    assert team is not None and team.parent is not None

    def leader_of(unit: Unit) -> Person:
        return Membership.objects.select_related("person").get(municipality_id=m, unit=unit, is_leader=True).person

    staff = [
        membership.person
        for membership in Membership.objects.filter(municipality_id=m, unit=team, is_leader=False)
        .select_related("person")
        .order_by("person__employee_id")[:6]
    ]
    chosen: dict[str, tuple[Person, list[tuple[Role, Unit]]]] = {
        "direktion": (leader_of(root), [(Role.EXECUTIVE, root)]),
        "centerchef": (leader_of(centre), []),
        "teamleder": (leader_of(team), []),
        "medarbejder": (staff[0], []),
        "fyrtaarn": (staff[1], [(Role.LIGHTHOUSE, team.parent)]),
        "it": (staff[2], [(Role.IT, root)]),
        "med": (staff[3], [(Role.MED, root)]),
        "admin": (staff[4], [(Role.ADMIN, root)]),
    }
    # An external facilitator, as in the demo: no employee number, so the file leaves them be.
    facilitator = Person.objects.create(municipality=municipality, name="Birgit Kobberup")
    chosen["facilitator"] = (facilitator, [(Role.FACILITATOR, root)])
    password = make_password(DEMO_PASSWORD)
    User = get_user_model()
    logins = {}
    for kind, (person, roles) in chosen.items():
        for role, unit in roles:
            actions.grant_role(actor=setup_admin, person=person, role=role, unit=unit)
        username = f"{slug}-{kind}"
        user = User.objects.create(username=username, password=password)
        person.user = user
        person.save(update_fields=["user"])
        logins[kind] = username
    return logins


def refresh_database_statistics() -> None:
    """ANALYZE the whole database, so the planner knows the new sizes at once. On PostgreSQL,
    outside a transaction, VACUUM as well: freshly bulk-inserted tables have no visibility map,
    so a count over 45,000 people reads every row from the table instead of the index until
    autovacuum comes by. A municipality that has run for a while is vacuumed; the benchmarks
    should measure that, not the first minutes after an import."""
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)" if vacuum else "ANALYZE")
