#!/usr/bin/env bash
# How far the history projection trails asynchronous EXPRESS starts that run in the gateway: starts a
# fresh dev server, drives StartExecution of the 5-state EXPRESS workflow with wrk for SECONDS (64
# connections), then starts one more execution and times how long until DescribeExecution knows it
# (reads wait for the projection; after 10 s a read answers 503 and is asked again here).
# Usage, from the repository root: loadtest/run-express-backlog.sh [--port P] [SECONDS]
# Build first: ./mvnw -q -pl server -am package -DskipTests. Needs wrk and python3.
set -euo pipefail
source "$(dirname "$0")/dev-server.sh"
JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
PORT=8085
if [[ "${1:-}" == "--port" ]]; then PORT=$2; shift 2; fi
SECONDS_OF_LOAD=${1:-20}
DATA=$(mktemp -d /tmp/stepstream-backlog.XXXXXX)
"$JAVA" -jar server/target/stepstream.jar dev --no-throttling --port "$PORT" --data-dir "$DATA" >"$DATA.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; rm -rf "$DATA" "$DATA.lua"' EXIT
await_health "$PORT" "$SERVER" "$DATA.log"
python3 - "$PORT" "$DATA.lua" <<'PY'
import json, sys, urllib.request
port, script = sys.argv[1], sys.argv[2]
source = open('loadtest/src/main/java/io/stepstream/loadtest/Workflows.java').read()
start = source.index('PASS_CHOICE_JSONPATH("""') + len('PASS_CHOICE_JSONPATH("""')
definition = source[start:source.index('"""', start)].strip()
order = source[source.index('ORDER = """') + len('ORDER = """'):]
order = order[:order.index('"""')].replace('\\\n', '').strip()
request = urllib.request.Request(f'http://127.0.0.1:{port}/', data=json.dumps({
    'name': 'backlog', 'definition': definition, 'type': 'EXPRESS',
    'roleArn': 'arn:aws:iam::123456789012:role/backlog'}).encode(),
    headers={'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': 'AWSStepFunctions.CreateStateMachine'})
arn = json.load(urllib.request.urlopen(request))['stateMachineArn']
body = json.dumps({'stateMachineArn': arn, 'input': order})
with open(script, 'w') as lua:
    lua.write('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/x-amz-json-1.0"\n'
              'wrk.headers["X-Amz-Target"] = "AWSStepFunctions.StartExecution"\n'
              f'wrk.body = {json.dumps(body)}\n')
print(arn)
PY
echo "wrk: StartExecution (EXPRESS) for ${SECONDS_OF_LOAD} s, 64 connections"
wrk -t2 -c64 -d"${SECONDS_OF_LOAD}s" -s "$DATA.lua" "http://127.0.0.1:$PORT/" | grep -E "requests in|Requests/sec|Non-2xx"
python3 - "$PORT" "$DATA.lua" <<'PY'
import json, sys, time, urllib.error, urllib.request
port, script = sys.argv[1], sys.argv[2]
body = json.loads(json.loads(open(script).read().split('wrk.body = ', 1)[1]))
def call(action, payload):
    request = urllib.request.Request(f'http://127.0.0.1:{port}/', data=json.dumps(payload).encode(),
        headers={'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': 'AWSStepFunctions.' + action})
    try:
        return json.load(urllib.request.urlopen(request, timeout=60))
    except urllib.error.HTTPError as e:
        return {'httpStatus': e.code}
started = time.time()
arn = call('StartExecution', body)['executionArn']
answered = time.time()
while True:
    described = call('DescribeExecution', {'executionArn': arn})
    if 'status' in described:
        break
    print(f'  DescribeExecution answered HTTP {described["httpStatus"]} {time.time() - answered:.1f} s after the start')
print(f'one more start answered in {answered - started:.3f} s; DescribeExecution showed it ({described["status"]}) '
      f'{time.time() - answered:.1f} s after the start answered')
PY
