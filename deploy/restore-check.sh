#!/usr/bin/env bash
# Restore check: back up DATABASE with pg_dump (or take the given dump file), restore it into a
# fresh database, start the app on the restored copy, and compare every table's row count.
#
#   deploy/restore-check.sh DATABASE [DUMP_FILE]
#
# Uses libpq's PGHOST/PGPORT/PGUSER (default 127.0.0.1, 5432, postgres) and the repository's
# .venv. Exits non-zero if the restore fails, the app does not become ready, or a count differs.
# .ci/run runs it on every change; run it on a real backup now and then.
set -euo pipefail
cd "$(dirname "$0")/.."

source_db=${1:?usage: deploy/restore-check.sh DATABASE [DUMP_FILE]}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
target_db="${source_db}_restore_check"
work=$(mktemp -d)
server_pid=""
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2> /dev/null || true
    dropdb --if-exists "$target_db" > /dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

dump=${2:-$work/backup.dump}
if [ -z "${2:-}" ]; then
    pg_dump --format=custom --file="$dump" "$source_db"
fi
dropdb --if-exists "$target_db"
createdb "$target_db"
pg_restore --no-owner --exit-on-error --dbname="$target_db" "$dump"

counts() {
    local db=$1
    psql -At -d "$db" -c "SELECT table_name FROM information_schema.tables
                          WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1" |
        while read -r table; do
            echo "$table $(psql -At -d "$db" -c "SELECT count(*) FROM \"$table\"")"
        done
}
counts "$source_db" > "$work/source.counts"
counts "$target_db" > "$work/restored.counts"
if ! diff -u "$work/source.counts" "$work/restored.counts"; then
    echo "restore check: row counts differ" >&2
    exit 1
fi
echo "restore check: $(wc -l < "$work/source.counts") tables, $(awk '{s += $2} END {print s}' "$work/source.counts") rows, counts match"

# The app starts on the restored copy and reports its database and schema as ready.
port=$(.venv/bin/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# The notes' key (kept apart from the dumps) is taken from the environment when set; /readyz decrypts nothing.
BRUECKENBAU_CONFIG=production SECRET_KEY="$(.venv/bin/python -c "import secrets; print(secrets.token_hex(32))")" \
    DATA_ENCRYPTION_KEYS="${DATA_ENCRYPTION_KEYS:-$(.venv/bin/python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())")}" \
    PUBLIC_URL=http://127.0.0.1 LOG_LEVEL=WARNING REDIS_URL= \
    DATABASE_URL="postgresql://$PGUSER@$PGHOST:$PGPORT/$target_db" \
    .venv/bin/gunicorn --workers 1 --bind "127.0.0.1:$port" wsgi:app > "$work/server.log" 2>&1 &
server_pid=$!
.venv/bin/python - "$port" << 'PYTHON'
import json, sys, time, urllib.error, urllib.request

url = f"http://127.0.0.1:{sys.argv[1]}/readyz"
for _ in range(100):
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            body = json.load(response)
    except urllib.error.HTTPError as error:
        body = json.load(error)
    except OSError:
        time.sleep(0.2)
        continue
    checks = body["checks"]
    if checks["database"]["ok"] and checks["migrations"]["ok"]:
        print(f"restore check: the app is up on the restored database (schema {checks['migrations']['current']})")
        sys.exit(0)
    sys.exit(f"restore check: the app is not ready: {checks}")
sys.exit("restore check: the app did not start")
PYTHON
