"""The base of every API input schema: no text longer than the longest text the
product stores (core.bounds.TEXT_DOCUMENT), whatever the field; fields with a
tighter bound say so with ``Field(max_length=bounds.…)``. A test keeps every input
schema on this base (core/tests/test_text_bounds.py)."""

from ninja import Schema
from pydantic import ConfigDict

from . import bounds


class InputSchema(Schema):
    model_config = ConfigDict(str_max_length=bounds.TEXT_DOCUMENT)
