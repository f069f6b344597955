"""Permission codes a staff function can carry. A function (rektor, kurator, ...) is
given a set of these; nothing is allowed that is not listed (deny by default)."""

from django.db import models


class Permission(models.TextChoices):
    PEOPLE_VIEW = "people.view", "Se barn som den egna verksamheten har ärende om"
    PEOPLE_REGISTER = "people.register", "Registrera barn och verksamhetens kontakt med barnet"
    PEOPLE_PROTECTED = (
        "people.protected",
        "Se adress och skola för barn med skyddade personuppgifter (när behov är registrerat)",
    )
    AUDIT_VIEW = "audit.view", "Loggkontroll för den egna organisationen"
    DIRECTORY_MANAGE = "directory.manage", "Administrera organisation, enheter och personal"
    DIRECTORY_SYSTEM = (
        "directory.system",
        "Administrera huvudmän, alla organisationer och deras lokala administratörer",
    )
    GOVERNANCE_MANAGE = (
        "governance.manage",
        "Strategigrupp: skapa och ändra överenskommelser, rutiner och strategiplan",
    )
