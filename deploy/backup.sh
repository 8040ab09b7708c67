#!/usr/bin/env bash
# Nightly backup: pg_dump in PostgreSQL's custom format, kept for BACKUP_KEEP_DAYS days.
# Settings (environment): BACKUP_DATABASE (brueckenbau), BACKUP_DIR (/var/backups/brueckenbau),
# BACKUP_KEEP_DAYS (14), and libpq's PGHOST/PGPORT/PGUSER. Copy the files to another machine too.
set -euo pipefail
database=${BACKUP_DATABASE:-brueckenbau}
directory=${BACKUP_DIR:-/var/backups/brueckenbau}
keep_days=${BACKUP_KEEP_DAYS:-14}

mkdir -p "$directory"
file="$directory/$database-$(date +%Y-%m-%d-%H%M).dump"
pg_dump --format=custom --file="$file.partial" "$database"
mv "$file.partial" "$file"
find "$directory" -name "$database-*.dump" -mtime "+$keep_days" -delete
echo "backup written: $file ($(du -h "$file" | cut -f1))"
