# Shared helpers for the set-up scripts. Every step is idempotent: run it twice, nothing breaks.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
LOG_DIR="${LMS_LOG_DIR:-/var/log/lms}"
export DEBIAN_FRONTEND=noninteractive

step() { printf '\n== %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install_system_packages() {
  local missing=()
  # rabbitmq-server: the tests prove the queue on RabbitMQ too, with nodes of their own.
  # runc: the OCI runtime that starts the grading boxes (Docker uses it too).
  for pkg in docker.io runc debootstrap postgresql redis-server rabbitmq-server chromium git; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    step "installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    # No package may start its service here: RabbitMQ's would listen on every interface.
    local policy=/usr/sbin/policy-rc.d placed=""
    if [ ! -e "$policy" ]; then
      printf '#!/bin/sh\nexit 101\n' | as_root tee "$policy" >/dev/null
      as_root chmod +x "$policy"
      placed=1
    fi
    as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    if [ -n "$placed" ]; then as_root rm -f "$policy"; fi
  fi
}

python_env() {
  if [ ! -x "$VENV/bin/python" ]; then
    step "creating the virtualenv"
    python3 -m venv "$VENV"
  fi
  local stamp="$VENV/.installed-$(sha256sum "$ROOT/pyproject.toml" | cut -c1-16)"
  if [ ! -f "$stamp" ]; then
    step "installing Python packages"
    "$VENV/bin/pip" install -q --upgrade pip
    "$VENV/bin/pip" install -q -e "$ROOT[dev]"
    touch "$stamp"
  fi
  "$VENV/bin/pybabel" compile -q -d "$ROOT/lms/translations" 2>/dev/null || \
    "$VENV/bin/pybabel" compile -d "$ROOT/lms/translations"
}

start_docker() {
  if docker info >/dev/null 2>&1; then return; fi
  step "starting the Docker engine (no bridge network: graders never get one)"
  as_root mkdir -p "$LOG_DIR"
  as_root sh -c "nohup dockerd --bridge=none --iptables=false >'$LOG_DIR/dockerd.log' 2>&1 &"
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && return
    sleep 1
  done
  echo "dockerd did not start; see $LOG_DIR/dockerd.log" >&2
  tail -20 "$LOG_DIR/dockerd.log" >&2 || true
  exit 1
}

start_postgres() {
  local version
  version="$(ls /etc/postgresql | sort -n | tail -1)"
  if ! pg_lsclusters -h | awk '{print $4}' | grep -q online; then
    step "starting PostgreSQL $version"
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start
  fi
  # The test role and database; the password is a local test credential only.
  as_root su postgres -c "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='lms'\"" | grep -q 1 || \
    as_root su postgres -c "psql -qc \"CREATE ROLE lms LOGIN CREATEDB PASSWORD 'lms'\""
  # Dropping a test database WITH (FORCE) must also end an autovacuum worker busy in it.
  as_root su postgres -c "psql -qc \"GRANT pg_signal_backend TO lms\"" >/dev/null
}

start_redis() {
  # The broker of LMS_QUEUE=celery (the embedded default needs none). Tests start their own
  # throw-away servers too; this one is for `lms worker` on a development machine.
  if redis-cli -h 127.0.0.1 ping >/dev/null 2>&1; then return; fi
  step "starting Redis on 127.0.0.1"
  redis-server --daemonize yes --bind 127.0.0.1 --save "" --appendonly no >/dev/null
}

build_images() {
  step "building grader images (only those whose recipe changed)"
  "$VENV/bin/lms" images build
}
