from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from forankring.core.demo import DEMO_PASSWORD, load_demo
from forankring.core.management.base import ForankringCommand
from forankring.core.models import Municipality


class Command(ForankringCommand):
    help = "Load the fictional demo municipalities, unless the database already holds a municipality."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when any municipality exists.")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args: Any, **options: Any) -> None:
        if Municipality.objects.exists():
            if options["if_empty"]:
                self.stdout.write("The database already holds data; the demo was not loaded again.")
                return
            self.stderr.write("The database already holds municipalities. Use an empty database for the demo.")
            raise SystemExit(1)
        result = load_demo(seed=options["seed"])
        self.stdout.write(
            self.style.SUCCESS(f"Loaded {len(result.municipalities)} demo municipalities with {result.people} people.")
        )
        self.stdout.write(f"Demo logins (password '{DEMO_PASSWORD}'): {', '.join(result.logins)}")
