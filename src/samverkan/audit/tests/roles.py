"""A database role with the sealer's rights, for tests of what the sealer does when a
right is missing (an upgrade whose grants.sql was not run). PostgreSQL only."""

from __future__ import annotations

from contextlib import contextmanager

from django.db import connection


@contextmanager
def sealer_role(role: str, *, sealer_state: str):
    """Create ``role`` with the rights the sealer needs on the log's tables (as
    grants.sql gives every table), ``sealer_state`` on the sealer's row (decision
    0371), and act as it until the block ends."""
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {role} NOLOGIN")
        cursor.execute(f"GRANT USAGE ON SCHEMA public TO {role}")
        cursor.execute(f"GRANT SELECT, INSERT ON audit_auditevent, audit_auditseal TO {role}")
        # The names the sealer records (decision 0368).
        cursor.execute(f"GRANT SELECT, INSERT ON audit_auditname TO {role}")
        cursor.execute(f"GRANT USAGE ON SEQUENCE audit_auditname_id_seq TO {role}")
        cursor.execute(f"GRANT {sealer_state} ON audit_sealerstate TO {role}")
        cursor.execute(f"SET ROLE {role}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
