#!/bin/sh
# First start of the compose file's PostgreSQL container only (an empty data volume):
# the two roles and the database (roles.sql), then the schema's default privileges as
# the owner (schema.sql). Passwords come from the container's environment.
set -eu
psql -v ON_ERROR_STOP=1 -U "$POSTGRES_USER" -d postgres \
    -v database=samverkan \
    -v owner_password="$SAMVERKAN_OWNER_DB_PASSWORD" \
    -v app_password="$SAMVERKAN_APP_DB_PASSWORD" \
    -f /samverkan-sql/roles.sql
# (During initialisation the server listens on its Unix socket only, trusted locally.)
psql -v ON_ERROR_STOP=1 -U samverkan_owner -d samverkan -f /samverkan-sql/schema.sql
