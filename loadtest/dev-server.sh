# Shared by the load scripts (source it): waits until the dev server they started answers
# GET /health with 200, or says why it did not start and exits.
#   await_health PORT SERVER_PID LOG
await_health() {
  local port=$1 server=$2 log=$3
  for _ in $(seq 1 120); do
    [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health" || true)" == 200 ]] && return 0
    if ! kill -0 "$server" 2>/dev/null; then
      echo "server did not start, see $log:" >&2
      tail -20 "$log" >&2 || true
      exit 1
    fi
    sleep 0.5
  done
}
