"""`samverkan translations`: keep the English catalogue complete (docs/i18n.md).

    samverkan translations check    # extract into a scratch copy; list what is missing
    samverkan translations update   # extract into the tree's .po; list what is missing
                                    # (first writes web/i18n/data_texts.py from the data
                                    # files, see web/i18n/datatexts.py)
    samverkan translations compile  # write the .mo after the .po has been filled in

`check` exits with status 1 when an English entry is untranslated or fuzzy; the test
`web/tests/test_translations.py` runs the same check in CI.
"""

import contextlib
import shutil

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from samverkan.web.i18n import catalogue, datatexts


class Command(BaseCommand):
    help = "Kontrollera, uppdatera eller kompilera den engelska översättningen."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["check", "update", "compile"])

    def handle(self, *args, action, **options):
        if not shutil.which("xgettext"):
            raise CommandError("GNU gettext saknas: apt-get install gettext")
        if action == "compile":
            # compilemessages also compiles every "locale" folder below the current one
            # (a virtualenv's too): run it in the package only.
            with contextlib.chdir(catalogue.PACKAGE_DIR):
                call_command("compilemessages", locale=["en"], verbosity=0)
            self.stdout.write(f"Kompilerade {catalogue.PACKAGE_DIR / catalogue.CATALOGUE}.")
            return
        if action == "update":
            datatexts.write()
            catalogue.makemessages(catalogue.PACKAGE_DIR)
            po = catalogue.PACKAGE_DIR / catalogue.CATALOGUE
            entries = catalogue.parse(po.read_text(encoding="utf-8"))
        else:
            entries = catalogue.extract_fresh()
        untranslated, fuzzy = catalogue.pending(entries)
        self.stdout.write(catalogue.report(untranslated, fuzzy))
        if action == "check" and (untranslated or fuzzy):
            raise CommandError("Den engelska översättningen är inte komplett.", returncode=1)
