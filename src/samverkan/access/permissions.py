"""Permission codes a staff function can carry. A function (rektor, kurator, ...) is
given a set of these; nothing is allowed that is not listed (deny by default)."""

from django.db import models
from django.utils.translation import gettext_lazy


class Permission(models.TextChoices):
    PEOPLE_VIEW = "people.view", gettext_lazy("Se barn som den egna verksamheten har ärende om")
    PEOPLE_REGISTER = (
        "people.register",
        gettext_lazy("Registrera barn och verksamhetens kontakt med barnet"),
    )
    PEOPLE_PROTECTED = (
        "people.protected",
        gettext_lazy(
            "Se adress och skola för barn med skyddade personuppgifter (när behov är registrerat)"
        ),
    )
    AUDIT_VIEW = "audit.view", gettext_lazy("Loggkontroll för den egna organisationen")
    DIRECTORY_MANAGE = (
        "directory.manage",
        gettext_lazy("Administrera organisation, enheter och personal"),
    )
    DIRECTORY_SYSTEM = (
        "directory.system",
        gettext_lazy("Administrera huvudmän, alla organisationer och deras lokala administratörer"),
    )
    GOVERNANCE_MANAGE = (
        "governance.manage",
        "Strategigrupp: skapa och ändra överenskommelser, rutiner och strategiplan",
    )
    LEGAL_PROPOSE = (
        "legal.propose",
        gettext_lazy("Föreslå ändringar i katalogen över rättsliga grunder"),
    )
    LEGAL_REVIEW = (
        "legal.review",
        gettext_lazy(
            "Granska och fastställa eller avslå ändringar i katalogen över rättsliga grunder"
        ),
    )
