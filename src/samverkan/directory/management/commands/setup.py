"""`samverkan setup`: the first run on an empty database. Creates the first huvudman,
organisation and system administrator, interactively or from arguments
(docs/operations.md)."""

from __future__ import annotations

import getpass
import sys

from django.core.management.base import BaseCommand, CommandError

from samverkan.core.errors import DomainError
from samverkan.directory import administration, selectors
from samverkan.directory.models import OrganisationType, PrincipalKind

QUESTIONS = [
    ("principal", "Huvudmannens namn (t.ex. Exempelkommun)", None),
    ("principal_kind", "Typ av huvudman", PrincipalKind),
    ("organisation", "Första organisationens namn (t.ex. Kommunens IT-enhet)", None),
    ("org_type", "Typ av organisation", OrganisationType),
    ("first_name", "Systemadministratörens förnamn", None),
    ("last_name", "Systemadministratörens efternamn", None),
    ("username", "Användarnamn", None),
    ("email", "E-post (frivilligt)", None),
    ("personnummer", "Personnummer för inloggning med e-legitimation (ÅÅÅÅMMDD-NNNN)", None),
    ("hsa_id", "HSA-id (frivilligt)", None),
]


class Command(BaseCommand):
    help = (
        "Första start: skapar den första huvudmannen, organisationen och "
        "systemadministratören i en tom databas. Frågar efter det som inte ges som flaggor."
    )

    def add_arguments(self, parser):
        parser.add_argument("--principal", help="Huvudmannens namn.")
        parser.add_argument(
            "--principal-kind", default=None, choices=PrincipalKind.values, help="Standard: kommun."
        )
        parser.add_argument("--organisation", help="Den första organisationens namn.")
        parser.add_argument(
            "--org-type", default=None, choices=OrganisationType.values, help="Standard: annan."
        )
        parser.add_argument("--first-name")
        parser.add_argument("--last-name")
        parser.add_argument("--username")
        parser.add_argument("--email", default=None)
        parser.add_argument("--personnummer", default=None)
        parser.add_argument("--hsa-id", default=None)
        parser.add_argument(
            "--password-from-env",
            metavar="VARIABLE",
            help="Lösenordsinloggning för den första organisationen, med lösenordet i den "
            "namngivna miljövariabeln (annars bara e-legitimation).",
        )
        parser.add_argument(
            "--no-input", action="store_true", help="Fråga inte; alla uppgifter ges som flaggor."
        )

    def handle(self, *args, **options):
        if not selectors.is_empty():
            raise CommandError(
                "Samverkan är redan installerat: det finns organisationer. Logga in som "
                "systemadministratör och fortsätt på sidorna för administration."
            )
        answers = {
            "principal": options["principal"],
            "principal_kind": options["principal_kind"],
            "organisation": options["organisation"],
            "org_type": options["org_type"],
            "first_name": options["first_name"],
            "last_name": options["last_name"],
            "username": options["username"],
            "email": options["email"],
            "personnummer": options["personnummer"],
            "hsa_id": options["hsa_id"],
        }
        interactive = not options["no_input"] and sys.stdin.isatty()
        defaults = {"principal_kind": "kommun", "org_type": "annan"}
        for key, question, choices in QUESTIONS:
            if answers[key] is not None:
                continue
            if not interactive:
                answers[key] = defaults.get(key, "")
                continue
            if choices is not None:
                hint = ", ".join(choices.values)
                question = f"{question} ({hint}) [{defaults[key]}]"
            answers[key] = input(f"{question}: ").strip() or defaults.get(key, "")
        password = ""  # nosec B105
        if options["password_from_env"]:
            import os

            password = os.environ.get(options["password_from_env"], "")
            if not password:
                raise CommandError(f"Miljövariabeln {options['password_from_env']} är tom.")
        elif interactive and not answers["personnummer"] and not answers["hsa_id"]:
            password = getpass.getpass(
                "Lösenord (organisationen loggar då in med lösenord och tvåstegsverifiering): "
            )
        try:
            membership = administration.first_system_administrator(
                principal_name=answers["principal"],
                principal_kind=answers["principal_kind"],
                organisation_name=answers["organisation"],
                org_type=answers["org_type"],
                first_name=answers["first_name"],
                last_name=answers["last_name"],
                username=answers["username"],
                email=answers["email"],
                personnummer=answers["personnummer"],
                hsa_id=answers["hsa_id"],
                password=password,
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        user = membership.user
        self.stdout.write(
            self.style.SUCCESS(
                f"Klart. {user.get_full_name()} ({user.username}) är systemadministratör i "
                f"{membership.organisation.name}, {membership.organisation.principal.name}."
            )
        )
        how = (
            "med användarnamn och lösenord"
            if password
            else "med e-legitimation (personnummer eller HSA-id)"
        )
        self.stdout.write(
            f"Logga in {how} och fortsätt under Administration: organisationer, lokala "
            "administratörer, import av personal."
        )
