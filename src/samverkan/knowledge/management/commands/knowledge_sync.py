"""`samverkan knowledge_sync`: add catalogue entries that a newer release brings.
Entries that exist (edited or not) are never changed."""

from django.core.management.base import BaseCommand

from samverkan.knowledge import services


class Command(BaseCommand):
    help = "Lägg till nya poster från grundkatalogen i kunskapsstödet (ändrar inga befintliga)."

    def handle(self, *args, **options):
        added = services.catalogue_sync(actor=None)
        total = sum(added.values())
        if total:
            details = ", ".join(f"{kind}: {count}" for kind, count in added.items() if count)
            self.stdout.write(self.style.SUCCESS(f"{total} nya poster ({details})."))
        else:
            self.stdout.write("Kunskapsstödet har redan alla poster i grundkatalogen.")
