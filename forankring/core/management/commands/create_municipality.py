from __future__ import annotations

import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser

from forankring.core.actions import create_municipality
from forankring.core.management.base import ForankringCommand, describe


class Command(ForankringCommand):
    help = "Create a municipality with its top unit and first administrator, and print a one-time password."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help='e.g. "Norddjurs Kommune"')
        parser.add_argument("slug", help='short name used in commands, e.g. "norddjurs"')
        parser.add_argument("--root-unit", default="Direktionen")
        parser.add_argument("--admin-name", required=True)
        parser.add_argument("--admin-username", required=True)
        parser.add_argument("--admin-email", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            municipality, admin = create_municipality(
                name=options["name"],
                slug=options["slug"],
                root_unit_name=options["root_unit"],
                admin_name=options["admin_name"],
                admin_username=options["admin_username"],
                admin_email=options["admin_email"],
            )
        except ValidationError as error:
            raise CommandError(describe(error)) from error
        password = secrets.token_urlsafe(12)
        user = admin.user
        assert user is not None
        if not user.has_usable_password():
            user.set_password(password)
            user.save(update_fields=["password"])
            self.stdout.write(f"One-time password for {user.username}: {password}  (change it after signing in)")
        self.stdout.write(self.style.SUCCESS(f"Created {municipality.name} ({municipality.slug})."))
