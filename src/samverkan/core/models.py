"""Base model every domain record builds on."""

import uuid

from django.db import models


class BaseModel(models.Model):
    """A record with a public id (never expose the integer key), timestamps and an
    optimistic-locking version number."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True
