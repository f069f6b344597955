"""`samverkan makemessages`: Django's command with the repository's settings built in
(docs/i18n.md), so that every run writes the English catalogue the same way:

- entries sorted by msgid (`--sort-output` to xgettext, msguniq and msgmerge), so that
  two branches adding strings touch different places of the `.po` and merge cleanly;
- file names but no line numbers in the location comments (`--add-location=file`), so
  that editing a template does not change the `.po`;
- strings that no longer exist are dropped, not kept as `#~` (`--no-obsolete`).
"""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--sort-output"]
    msguniq_options = [*makemessages.Command.msguniq_options, "--sort-output"]
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--sort-output"]

    def handle(self, *args, **options):
        if not options.get("add_location"):
            options["add_location"] = "file"
        options["no_obsolete"] = True
        return super().handle(*args, **options)
