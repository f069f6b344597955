-- Samverkan: once, as the owner role, connected to the database, before the first
-- migration: psql "$OWNER_DATABASE_URL" -v ON_ERROR_STOP=1 -f src/samverkan/config/sql/schema.sql
-- (with -v app_role=... if the application role is not called samverkan_app).
\if :{?app_role}
\else
\set app_role samverkan_app
\endif
REVOKE CREATE ON SCHEMA public FROM PUBLIC;   -- already so from PostgreSQL 15 on
GRANT USAGE ON SCHEMA public TO :"app_role";
-- Tables and sequences the owner (the role running this file) creates from now on.
ALTER DEFAULT PRIVILEGES IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"app_role";
ALTER DEFAULT PRIVILEGES IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO :"app_role";
