"""`hoptac user add NAME --role ROLE [--unit CODE | --organisation TAXCODE] --password-stdin`."""

import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from hoptac.accounts.models import Role
from hoptac.accounts.services import create_user
from hoptac.core.audit import Actor
from hoptac.geo.models import AdministrativeUnit
from hoptac.registry.models import Organisation, normalise_tax_code


class Command(BaseCommand):
    help = "Manage accounts."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="Create an account.")
        add.add_argument("username")
        add.add_argument("--role", required=True, choices=Role.values)
        scope = add.add_mutually_exclusive_group()
        scope.add_argument(
            "--unit", help="Scope: a unit ref (44, 19363, a district code such as 464, or old:45)."
        )
        scope.add_argument("--organisation", help="Tax code of the organisation (role cooperative).")
        add.add_argument("--email", default="")
        add.add_argument(
            "--password-stdin", action="store_true", help="Read the password from standard input."
        )

    def handle(self, *args, **options):
        if options["action"] == "add":
            self.add(options)

    def add(self, options):
        if not options["password_stdin"]:
            raise CommandError(
                "Give the password on standard input with --password-stdin (never on the command line)."
            )
        password = sys.stdin.readline().rstrip("\n")
        unit = organisation = None
        if options["unit"]:
            try:
                unit = AdministrativeUnit.objects.get_by_ref(options["unit"])
            except (ValueError, AdministrativeUnit.DoesNotExist) as exc:
                raise CommandError(
                    f"--unit {options['unit']}: {exc if isinstance(exc, ValueError) else 'no such unit (run load-units?)'}"
                ) from exc
        if options["organisation"]:
            try:
                organisation = Organisation.objects.get(tax_code=normalise_tax_code(options["organisation"]))
            except ValidationError as exc:
                raise CommandError(f"--organisation: {exc.messages[0]}") from exc
            except Organisation.DoesNotExist as exc:
                raise CommandError(
                    f"--organisation {options['organisation']}: no organisation has this tax code."
                ) from exc
        try:
            user = create_user(
                Actor.command(),
                options["username"],
                options["role"],
                password,
                unit=unit,
                organisation=organisation,
                email=options["email"],
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        scope = unit.full_name() if unit else (organisation.name if organisation else "national")
        self.stdout.write(self.style.SUCCESS(f"Created {user.username} ({user.role}, scope: {scope})."))
