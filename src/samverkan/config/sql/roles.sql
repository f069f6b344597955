-- Samverkan: the PostgreSQL roles and the database. Once, as a superuser:
--   psql -U postgres -v ON_ERROR_STOP=1 -v database=samverkan \
--        -v owner_password=... -v app_password=... -f src/samverkan/config/sql/roles.sql
-- (docs/operations.md, "PostgreSQL roles"). Two roles: the owner (samverkan_owner) owns
-- the schema and runs migrations; the application role (samverkan_app) is what the web
-- processes, the sealer and the sweep use. Other names, for example for a test instance
-- on the same server: -v owner_role=... -v app_role=...
\if :{?owner_role}
\else
\set owner_role samverkan_owner
\endif
\if :{?app_role}
\else
\set app_role samverkan_app
\endif
CREATE ROLE :"owner_role" LOGIN PASSWORD :'owner_password';
CREATE ROLE :"app_role" LOGIN PASSWORD :'app_password';
CREATE DATABASE :"database" OWNER :"owner_role";
REVOKE ALL ON DATABASE :"database" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"database" TO :"app_role";
