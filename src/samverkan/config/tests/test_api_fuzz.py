"""The JSON API under generated input: schemathesis reads the OpenAPI document and calls
every operation in process (WSGI), inside the test's transaction, with frida's bearer
token (rektor, Frejaskolan).

- Valid and invalid input (positive and negative generation), plus schemathesis's own
  edge cases (examples and coverage).
- Checks: no 5xx; status codes, content types, headers and bodies as the document
  says; invalid input refused with a 4xx; and a 4xx body that says why
  ({"detail", "code"}).
- About half of the generated ids in paths are replaced by ids of real records (any
  model with a ``public_id`` whose name matches the parameter, e.g. ``child_id``), so
  the happy paths and the access rules are reached too, not only "not found".
- Unknown query parameters and body fields are ignored by the API on purpose (a
  tolerant reader), so they are not generated as invalid input.
- Generation is random locally and derandomised when CI is set, so CI is repeatable.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid

import pytest
import schemathesis
from django.apps import apps
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from samverkan.config.api import api

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

MAX_EXAMPLES = int(os.environ.get("SAMVERKAN_FUZZ_EXAMPLES", "40"))
IN_CI = os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}
CALLS: dict[str, int] = {}

# The document /api/openapi.json serves, built when the module is collected (without a
# request, so collection touches no database); the calls go to the WSGI application.
schema = schemathesis.openapi.from_dict(json.loads(json.dumps(api.get_openapi_schema())))
schema.app = get_wsgi_application()
schema.location = "/api/openapi.json"
schema.config.generation.update(
    modes=["positive", "negative"],
    max_examples=MAX_EXAMPLES,
    allow_extra_parameters=False,
    deterministic=IN_CI,
)
# A valid request may still be refused by a rule of the domain (a consent needs another
# party that exists, a plan a known coordinator...): 422 with a reason, checked below.
schema.config.checks.positive_data_acceptance.expected_statuses = [
    *schema.config.checks.positive_data_acceptance.expected_statuses,
    "422",
]

# parameter name ("child_id") -> public ids of real records, filled by `real_ids`.
REAL_IDS: dict[str, list[str]] = {}


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Requests run inside the test's transaction. Django's WSGI handler would close the
    connection around each request (on PostgreSQL that ends the transaction); its test
    client avoids this the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def real_ids(world):
    REAL_IDS.clear()
    for model in apps.get_models():
        if any(f.name == "public_id" for f in model._meta.fields):
            ids = [str(i) for i in model.objects.values_list("public_id", flat=True)[:25]]
            if ids:
                REAL_IDS[f"{model._meta.model_name}_id"] = ids
    yield
    REAL_IDS.clear()


def _is_uuid(value) -> bool:
    try:
        return isinstance(value, str) and str(uuid.UUID(value)) == value.lower()
    except ValueError:
        return False


@schema.hook
def map_path_parameters(context, path_parameters):
    for name, value in (path_parameters or {}).items():
        pool = REAL_IDS.get(name)
        if not pool or not _is_uuid(value):
            continue  # leave invalid values alone: they are meant to be refused
        digest = hashlib.sha256(value.encode()).digest()
        if digest[0] % 2 == 0:
            path_parameters[name] = pool[digest[1] % len(pool)]
    return path_parameters


@pytest.fixture
def bearer(api_token) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_token('frida')}"}


@schema.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_api_conforms_to_its_schema(case, bearer):
    key = case.operation.label
    CALLS[key] = CALLS.get(key, 0) + 1
    response = case.call_and_validate(headers=bearer)
    # A refusal says why, in the API's error shape. (405 is Django's plain "Method not
    # allowed" with an Allow header; schemathesis checks that one itself.)
    if 400 <= response.status_code < 500 and response.status_code != 405:
        body = response.json()
        assert isinstance(body, dict) and body.get("detail") and body.get("code"), (
            f"{case.method} {case.formatted_path}: {response.status_code} without a reason: {body}"
        )
