-- Samverkan: every row but INSERT and SELECT must say f (false).
SELECT t AS table_name, p AS privilege, has_table_privilege('samverkan_app', t, p)
FROM unnest(ARRAY['audit_auditevent', 'audit_auditseal']) AS t,
     unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES',
                  'TRIGGER']) AS p
ORDER BY 1, 2;
