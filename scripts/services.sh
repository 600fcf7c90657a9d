#!/usr/bin/env bash
# Throwaway PostgreSQL 15, MariaDB and Redis servers for the test suite.
#
# Everything binds to 127.0.0.1 only and keeps its state under
# ${SQUAD_SERVICES_DIR:-/tmp/backend-squad-services}; nothing relies on
# systemd or on the distro's own service instances (CI containers have none).
#
#   scripts/services.sh install   apt-get install whatever is missing (root)
#   scripts/services.sh start     start all three (idempotent), wait until ready
#   scripts/services.sh stop      stop all three (ignores ones not running)
#   scripts/services.sh restart   stop + start
#   scripts/services.sh status    one line per service; exit 3 if any is down
#   scripts/services.sh env       export lines: eval "$(scripts/services.sh env)"
#
# Tunables (env): SQUAD_SERVICES_DIR, SQUAD_PG_PORT (55432),
# SQUAD_MYSQL_PORT (33306), SQUAD_REDIS_PORT (56379),
# SQUAD_SERVICES_TIMEOUT (seconds to wait for each server, default 60).
set -euo pipefail

STATE_DIR="${SQUAD_SERVICES_DIR:-/tmp/backend-squad-services}"
PG_PORT="${SQUAD_PG_PORT:-55432}"
MYSQL_PORT="${SQUAD_MYSQL_PORT:-33306}"
REDIS_PORT="${SQUAD_REDIS_PORT:-56379}"
TIMEOUT="${SQUAD_SERVICES_TIMEOUT:-60}"

PG_BIN=/usr/lib/postgresql/15/bin
PG_DIR="$STATE_DIR/postgres"      # owned by postgres: initdb/pg_ctl refuse root
PG_DATA="$PG_DIR/data"
PG_LOG="$PG_DIR/postgres.log"
MY_DIR="$STATE_DIR/mariadb"       # owned by mysql: mariadbd drops to that user
MY_DATA="$MY_DIR/data"
MY_CNF="$MY_DIR/my.cnf"
MY_SOCK="$MY_DIR/mariadb.sock"
MY_PID="$MY_DIR/mariadb.pid"
MY_LOG="$MY_DIR/mariadb.log"
RD_DIR="$STATE_DIR/redis"
RD_CONF="$RD_DIR/redis.conf"
RD_PID="$RD_DIR/redis.pid"
RD_LOG="$RD_DIR/redis.log"

# mariadbd / mariadb-install-db live in /usr/sbin, which a non-login PATH may lack.
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

log() { echo "services: $*" >&2; }
die() { echo "services: ERROR: $*" >&2; exit 1; }

is_root() { [ "$(id -u)" -eq 0 ]; }

# Run a command as a service account when we are root (initdb/pg_ctl refuse
# root); as a normal user just run it directly. cd / avoids "could not change
# directory to /root" noise from the unprivileged account.
as_user() {
    local user="$1"; shift
    if is_root; then
        (cd / && runuser -u "$user" -- "$@")
    else
        "$@"
    fi
}

# True if something accepts TCP connections on 127.0.0.1:$1 (bash built-in,
# so it works before any client is installed).
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# True if process $1 exists and is not a zombie. Daemons get reparented to
# PID 1, and container PID 1s often reap late or never, so a dead server can
# linger as a zombie that still passes "kill -0".
proc_alive() {
    local stat
    kill -0 "$1" 2>/dev/null || return 1
    stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
    stat="${stat##*) }"          # drop "pid (comm) " -> state is first field
    [ "${stat%% *}" != Z ]
}

# True if the pid in file $1 is alive AND is the expected program $2, so a
# stale pid file recycled by an unrelated process does not count as running.
pid_alive() {
    local pid
    [ -s "$1" ] || return 1
    pid="$(head -n1 "$1" 2>/dev/null)" || return 1
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    proc_alive "$pid" || return 1
    grep -q "$2" "/proc/$pid/comm" 2>/dev/null
}

# Fail early with a useful message instead of timing out or, worse, letting
# the readiness probe talk to some other server that owns the port.
ensure_port_free() {
    if port_open "$2"; then
        die "$1: port 127.0.0.1:$2 is already in use by another process (override with the matching SQUAD_*_PORT)"
    fi
}

# Poll "$@" until it succeeds; give up after $TIMEOUT s, or as soon as the
# alive-check command $3 (e.g. "proc_alive PID") fails, after a short grace
# period for daemons that write their pid file late. $1 = name, $2 = log.
wait_ready() {
    local name="$1" logf="$2" alive="$3"; shift 3
    local start=$SECONDS deadline=$((SECONDS + TIMEOUT))
    until "$@" >/dev/null 2>&1; do
        if [ $((SECONDS - start)) -ge 3 ] && ! eval "$alive" >/dev/null 2>&1; then
            die "$name exited during startup; see $logf"
        fi
        [ "$SECONDS" -lt "$deadline" ] || die "$name not accepting connections after ${TIMEOUT}s; see $logf"
        sleep 0.2
    done
}

# Wait for a pid to disappear after SIGTERM (bounded), escalating to SIGKILL.
kill_and_wait() {
    local name="$1" pid="$2" deadline=$((SECONDS + TIMEOUT))
    kill -TERM "$pid" 2>/dev/null || return 0
    while proc_alive "$pid"; do
        if [ "$SECONDS" -ge "$deadline" ]; then
            log "$name (pid $pid) ignored SIGTERM for ${TIMEOUT}s, sending SIGKILL"
            kill -KILL "$pid" 2>/dev/null || true
            sleep 0.5
            break
        fi
        sleep 0.2
    done
}

# ---------------------------------------------------------------- install ---

# "binary package" pairs, checked before touching apt at all. Only packages
# whose binaries are missing get installed: naming an already-installed
# package to apt-get install would also upgrade it (and its deps).
required_binaries() {
    cat <<EOF
$PG_BIN/initdb postgresql-15
$PG_BIN/pg_ctl postgresql-15
$PG_BIN/postgres postgresql-15
$PG_BIN/psql postgresql-client-15
$PG_BIN/pg_isready postgresql-client-15
mariadbd mariadb-server
mariadb-install-db mariadb-server
mariadb mariadb-client
mariadb-admin mariadb-client
redis-server redis-server
redis-cli redis-tools
wrk wrk
EOF
}

# Prints "binary package" for each missing binary.
missing_binaries() {
    local b p
    required_binaries | while read -r b p; do
        command -v "$b" >/dev/null 2>&1 || echo "$b $p"
    done
}

cmd_install() {
    local missing pkgs
    missing="$(missing_binaries)"
    if [ -z "$missing" ]; then
        log "install: all binaries present, skipping apt"
        return 0
    fi
    pkgs="$(awk '{print $2}' <<<"$missing" | sort -u | tr '\n' ' ')"
    is_root || die "install: needs root (missing packages: $pkgs)"

    mkdir -p "$STATE_DIR"
    local apt_log="$STATE_DIR/install.log"
    : >"$apt_log"

    # Package postinst scripts try to start the distro's own service
    # instances (which would grab 5432/3306/6379 or hang without an init
    # system). A policy-rc.d exiting 101 tells invoke-rc.d "not allowed".
    # Only add/remove it if there wasn't one already (Docker images ship one).
    local policy=/usr/sbin/policy-rc.d created_policy=0
    if [ ! -e "$policy" ]; then
        printf '#!/bin/sh\nexit 101\n' >"$policy"
        chmod 755 "$policy"
        created_policy=1
        trap 'rm -f /usr/sbin/policy-rc.d' EXIT
    fi

    export DEBIAN_FRONTEND=noninteractive
    local apt=(apt-get -q -y -o DPkg::Lock::Timeout=300
        -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
    log "install: apt-get update (log: $apt_log)"
    if ! "${apt[@]}" update >>"$apt_log" 2>&1; then
        tail -n 30 "$apt_log" >&2
        die "install: apt-get update failed; see $apt_log"
    fi
    log "install: apt-get install $pkgs"
    # shellcheck disable=SC2086 # $pkgs is a space-separated package list
    if ! "${apt[@]}" install --no-install-recommends $pkgs >>"$apt_log" 2>&1; then
        tail -n 30 "$apt_log" >&2
        die "install: apt-get install failed; see $apt_log"
    fi

    if [ "$created_policy" = 1 ]; then
        rm -f "$policy"
        trap - EXIT
    fi

    missing="$(missing_binaries | awk '{print $1}' | tr '\n' ' ')"
    [ -z "$missing" ] || die "install: still missing after apt: $missing"
    log "install: done"
}

# ------------------------------------------------------------- postgresql ---

# Own check rather than "pg_ctl status": that one counts a zombie postmaster
# as running. Line 1 of postmaster.pid is the postmaster pid.
pg_running() { pid_alive "$PG_DATA/postmaster.pid" postgres; }

# Admin psql as the postgres superuser over the private unix socket.
pg_psql() {
    as_user postgres "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 \
        -h "$PG_DIR" -p "$PG_PORT" -U postgres -d postgres
}

pg_start() {
    if pg_running; then
        log "postgres: already running on 127.0.0.1:$PG_PORT"
        return 0
    fi
    ensure_port_free postgres "$PG_PORT"
    # Unix socket paths are limited to ~107 bytes.
    [ "${#PG_DIR}" -lt 80 ] || die "postgres: state dir path too long for a unix socket: $PG_DIR"

    mkdir -p "$PG_DIR"
    is_root && chown postgres:postgres "$PG_DIR"
    chmod 700 "$PG_DIR"
    # The service account must be able to reach its directory; this fails e.g.
    # when SQUAD_SERVICES_DIR lives under /root.
    as_user postgres test -w "$PG_DIR" ||
        die "postgres: user 'postgres' cannot write $PG_DIR (is a parent directory private?)"

    if [ ! -f "$PG_DATA/PG_VERSION" ]; then
        log "postgres: initdb $PG_DATA"
        rm -rf "$PG_DATA" "$PG_DIR/.bootstrapped"
        # local socket = trust (admin bootstrap only), TCP = password.
        as_user postgres "$PG_BIN/initdb" -D "$PG_DATA" -U postgres \
            --encoding=UTF8 --locale=C.UTF-8 \
            --auth-local=trust --auth-host=scram-sha-256 \
            >"$PG_DIR/initdb.log" 2>&1 ||
            die "postgres: initdb failed; see $PG_DIR/initdb.log"
        # Our settings live in squad.conf, rewritten on every start so port
        # overrides take effect on existing state dirs too.
        echo "include_if_exists = 'squad.conf'" >>"$PG_DATA/postgresql.conf"
    fi

    # Test tuning: durability is pointless for throwaway data.
    cat >"$PG_DATA/squad.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_DIR'
max_connections = 300
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
    is_root && chown postgres:postgres "$PG_DATA/squad.conf"

    # We know no postmaster owns this data dir (pg_running is false), so lock
    # files left by a killed server are stale. Drop them: postgres refuses to
    # start while their pid still exists, and a zombie pid does "exist".
    rm -f "$PG_DATA/postmaster.pid" "$PG_DIR/.s.PGSQL.$PG_PORT" "$PG_DIR/.s.PGSQL.$PG_PORT.lock"

    log "postgres: starting on 127.0.0.1:$PG_PORT (log: $PG_LOG)"
    # 9>&- : don't leak our lock fd into the long-lived server.
    as_user postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t "$TIMEOUT" start \
        >/dev/null 9>&- ||
        die "postgres failed to start; see $PG_LOG"
    wait_ready postgres "$PG_LOG" pg_running \
        "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"

    if [ ! -f "$PG_DIR/.bootstrapped" ]; then
        log "postgres: creating role/database squad"
        pg_psql <<'EOF' || die "postgres: bootstrap SQL failed; see $PG_LOG"
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'squad') THEN
    CREATE ROLE squad;
  END IF;
END $$;
ALTER ROLE squad WITH LOGIN CREATEDB SUPERUSER PASSWORD 'squad';
SELECT 'CREATE DATABASE squad OWNER squad'
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'squad') \gexec
EOF
        touch "$PG_DIR/.bootstrapped"
    fi
}

pg_stop() {
    if ! pg_running; then
        log "postgres: not running"
        return 0
    fi
    log "postgres: stopping"
    # "fast" = roll back open transactions and exit cleanly (SIGINT). Not
    # pg_ctl stop: it waits for postmaster.pid to vanish, which never happens
    # if the postmaster dies uncleanly.
    kill -INT "$(head -n1 "$PG_DATA/postmaster.pid")" 2>/dev/null || true
    local deadline=$((SECONDS + TIMEOUT))
    while pg_running; do
        [ "$SECONDS" -lt "$deadline" ] || die "postgres: did not stop within ${TIMEOUT}s; see $PG_LOG"
        sleep 0.2
    done
}

pg_status() {
    if pg_running; then
        echo "postgres: running (127.0.0.1:$PG_PORT, pid $(head -n1 "$PG_DATA/postmaster.pid"))"
    else
        echo "postgres: not running"
        return 1
    fi
}

# ---------------------------------------------------------------- mariadb ---

my_running() { pid_alive "$MY_PID" mariadbd; }

# Admin client as MariaDB root over the private socket (unix_socket auth:
# works because we are OS root).
my_admin_sql() { mariadb --defaults-file="$MY_CNF" -uroot; }

my_write_cnf() {
    local user_line=""
    is_root && user_line="user = mysql"
    # --defaults-file means /etc/mysql/* is ignored entirely.
    cat >"$MY_CNF" <<EOF
[client]
socket = $MY_SOCK
port = $MYSQL_PORT
default-character-set = utf8mb4

[mysqld]
$user_line
datadir = $MY_DATA
socket = $MY_SOCK
pid-file = $MY_PID
log-error = $MY_LOG
port = $MYSQL_PORT
bind-address = 127.0.0.1
skip-name-resolve
max_connections = 300
character-set-server = utf8mb4
collation-server = utf8mb4_general_ci
# test tuning: durability is pointless for throwaway data
innodb_flush_log_at_trx_commit = 0
innodb_doublewrite = 0
sync_binlog = 0
EOF
}

my_start() {
    if my_running; then
        log "mariadb: already running on 127.0.0.1:$MYSQL_PORT"
        return 0
    fi
    ensure_port_free mariadb "$MYSQL_PORT"
    [ "${#MY_SOCK}" -lt 100 ] || die "mariadb: socket path too long: $MY_SOCK"

    mkdir -p "$MY_DIR"
    is_root && chown mysql:mysql "$MY_DIR"
    chmod 755 "$MY_DIR"
    rm -f "$MY_PID" "$MY_SOCK"   # stale leftovers from an unclean shutdown
    my_write_cnf

    if [ ! -d "$MY_DATA/mysql" ]; then
        log "mariadb: mariadb-install-db $MY_DATA"
        rm -rf "$MY_DATA" "$MY_DIR/.bootstrapped"
        local user_opt=()
        is_root && user_opt=(--user=mysql)
        # --defaults-file must come first.
        mariadb-install-db --defaults-file="$MY_CNF" "${user_opt[@]}" \
            --skip-test-db --auth-root-authentication-method=socket \
            >"$MY_DIR/install-db.log" 2>&1 ||
            die "mariadb: mariadb-install-db failed; see $MY_DIR/install-db.log"
    fi

    log "mariadb: starting on 127.0.0.1:$MYSQL_PORT (log: $MY_LOG)"
    # mariadbd has no --daemonize; detach it ourselves with all fds redirected
    # so callers capturing our output (e.g. $(...)) don't hang on it.
    # (No job control here, so setsid execs in place and $! is mariadbd.)
    setsid mariadbd --defaults-file="$MY_CNF" </dev/null >>"$MY_LOG" 2>&1 9>&- &
    local pid=$!
    wait_ready mariadb "$MY_LOG" "proc_alive $pid" \
        mariadb-admin --defaults-file="$MY_CNF" -uroot --connect-timeout=2 ping
    # The socket answering is not enough; make sure TCP is up too.
    wait_ready mariadb "$MY_LOG" "proc_alive $pid" port_open "$MYSQL_PORT"

    if [ ! -f "$MY_DIR/.bootstrapped" ]; then
        log "mariadb: creating user/database squad"
        # skip-name-resolve: 'localhost' only matches socket logins, so TCP
        # needs the explicit 127.0.0.1 account.
        my_admin_sql <<'EOF' || die "mariadb: bootstrap SQL failed; see $MY_LOG"
CREATE USER IF NOT EXISTS 'squad'@'127.0.0.1' IDENTIFIED BY 'squad';
CREATE USER IF NOT EXISTS 'squad'@'localhost' IDENTIFIED BY 'squad';
ALTER USER 'squad'@'127.0.0.1' IDENTIFIED BY 'squad';
ALTER USER 'squad'@'localhost' IDENTIFIED BY 'squad';
GRANT ALL PRIVILEGES ON *.* TO 'squad'@'127.0.0.1' WITH GRANT OPTION;
GRANT ALL PRIVILEGES ON *.* TO 'squad'@'localhost' WITH GRANT OPTION;
CREATE DATABASE IF NOT EXISTS squad CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci;
FLUSH PRIVILEGES;
EOF
        touch "$MY_DIR/.bootstrapped"
    fi
}

my_stop() {
    if ! my_running; then
        log "mariadb: not running"
        return 0
    fi
    log "mariadb: stopping"
    # SIGTERM = clean shutdown for mariadbd.
    kill_and_wait mariadb "$(head -n1 "$MY_PID")"
}

my_status() {
    if my_running; then
        echo "mariadb: running (127.0.0.1:$MYSQL_PORT, pid $(head -n1 "$MY_PID"))"
    else
        echo "mariadb: not running"
        return 1
    fi
}

# ------------------------------------------------------------------ redis ---

rd_running() { pid_alive "$RD_PID" redis-server; }

rd_start() {
    if rd_running; then
        log "redis: already running on 127.0.0.1:$REDIS_PORT"
        return 0
    fi
    ensure_port_free redis "$REDIS_PORT"
    mkdir -p "$RD_DIR"
    rm -f "$RD_PID"
    # No persistence: tests flush anyway and snapshots only cost time/disk.
    cat >"$RD_CONF" <<EOF
bind 127.0.0.1
port $REDIS_PORT
daemonize yes
pidfile $RD_PID
logfile $RD_LOG
dir $RD_DIR
save ""
appendonly no
EOF
    log "redis: starting on 127.0.0.1:$REDIS_PORT (log: $RD_LOG)"
    redis-server "$RD_CONF" </dev/null >/dev/null 2>&1 9>&- ||
        die "redis failed to start; see $RD_LOG"
    wait_ready redis "$RD_LOG" "pid_alive $RD_PID redis-server" \
        redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping
}

rd_stop() {
    if ! rd_running; then
        log "redis: not running"
        return 0
    fi
    log "redis: stopping"
    kill_and_wait redis "$(head -n1 "$RD_PID")"
}

rd_status() {
    if rd_running; then
        echo "redis: running (127.0.0.1:$REDIS_PORT, pid $(head -n1 "$RD_PID"))"
    else
        echo "redis: not running"
        return 1
    fi
}

# --------------------------------------------------------------- commands ---

# Serialise start/stop so parallel callers (e.g. several CI steps or test
# workers) don't race on initdb/install-db. Daemons are launched with 9>&-
# so they never inherit (and hold) this lock.
take_lock() {
    mkdir -p "$STATE_DIR"
    chmod 755 "$STATE_DIR"   # service accounts must traverse it (umask 077 CI)
    exec 9>"$STATE_DIR/.lock"
    flock -w $((TIMEOUT * 4)) 9 || die "could not lock $STATE_DIR/.lock"
}

cmd_start() {
    local missing
    missing="$(missing_binaries | awk '{print $1}' | tr '\n' ' ')"
    [ -z "$missing" ] || die "missing binaries: $missing(run: $0 install)"
    take_lock
    pg_start
    my_start
    rd_start
    log "all services up (eval \"\$($0 env)\" for URLs)"
}

cmd_stop() {
    [ -d "$STATE_DIR" ] || { log "nothing to stop ($STATE_DIR does not exist)"; return 0; }
    take_lock
    rd_stop
    my_stop
    pg_stop
}

cmd_status() {
    local rc=0
    pg_status || rc=3
    my_status || rc=3
    rd_status || rc=3
    return "$rc"
}

cmd_env() {
    echo "export TEST_POSTGRES_URL=postgresql://squad:squad@127.0.0.1:$PG_PORT/squad"
    echo "export TEST_MYSQL_URL=mysql://squad:squad@127.0.0.1:$MYSQL_PORT/squad"
    echo "export TEST_REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0"
}

usage() {
    echo "usage: $0 {install|start|stop|restart|status|env}" >&2
    exit 2
}

case "${1:-}" in
    install) cmd_install ;;
    start) cmd_start ;;
    stop) cmd_stop ;;
    restart) cmd_stop; cmd_start ;;
    status) cmd_status ;;
    env) cmd_env ;;
    *) usage ;;
esac
