#!/usr/bin/env bash
# make gpu-check-local: everything up to the GPU call, here. Packs (make gpu-check), replays
# the calls into a scratch stage (each chunk copied in as its call would, the last through
# on-gpu.sh), checks that a damaged chunk is refused, runs the CPU half of the check from the
# unpacked self-contained payload and checks its gpu-check.json. Fails on the first miss.
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"

scratch=$(mktemp -d /tmp/gpu-check-local.XXXXXX)
stage="$scratch/stage"
fail() { echo "gpu-check-local FAILED: $*" >&2; exit 1; }

clock=$SECONDS
bash deploy/gpu-check/pack.sh
echo "packed in $((SECONDS - clock)) s"

parts=$(ls -d .gpu-upload/part*/ | wc -l)
last=$(printf '.gpu-upload/part%02d' "$parts")
[ -f "$last/parts" ] && [ "$(cat "$last/parts")" = "$parts" ] || fail "$last/parts does not say $parts"
for folder in .gpu-upload/part*/; do
    size=$(du -cb $(git ls-files) "$folder" | tail -1 | cut -f1)
    [ "$size" -lt $((64 * 1024 * 1024)) ] || fail "tracked files + $folder = $size bytes, over 64 MiB"
done

# The earlier calls, as the printed commands do them.
mkdir -p "$stage"
for folder in .gpu-upload/part*/; do
    [ "${folder%/}" = "$last" ] || cp "$folder"* "$stage/"
done

# A damaged chunk must be refused before anything is unpacked.
damaged="$scratch/damaged"
cp -r "$stage" "$damaged"
printf 'x' | dd of="$damaged/gpu-check.tar.xz.part01" bs=1 seek=1000 conv=notrunc status=none
if GPU_CHECK_STAGE="$damaged" OUT="$scratch/damaged-out" GPU_CHECK_DEVICES=cpu bash deploy/gpu-check/on-gpu.sh; then
    fail "on-gpu.sh accepted a damaged chunk"
fi
grep -q "sha256 is" "$scratch/damaged-out/gpu-check.log" || fail "the damaged chunk's refusal does not name the checksum"
rm -rf "$damaged"

# The last call: the CPU half, from the unpacked payload (it has no dotnet of its own to lean on).
clock=$SECONDS
GPU_CHECK_STAGE="$stage" OUT="$scratch/out" GPU_CHECK_DEVICES=cpu GPU_CHECK_TIMEOUT=${GPU_CHECK_TIMEOUT:-1800} \
    GPU_CHECK_LIMIT_SCALE=${GPU_CHECK_LIMIT_SCALE:-6} bash deploy/gpu-check/on-gpu.sh || fail "on-gpu.sh exited $?"
echo "CPU half ran in $((SECONDS - clock)) s"

python3 - "$scratch/out/gpu-check.json" <<'EOF'
import json, sys
report = json.load(open(sys.argv[1]))
steps = ["cuda_loads", "fallbacks", "equality", "throughput", "step_profiles", "ig_meta_step_ratio", "full_ranking", "rank_batch"]
missing = [s for s in steps if s not in report]
errors = [f"{s}: {report[s]['error']}" for s in steps if s in report and "error" in report[s]]
if missing or errors:
    sys.exit(f"gpu-check-local FAILED: steps missing {missing}, steps in error {errors}")
if not report["equality"]["pass"]:
    sys.exit("gpu-check-local FAILED: the host and device stores' AUCs differ on the CPU")
unequal = [k for k, v in report["equality"].items() if isinstance(v, dict) and not v["identical"]]
if unequal:
    sys.exit(f"gpu-check-local FAILED: on the CPU the two stores must give the same AUC to the bit, not for {unequal}")
print("gpu-check.json: every step present, none in error, host and device stores identical on the CPU")
EOF
echo "results in $scratch/out"
