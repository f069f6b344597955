-- Samverkan: as the owner role after every `samverkan migrate` (idempotent):
--   samverkan grants [--app-role NAME]   (these statements, then the checks of check_grants.sql)
--   or: psql "$OWNER_DATABASE_URL" -v ON_ERROR_STOP=1 -v app_role=samverkan_app -f grants.sql
-- The application role may read and write the application's tables, but on the audit
-- tables and their monthly partitions only SELECT and INSERT: the log is append-only for
-- it (docs/operations.md).
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :"app_role";
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO :"app_role";
REVOKE ALL ON audit_auditevent, audit_auditseal FROM :"app_role";
GRANT SELECT, INSERT ON audit_auditevent, audit_auditseal TO :"app_role";
-- The audit log's monthly partitions: the grant on ALL TABLES above reached them too.
SELECT audit_partitions_revoke_changes();
-- The sealer creates the coming months' partitions through this function (it runs with
-- the owner's rights and gives a new partition no more than the parent table has).
GRANT EXECUTE ON FUNCTION audit_partitions_ensure(timestamptz, timestamptz) TO :"app_role";
