-- Samverkan: as samverkan_owner after every `samverkan migrate` (idempotent):
--   psql "$OWNER_DATABASE_URL" -v ON_ERROR_STOP=1 -f src/samverkan/config/sql/grants.sql
--   or: samverkan grants (the same statements through the database connection)
-- The application role may read and write the application's tables, but on the audit
-- tables only SELECT and INSERT: the log is append-only for it (docs/operations.md).
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO samverkan_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO samverkan_app;
REVOKE ALL ON audit_auditevent, audit_auditseal FROM samverkan_app;
GRANT SELECT, INSERT ON audit_auditevent, audit_auditseal TO samverkan_app;
