-- Samverkan: once, as samverkan_owner, connected to the database, before the first
-- migration: psql "$OWNER_DATABASE_URL" -v ON_ERROR_STOP=1 -f src/samverkan/config/sql/schema.sql
REVOKE CREATE ON SCHEMA public FROM PUBLIC;   -- already so from PostgreSQL 15 on
GRANT USAGE ON SCHEMA public TO samverkan_app;
ALTER DEFAULT PRIVILEGES FOR ROLE samverkan_owner IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO samverkan_app;
ALTER DEFAULT PRIVILEGES FOR ROLE samverkan_owner IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO samverkan_app;
