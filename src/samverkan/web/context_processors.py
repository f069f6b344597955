from django.conf import settings


def product(request):
    actor = getattr(request, "actor", None)
    return {
        "municipality_name": settings.SAMVERKAN["MUNICIPALITY_NAME"],
        "actor": actor,
        # An e-legitimation login below the level needed for personal data: say so on
        # every page, instead of only refusing the pages.
        "assurance_insufficient": bool(
            actor is not None and actor.is_authenticated and not actor.assurance_sufficient
        ),
        "required_assurance_level": settings.SAMVERKAN["REQUIRED_ASSURANCE_LEVEL"],
    }
