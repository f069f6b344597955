-- Samverkan: the application role's privileges on the audit tables. Every row but
-- INSERT and SELECT must say f (false).
SELECT t AS table_name, p AS privilege, has_table_privilege(:'app_role', t, p)
FROM unnest(ARRAY['audit_auditevent', 'audit_auditseal']) AS t,
     unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES',
                  'TRIGGER']) AS p
ORDER BY 1, 2;
-- and on the monthly partitions: no row at all may come back.
SELECT c.relname, p FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid,
     unnest(ARRAY['UPDATE', 'DELETE', 'TRUNCATE']) AS p
WHERE i.inhparent IN ('audit_auditevent'::regclass, 'audit_auditseal'::regclass)
  AND has_table_privilege(:'app_role', c.oid, p)
ORDER BY 1, 2;
