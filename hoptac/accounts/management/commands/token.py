"""`hoptac token NAME`: print the user's API token (use with `Authorization: Token <key>`)."""

from django.core.management.base import BaseCommand, CommandError

from hoptac.accounts.models import User
from hoptac.accounts.services import issue_token
from hoptac.core.audit import Actor


class Command(BaseCommand):
    help = "Print a user's API token, creating it if needed."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--renew", action="store_true", help="Replace the existing token.")

    def handle(self, *args, **options):
        try:
            user = User.objects.get(username=options["username"])
        except User.DoesNotExist as exc:
            raise CommandError(f"No user named {options['username']}.") from exc
        if not user.is_active:
            raise CommandError(f"{user.username} is deactivated.")
        self.stdout.write(issue_token(Actor.command(), user, renew=options["renew"]))
