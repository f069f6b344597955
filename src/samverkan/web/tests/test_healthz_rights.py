"""/healthz when the application role may not read the sealer's row (decision 0371):
on a clone of the test database, outside a transaction, as in production."""

from __future__ import annotations

import pytest
from django.db import connection

from samverkan.audit import lag
from samverkan.audit import services as audit


@pytest.mark.usefixtures("concurrent_db")
def test_a_probe_that_may_not_read_the_sealers_row_still_answers(client, caplog):
    """PostgreSQL, outside a transaction as in production: a role that may not read the
    sealer's row (grants.sql not run after the upgrade) gets the lag computed from the
    tables and a log line, not a 503 that would take the web out of the load balancer."""
    if connection.vendor != "postgresql":
        pytest.skip("roles and rights: PostgreSQL")
    role = "samverkan_test_probe_role"
    lag._last_error.clear()
    audit.seal_pending()
    for number in range(2):
        audit.event_record(
            actor=None, action="read", resource_type="test.thing", resource_id=str(number)
        )
    with connection.cursor() as cursor:
        cursor.execute(f"DROP ROLE IF EXISTS {role}")
        cursor.execute(f"CREATE ROLE {role} NOLOGIN")
        cursor.execute(f"GRANT USAGE ON SCHEMA public TO {role}")
        cursor.execute(f"GRANT SELECT ON audit_auditevent, audit_auditseal TO {role}")
        cursor.execute(f"SET ROLE {role}")
    try:
        response = client.get("/healthz")
        assert response.status_code == 200
        assert response.json()["audit_sealer"]["unsealed"] == 2
        assert "the sealer's row could not be read" in caplog.text
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
            cursor.execute(f"DROP OWNED BY {role}")
            cursor.execute(f"DROP ROLE {role}")
