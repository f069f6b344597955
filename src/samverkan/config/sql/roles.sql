-- Samverkan: the PostgreSQL roles and the database. Once, as a superuser:
--   psql -U postgres -v ON_ERROR_STOP=1 -v database=samverkan \
--        -v owner_password=... -v app_password=... -f src/samverkan/config/sql/roles.sql
-- (docs/operations.md, "PostgreSQL roles"). Two roles: samverkan_owner owns the schema and
-- runs migrations; samverkan_app is what the web processes, the sealer and the sweep use.
CREATE ROLE samverkan_owner LOGIN PASSWORD :'owner_password';
CREATE ROLE samverkan_app LOGIN PASSWORD :'app_password';
CREATE DATABASE :"database" OWNER samverkan_owner;
REVOKE ALL ON DATABASE :"database" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"database" TO samverkan_app;
