from __future__ import annotations

import time
from typing import Any

from django.core.management.base import CommandError, CommandParser

from forankring.core.demo import DEMO_PASSWORD
from forankring.core.generate import generate_municipality
from forankring.core.management.base import ForankringCommand
from forankring.core.models import Municipality


class Command(ForankringCommand):
    help = (
        "Create a large fictional municipality for measuring (default 45,000 people in 2,000 units on 5 levels) "
        "through the organisation import, with a login for each persona kind and every track's objects in proportion."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", default="Storby Kommune")
        parser.add_argument("--slug", default="storby")
        parser.add_argument("--people", type=int, default=45_000)
        parser.add_argument("--units", type=int, default=2_000)
        parser.add_argument("--levels", type=int, default=5)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args: Any, **options: Any) -> None:
        if Municipality.objects.filter(slug=options["slug"]).exists():
            raise CommandError(f"A municipality with the short name {options['slug']!r} exists already.")
        started = time.monotonic()
        result = generate_municipality(
            name=options["name"],
            slug=options["slug"],
            people=options["people"],
            units=options["units"],
            levels=options["levels"],
            seed=options["seed"],
        )
        seconds = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.municipality.name}: {result.people} people, {result.units} units, "
                f"{result.lines} lines imported, in {seconds:.0f} s."
            )
        )
        for line in result.tracks:
            self.stdout.write(f"  {line}")
        self.stdout.write(f"Logins (password '{DEMO_PASSWORD}'): {', '.join(result.logins.values())}")
