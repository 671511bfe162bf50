#!/usr/bin/env bash
# PostgreSQL for the ledger tests: starts the local cluster of Debian's `postgresql` package (making one if
# there is none), creates a login role and a database for the tests, and writes the JDBC URL to
# $1/postgres/jdbc-url, which the tests read with Fixtures.require("postgres/jdbc-url", ...).
# Idempotent; needs root (CI runs as root). The password is a fixed local-test password: the server listens
# on localhost only.
set -euo pipefail
out="$1/postgres"
mkdir -p "$out"
if ! command -v pg_lsclusters >/dev/null; then
  echo "30-postgres: PostgreSQL is not installed; add 'postgresql' to .ci/apt-packages.txt (apt-get install postgresql)" >&2
  exit 1
fi
as_postgres() { runuser -u postgres -- "$@"; }

if [[ -z "$(pg_lsclusters -h)" ]]; then
  version="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"
  pg_createcluster "$version" main
fi
read -r version cluster port status _ < <(pg_lsclusters -h | head -n 1)
if [[ "$status" != online* ]]; then
  pg_ctlcluster "$version" "$cluster" start
fi
for _ in $(seq 1 60); do
  pg_isready -q -h localhost -p "$port" && break
  sleep 1
done
pg_isready -h localhost -p "$port"

role=dpvideo_test
database=dpvideo_test
password=dpvideo-local-test
as_postgres psql -p "$port" -v ON_ERROR_STOP=1 -q <<SQL
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$role') THEN
    CREATE ROLE $role LOGIN PASSWORD '$password';
  ELSE
    ALTER ROLE $role LOGIN PASSWORD '$password';
  END IF;
END
\$\$;
SQL
if [[ "$(as_postgres psql -p "$port" -tAc "SELECT 1 FROM pg_database WHERE datname = '$database'")" != 1 ]]; then
  as_postgres createdb -p "$port" -O "$role" "$database"
fi
url="jdbc:postgresql://localhost:$port/$database?user=$role&password=$password"
printf '%s\n' "$url" > "$out/jdbc-url.tmp"
mv "$out/jdbc-url.tmp" "$out/jdbc-url"
echo "30-postgres: PostgreSQL $version/$cluster on port $port; JDBC URL in $out/jdbc-url"
