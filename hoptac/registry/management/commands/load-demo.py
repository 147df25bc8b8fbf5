"""`hoptac load-demo`: the demo registry and demo accounts (once; later runs reuse them)."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import import_string

from hoptac.accounts.models import Agency, User
from hoptac.accounts.services import create_user
from hoptac.core.appconfig import domain_configs
from hoptac.core.audit import Actor
from hoptac.geo.models import AdministrativeUnit
from hoptac.registry import demo
from hoptac.registry.models import Organisation

DEMO_PASSWORD = "hoptac-demo"
# (user name, role, unit ref or None, what the account shows)
DEMO_USERS = [
    ("admin", "admin", None, "national administrator"),
    ("quangtri", "officer", "44", "officer of Quảng Trị province (today's)"),
    ("vinhlinh", "officer", "464", "officer of the former Vĩnh Linh district"),
    ("lamdong", "viewer", "68", "viewer for Lâm Đồng province (includes the former Bình Thuận)"),
]


def demo_builders() -> list[str]:
    """Each domain adds its demo records after the registry exists (`AppConfig.demo_builder`)."""
    configs = sorted((c for c in domain_configs() if c.demo_builder), key=lambda c: c.demo_stage)
    return [c.demo_builder for c in configs if c.demo_builder]


class Command(BaseCommand):
    help = "Load the demo registry and accounts. Needs `hoptac load-units` first. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2025)
        parser.add_argument(
            "--communes", type=int, default=None, help="A smaller demo: this many former communes per area."
        )

    def handle(self, *args, **options):
        if not AdministrativeUnit.objects.exists():
            raise CommandError("No administrative units: run `hoptac load-units` first.")
        if User.objects.filter(username="admin").exists():
            self.stdout.write("Demo data already loaded; reusing it.")
        else:
            started = time.perf_counter()
            with transaction.atomic():
                counts = demo.build(options["seed"], communes=options["communes"])
                self._users()
                for path in demo_builders():
                    import_string(path)(options["seed"])
            summary = ", ".join(f"{n} {kind}" for kind, n in counts.items())
            self.stdout.write(
                self.style.SUCCESS(f"Demo registry: {summary} in {time.perf_counter() - started:.1f} s")
            )
        self.stdout.write(f"\nDemo accounts (password: {DEMO_PASSWORD}):")
        extra = [
            (
                "pktht",
                "officer",
                None,
                "Phòng Kinh tế và Hạ tầng of the former Vĩnh Linh district: leads tasks",
            ),
            ("htx", "cooperative", None, "account of one cooperative"),
        ]
        for username, role, _ref, what in DEMO_USERS + extra:
            if User.objects.filter(username=username).exists():
                self.stdout.write(f"  {username:10} {role:12} {what}")
        self.stdout.write(f"Open http://127.0.0.1:{self._port()}/ and sign in.\n")

    def _users(self):
        actor = Actor.command()
        for username, role, ref, _what in DEMO_USERS:
            unit = AdministrativeUnit.objects.get_by_ref(ref) if ref else None
            create_user(actor, username, role, DEMO_PASSWORD, unit=unit)
        # A department of the former Vĩnh Linh district that leads tasks (exists once load-plans has run).
        department = Agency.objects.filter(unit__code="464", name="Phòng Kinh tế và Hạ tầng").first()
        if department:
            create_user(actor, "pktht", "officer", DEMO_PASSWORD, agency=department)
        cooperative = Organisation.objects.filter(kind="htx", status="active").order_by("id").first()
        if cooperative:
            create_user(actor, "htx", "cooperative", DEMO_PASSWORD, organisation=cooperative)

    def _port(self):
        import os

        return os.environ.get("PORT", "8000")
