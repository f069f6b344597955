from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from samverkan.directory import selectors, services


class Command(BaseCommand):
    help = "API-tokens: 'create <användarnamn>' skriver ut en ny bearer-token."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        create = sub.add_parser("create", help="Skapa en token för en användare.")
        create.add_argument("username")
        create.add_argument("--name", default="integration", help="Vad tokenen används till.")
        create.add_argument(
            "--organisation",
            help="Organisationens namn, om användaren arbetar i flera verksamheter.",
        )

    def handle(self, *args, subcommand, username, name, organisation, **options):
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"Det finns ingen aktiv användare med användarnamnet {username}.")
        memberships = list(selectors.active_memberships(user.pk))
        if organisation:
            memberships = [m for m in memberships if m.organisation.name == organisation]
        if not memberships:
            raise CommandError(f"{username} har ingen aktiv roll i någon verksamhet.")
        if len(memberships) > 1:
            names = ", ".join(sorted({m.organisation.name for m in memberships}))
            raise CommandError(f"{username} har flera roller ({names}). Ange --organisation.")
        _, token = services.token_create(actor=None, membership=memberships[0], name=name)
        self.stdout.write(token)
