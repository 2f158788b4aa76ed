# Sourced by .ci/run: a throwaway PostgreSQL server for the database-source tests (tests/test_postgres.py).
#
# Installs Debian's postgresql package when no initdb is found, makes a cluster in a temporary folder
# owned by the postgres user (the server refuses to run as root), allows only password logins over
# 127.0.0.1, creates the role lisite with a password made for this run, and exports
# LISITE_TEST_DATABASE_URL. The tests load the demo's data into it themselves. The server is stopped
# when .ci/run exits. Needs the venv active (psycopg, the lisite[postgres] extra, is installed into it
# when missing; a developer's editable install is left as it is).

python -c "import psycopg" 2>/dev/null || pip install ".[postgres]" >/dev/null

lisite_pg_bin() {
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$found" ]; then
    found=$(command -v initdb || true)
  fi
  [ -n "$found" ] && dirname "$(readlink -f "$found")"
}

LISITE_PG_BIN=$(lisite_pg_bin || true)
if [ -z "$LISITE_PG_BIN" ]; then
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql
  LISITE_PG_BIN=$(lisite_pg_bin)
fi
if ! id postgres >/dev/null 2>&1; then
  useradd --system --home-dir /var/lib/postgresql --shell /bin/sh postgres
fi

LISITE_PG_DIR=$(mktemp -d /tmp/lisite-ci-pg.XXXXXX)
chown postgres "$LISITE_PG_DIR"
LISITE_PG_PORT=$(python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
LISITE_PG_PASSWORD=$(python -c 'import secrets; print("ci-" + secrets.token_urlsafe(18))')

lisite_pg() {  # run a command as the postgres user, from a folder it may read
  (cd "$LISITE_PG_DIR" && su postgres -s /bin/sh -c "$1")
}

lisite_pg "'$LISITE_PG_BIN/initdb' -D '$LISITE_PG_DIR/data' -U postgres --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C" \
  >"$LISITE_PG_DIR/initdb.log" 2>&1 || { cat "$LISITE_PG_DIR/initdb.log"; exit 1; }
lisite_pg "'$LISITE_PG_BIN/pg_ctl' -D '$LISITE_PG_DIR/data' -l '$LISITE_PG_DIR/server.log' -w \
  -o \"-p $LISITE_PG_PORT -k '$LISITE_PG_DIR' -c listen_addresses=127.0.0.1\" start" </dev/null >/dev/null 2>&1 \
  || { cat "$LISITE_PG_DIR/server.log"; exit 1; }
lisite_pg_stop() {
  lisite_pg "'$LISITE_PG_BIN/pg_ctl' -D '$LISITE_PG_DIR/data' -m fast stop" >/dev/null 2>&1 || true
  rm -rf "$LISITE_PG_DIR"
}
trap lisite_pg_stop EXIT

# the password goes in on standard input, not on a command line
printf "CREATE ROLE lisite LOGIN PASSWORD '%s';\nCREATE DATABASE lisite_demo OWNER lisite;\n" "$LISITE_PG_PASSWORD" \
  | lisite_pg "'$LISITE_PG_BIN/psql' -q -v ON_ERROR_STOP=1 -h '$LISITE_PG_DIR' -p $LISITE_PG_PORT -U postgres -d postgres" >/dev/null

export LISITE_TEST_DATABASE_URL="postgresql+psycopg://lisite:${LISITE_PG_PASSWORD}@127.0.0.1:${LISITE_PG_PORT}/lisite_demo"
echo "PostgreSQL $("$LISITE_PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:${LISITE_PG_PORT} for tests/test_postgres.py"
