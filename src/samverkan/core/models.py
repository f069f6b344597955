"""Base model every domain record builds on."""

import uuid

from django.db import models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable


class ChoiceLabels:
    """``get_<field>_display()`` without building the field's choices into a mapping on
    every call (decision 0372). Django's ``_get_FIELD_display`` makes
    ``dict(make_hashable(field.flatchoices))`` each time, which hashes every label, so
    a lazy label is translated for every choice of the field (about 120 function calls
    for two choices; the child overview shows eight). Here the mapping is made once per
    field and kept while the field's choices are the same list; the label found is
    forced to a string as Django forces it, in the language active now. Choices from a
    callable (evaluated again each time) take Django's own path."""

    def _get_FIELD_display(self, field):
        choices = field.choices
        if not isinstance(choices, list):
            return super()._get_FIELD_display(field)
        kept = field.__dict__.get("_samverkan_choice_labels")
        if kept is None or kept[0] is not choices:
            kept = (choices, dict(make_hashable(field.flatchoices)))
            field.__dict__["_samverkan_choice_labels"] = kept
        value = getattr(self, field.attname)
        return force_str(kept[1].get(make_hashable(value), value), strings_only=True)


class BaseModel(ChoiceLabels, models.Model):
    """A record with a public id (never expose the integer key), timestamps and an
    optimistic-locking version number."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True


class Submission(models.Model):
    """A form sent or an API call made with a one-time key (``submission_key`` in a
    form, the ``Idempotency-Key`` header in the API), by one user: the unique pair makes
    a repeat (a double click, a client's retry) find the first one's answer instead of
    creating again (core.idempotency, decision 0110). Kept for a day."""

    # Who sent it: "user:<id>" for a session, "token:<sha-256 of the bearer token>" for
    # the API, "visitor" for someone not logged in (the public report form).
    owner = models.CharField(max_length=80)
    key = models.CharField(max_length=64)
    path = models.CharField(max_length=500)
    status = models.PositiveSmallIntegerField()
    location = models.CharField(max_length=500, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    body = models.BinaryField(blank=True)  # only API answers, replayed as they were
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "key"], name="submission_once_per_owner")
        ]
        indexes = [models.Index(fields=["created_at"], name="submission_created")]

    def __str__(self):
        return f"{self.owner} {self.key}"
