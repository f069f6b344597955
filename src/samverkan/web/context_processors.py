from django.conf import settings


def product(request):
    actor = getattr(request, "actor", None)
    return {
        "municipality_name": settings.SAMVERKAN["MUNICIPALITY_NAME"],
        "actor": actor,
    }
