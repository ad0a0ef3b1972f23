#!/bin/sh
# Restore a backup made by deploy/backup.sh into the EMPTY PostgreSQL database at DATABASE_URL
# (create it first: createdb, or CREATE DATABASE). Stop web, worker and beat meanwhile.
#   DATABASE_URL=postgres://user:password@host:5432/name deploy/restore.sh backup.dump
set -eu
: "${DATABASE_URL:?set DATABASE_URL to the empty database to restore into}"
file="${1:?usage: deploy/restore.sh FILE}"
tables=$(psql --dbname="$DATABASE_URL" --tuples-only --no-align \
  --command="SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
if [ "$tables" != "0" ]; then
  echo "The database already has $tables tables: restore into an empty one." >&2
  exit 1
fi
# One transaction: a restore that fails half-way leaves the database empty, not half-full.
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction \
  --dbname="$DATABASE_URL" "$file"
echo "Restored $file"
