from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from samverkan.web import twofactor


class Command(BaseCommand):
    help = (
        "Tvåstegsverifiering: 'status <användarnamn>' visar om användaren har en app "
        "aktiverad, 'reset <användarnamn>' tar bort användarens appar (tappad telefon): "
        "vid nästa inloggning aktiverar användaren en ny."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        status = sub.add_parser("status", help="Visa om användaren har en aktiverad app.")
        status.add_argument("username")
        reset = sub.add_parser("reset", help="Ta bort användarens appar.")
        reset.add_argument("username")

    def handle(self, *args, subcommand, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Det finns ingen användare med användarnamnet {username}.")
        if subcommand == "status":
            enrolled = twofactor.confirmed_device(user) is not None
            required = twofactor.required_for(user)
            self.stdout.write(
                f"{username}: app {'aktiverad' if enrolled else 'inte aktiverad'}; "
                f"tvåstegsverifiering {'krävs' if required else 'krävs inte'}."
            )
            return
        removed = twofactor.devices_reset(actor=None, user=user)
        self.stdout.write(
            f"{username}: {removed} app(ar) borttagna. Användaren aktiverar en ny app vid "
            "nästa inloggning."
        )
