"""The standard staff functions every installation starts with (loaded by migration
0002). Administrators may add more. Permission codes: samverkan.access.permissions."""

VIEW = "people.view"
REGISTER = "people.register"
PROTECTED = "people.protected"
AUDIT = "audit.view"
MANAGE = "directory.manage"
SYSTEM = "directory.system"

FUNCTIONS: list[tuple[str, str, str, list[str]]] = [
    ("rektor", "Rektor", "Leder skolans arbete och ansvarar för elevhälsan.", [VIEW, REGISTER]),
    ("mentor", "Mentor", "Lärare med särskilt ansvar för en elev eller klass.", [VIEW]),
    ("larare", "Lärare", "Undervisar och ser eleven varje dag.", [VIEW]),
    ("forskolechef", "Förskolechef", "Leder förskolans arbete.", [VIEW, REGISTER]),
    ("forskollarare", "Förskollärare", "Undervisar och ser barnet varje dag.", [VIEW]),
    ("kurator", "Kurator", "Psykosocial insats inom elevhälsan.", [VIEW, REGISTER]),
    ("skolskoterska", "Skolsköterska", "Medicinsk insats inom elevhälsan.", [VIEW, REGISTER]),
    ("psykolog", "Psykolog", "Psykologisk bedömning och behandling.", [VIEW, REGISTER]),
    ("specialpedagog", "Specialpedagog", "Specialpedagogisk insats.", [VIEW]),
    (
        "mottagningssekreterare",
        "Mottagningssekreterare",
        "Tar emot anmälningar och ansökningar i socialtjänstens mottagning.",
        [VIEW, REGISTER, PROTECTED],
    ),
    (
        "socialsekreterare",
        "Socialsekreterare",
        "Handlägger ärenden om barn och unga.",
        [VIEW, REGISTER, PROTECTED],
    ),
    ("enhetschef", "Enhetschef", "Leder en enhet.", [VIEW, REGISTER, PROTECTED]),
    ("lakare", "Läkare", "Medicinsk bedömning och behandling.", [VIEW, REGISTER]),
    ("sjukskoterska", "Sjuksköterska", "Omvårdnad, t.ex. på BVC.", [VIEW, REGISTER]),
    ("samordnare", "Samordnare", "Samordnar en SIP eller ett forum.", [VIEW]),
    (
        "administrator",
        "Administratör",
        "Administrerar organisation, enheter och personal. Ser inte barns uppgifter.",
        [MANAGE, AUDIT],
    ),
    (
        "systemadministrator",
        "Systemadministratör",
        "Administrerar huvudmän, organisationer, enheter och organisationernas lokala "
        "administratörer. Ser inte barns uppgifter.",
        [SYSTEM, MANAGE],
    ),
    (
        "granskare",
        "Granskare",
        "Gör loggkontroll: följer upp vem som har tagit del av uppgifter.",
        [AUDIT],
    ),
]
