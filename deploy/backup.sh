#!/bin/sh
# Back up the PostgreSQL database at DATABASE_URL to one file (pg_dump's custom format:
# compressed, and restorable table by table).
#   DATABASE_URL=postgres://user:password@host:5432/name deploy/backup.sh backup.dump
set -eu
: "${DATABASE_URL:?set DATABASE_URL to the database to back up}"
file="${1:?usage: deploy/backup.sh FILE}"
# Ownership and grants are left out: the restored copy belongs to whoever restores it.
pg_dump --format=custom --no-owner --no-privileges --dbname="$DATABASE_URL" --file="$file"
echo "Backed up to $file"
