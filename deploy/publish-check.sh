#!/bin/sh
# Starts the exact `dotnet publish` output of the serving host that the container image
# copies, from its own directory (as the image's WORKDIR /app), and probes it the way
# Kubernetes will: gRPC health (grpc.health.v1.Health/Check over HTTP/2 cleartext) on all
# interfaces, admin on loopback. The payload must hold the serving host alone: none of the
# trainer's dependencies. The model it serves is trained by $TRAIN (the built CLI) and published
# with `export --repository` into a model repository, served with --model-dir as the image's CMD
# and the Deployment serve theirs (SERVE_ARGS replaces that flag and its folder).
# Needs: a published folder ($1), TRAIN (a command running the trainer), curl with HTTP/2.
set -eu
app=$(cd "$1" && pwd)
: "${TRAIN:?set TRAIN to a command running the trainer, e.g. dotnet src/Training/bin/Release/net10.0/inverselearning.dll}"
work=$(mktemp -d)
port=${PORT:-50071}
admin=${ADMIN_PORT:-9474}
server=
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "publish-check: $*" >&2; [ -f "$work/serve.log" ] && sed 's/^/  serve: /' "$work/serve.log" >&2; exit 1; }

test -f "$app/inverselearning-serve.dll" || fail "$app has no inverselearning-serve.dll (not a serving publish folder)"
for trainer_only in inverselearning.dll ScottPlot.dll InverseLearning.Data.dll; do
  test ! -e "$app/$trainer_only" || fail "$app holds $trainer_only: the serving payload must not carry the trainer"
done
$TRAIN datagen --preset tiny --out "$work/feed" > /dev/null 2>&1 || fail "simulating a tiny log with $TRAIN failed"
$TRAIN train --data "$work/feed/interactions.parquet" --model gmf --method ns --epochs 1 --out "$work/run" > /dev/null 2>&1 \
  || fail "training a tiny model with $TRAIN failed"
test -f "$work/run/model.onnx" || fail "training wrote no model.onnx"
$TRAIN export --checkpoint "$work/run/checkpoint" --data "$work/feed/interactions.parquet" --repository "$work/models" > /dev/null 2>&1 \
  || fail "publishing the tiny model into a repository with $TRAIN export failed"
test -f "$work/models/1/manifest.json" || fail "export --repository wrote no version 1"

cd "$app"
dotnet inverselearning-serve.dll ${SERVE_ARGS:---model-dir "$work/models"} --host 0.0.0.0 --port "$port" --metrics-port "$admin" > "$work/serve.log" 2>&1 &
server=$!

# A gRPC frame: 1 byte "not compressed" + 4 bytes length 0 = an empty HealthCheckRequest (service "": the whole server).
printf '\000\000\000\000\000' > "$work/check.bin"
status=
for _ in $(seq 1 60); do
  kill -0 "$server" 2>/dev/null || fail "the server exited"
  status=$(curl -s --http2-prior-knowledge -H 'content-type: application/grpc' -H 'te: trailers' \
    --data-binary @"$work/check.bin" "http://127.0.0.1:$port/grpc.health.v1.Health/Check" | od -An -tx1 | tr -d ' \n' || true)
  [ -n "$status" ] && break
  sleep 1
done
# The reply frame: 00 00000002, then field 1 (status) = 1 (SERVING).
[ "$status" = "00000000020801" ] || fail "grpc.health.v1 Check answered '$status', expected SERVING (00000000020801)"
# Bound to every interface, not loopback only: reachable through the container's own address.
ss -ltn 2>/dev/null | grep -Eq "(0\.0\.0\.0|\*|\[::\]):$port " || fail "gRPC port $port is not bound to all interfaces"
curl -sf "http://127.0.0.1:$admin/metrics" | grep -q '^# ' || fail "no Prometheus metrics on the admin port $admin"
rss=$(awk '/^VmHWM:/ { printf "%.0f MB", $2 / 1024 }' "/proc/$server/status" 2>/dev/null || echo "unknown")
echo "publish-check: $app serves (grpc.health.v1 SERVING on 0.0.0.0:$port, metrics on :$admin); server peak RSS $rss; payload $(du -sh "$app" | cut -f1)"
