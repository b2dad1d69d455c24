#!/bin/sh
# One image, one role per container. The role is the first argument:
#
#   web      gunicorn on 0.0.0.0:${PORT:-8000} (platform/config/gunicorn.py: WEB_CONCURRENCY
#            workers, JSON access log); /healthz, /readyz on any host; /metrics on METRICS_PORT
#   worker   a Celery worker: ${WORKER_CONCURRENCY:-2} processes (never the node's CPU count),
#            the queues in WORKER_QUEUES (default: all of them); /metrics on METRICS_PORT
#   beat     Celery beat: exactly one per deployment
#   migrate  shared schema, then every practice and spare in parallel
#            (TENANT_MULTIPROCESSING_MAX_PROCESSES), then the spare pool: one pod at a time,
#            once per release, safe to run again (platform/config/deploy.py)
#   manage   `python manage.py <the rest>` (createsuperuser, create_practice, shell, ...)
#
# (An inbound-mail role will join these.) scripts/prodlike starts each role through this file,
# so CI runs exactly what the containers run. docs/operations.md, "Processes".
set -eu

role="${1:-web}"
[ $# -gt 0 ] && shift
export WARMPATH_ROLE="$role"  # in every log line and error report

# SECRET_KEY may come from a file (a Docker or Kubernetes secret). With
# WARMPATH_GENERATE_SECRET_KEY=true (the local compose file only) a missing file is created once
# with a random key, so a clean clone needs no .env and publishes no key.
if [ -z "${SECRET_KEY:-}" ] && [ -n "${SECRET_KEY_FILE:-}" ]; then
  if [ ! -s "$SECRET_KEY_FILE" ] && [ "${WARMPATH_GENERATE_SECRET_KEY:-false}" = true ]; then
    (umask 077 && python -c 'import secrets; print(secrets.token_urlsafe(48))' >"$SECRET_KEY_FILE")
  fi
  SECRET_KEY="$(cat "$SECRET_KEY_FILE")"
  export SECRET_KEY
fi

# Writable scratch space: /tmp is an emptyDir (Kubernetes) or the container's own layer.
data_dir="${WARMPATH_DATA_DIR:-/tmp/warmpath}"
mkdir -p "$data_dir"
prepare_metrics() {
  # prometheus-client's multiprocess mode: every process writes its samples here and the
  # exporter adds them up. A stale folder from an earlier start would count old processes.
  if [ -n "${PROMETHEUS_MULTIPROC_DIR:-}" ]; then
    rm -rf "$PROMETHEUS_MULTIPROC_DIR"
    mkdir -p "$PROMETHEUS_MULTIPROC_DIR"
  fi
}

case "$role" in
  web)
    prepare_metrics
    exec gunicorn --config python:config.gunicorn config.wsgi:application "$@"
    ;;
  worker)
    prepare_metrics
    set -- --concurrency "${WORKER_CONCURRENCY:-2}" "$@"
    if [ -n "${WORKER_QUEUES:-}" ]; then
      set -- --queues "$WORKER_QUEUES" "$@"
    fi
    exec celery --app config worker --loglevel "${LOG_LEVEL:-INFO}" \
      --max-tasks-per-child "${WORKER_MAX_TASKS_PER_CHILD:-500}" "$@"
    ;;
  beat)
    prepare_metrics
    exec celery --app config beat --loglevel "${LOG_LEVEL:-INFO}" \
      --schedule "$data_dir/celerybeat-schedule" "$@"
    ;;
  migrate)
    # Under a PostgreSQL advisory lock, and only when this release's migrations are not all
    # recorded as applied (platform/config/deploy.py); `migrate --force` runs them regardless.
    exec python -m config.deploy migrate "$@"
    ;;
  manage)
    exec python manage.py "$@"
    ;;
  *)
    echo "Unknown role '$role': use web, worker, beat, migrate or manage." >&2
    exit 64
    ;;
esac
