#!/usr/bin/env bash
# Runs on the GPU machine, in the repository's copy, as the last call of `make gpu-check`'s
# sequence (README, "GPU check"): gathers the chunks (earlier calls left theirs in the stage
# folder, this call carries the last under .gpu-upload/), checks the archive's sha256,
# unpacks it once, puts the NVIDIA wheels' libraries on LD_LIBRARY_PATH, logs what the CUDA
# provider cannot find, and runs the check under a global timeout. A rerun on the same
# machine skips straight to the run. Results go to $OUT: gpu-check.json, gpu-check.log, train.log.
#
# GPU_CHECK_STAGE (default /tmp/gpu-check), GPU_CHECK_DEVICES (default cpu,cuda) and
# GPU_CHECK_TIMEOUT (seconds, default 330) let deploy/gpu-check/local-test.sh run it here.
set -euo pipefail

readonly stage=${GPU_CHECK_STAGE:-/tmp/gpu-check} archive=gpu-check.tar.xz
readonly devices=${GPU_CHECK_DEVICES:-cpu,cuda} global_timeout=${GPU_CHECK_TIMEOUT:-330}
if [ -z "${OUT:-}" ]; then echo "error: OUT is not set: the folder whose files come back" >&2; exit 2; fi
mkdir -p "$stage" "$OUT"
log="$OUT/gpu-check.log"
: > "$log"
say() { echo "$@" | tee -a "$log"; }

# The last chunk's folder (it holds the parts count) travels with this call.
last=$(ls -d .gpu-upload/part*/ 2>/dev/null | sort | tail -1 || true)
if [ -n "$last" ] && [ -f "$last/parts" ]; then cp "$last"/* "$stage/"; fi

if [ -f "$stage/$archive.sha256" ] && [ -f "$stage/unpacked" ] && [ "$(cat "$stage/unpacked")" = "$(cat "$stage/$archive.sha256")" ]; then
    say "payload already unpacked in $stage/payload (sha256 $(cat "$stage/unpacked")): skipping reassembly"
else
    if [ ! -f "$stage/parts" ] || [ ! -f "$stage/$archive.sha256" ]; then
        say "error: $stage holds no parts count or checksum: carry the last chunk's folder with this call"
        exit 1
    fi
    parts=$(cat "$stage/parts")
    for n in $(seq -f '%02g' 1 "$parts"); do
        if [ ! -f "$stage/$archive.part$n" ]; then
            say "error: chunk $n of $parts is missing from $stage: rerun its call (ls: $(ls "$stage" | tr '\n' ' '))"
            exit 1
        fi
    done
    cat $(seq -f "$stage/$archive.part%02g" 1 "$parts") > "$stage/$archive"
    actual=$(sha256sum "$stage/$archive" | cut -d' ' -f1)
    if [ "$actual" != "$(cat "$stage/$archive.sha256")" ]; then
        say "error: the reassembled archive's sha256 is $actual, expected $(cat "$stage/$archive.sha256"): a chunk is damaged or from another pack"
        exit 1
    fi
    say "archive reassembled from $parts chunk(s), sha256 ok"
    rm -rf "$stage/payload"
    if command -v xz >/dev/null; then
        tar -C "$stage" -xJf "$stage/$archive"
    else
        python3 -c 'import lzma, sys, tarfile; tarfile.open(fileobj=lzma.open(sys.argv[1])).extractall(sys.argv[2])' "$stage/$archive" "$stage"
    fi
    rm "$stage/$archive" "$stage/$archive".part*
    cp "$stage/$archive.sha256" "$stage/unpacked"
    say "unpacked into $stage/payload"
fi

# The pip NVIDIA wheels keep their libraries in nvidia/<package>/lib or nvidia/cu13/lib: every folder holding lib*.so*.
nvidia_roots=$(python3 -c 'import nvidia; print("\n".join(nvidia.__path__))' 2>/dev/null || true)
lib_dirs=$(for root in $nvidia_roots; do find "$root" -name 'lib*.so*' -printf '%h\n'; done | sort -u | paste -sd: -)
export LD_LIBRARY_PATH="$stage/payload${lib_dirs:+:$lib_dirs}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
say "nvidia package folders: ${nvidia_roots:-none found}"
say "LD_LIBRARY_PATH=$LD_LIBRARY_PATH"
say "ldd libonnxruntime_providers_cuda.so, libraries not found:"
if linked=$(ldd "$stage/payload/libonnxruntime_providers_cuda.so" 2>&1); then
    missing=$(grep 'not found' <<< "$linked" || true)
    say "${missing:-  (none)}"
else
    say "  ldd failed: $linked"
fi
if command -v nvidia-smi >/dev/null; then
    nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>&1 | tee -a "$log" || true
fi

say "running the check: devices $devices, global timeout ${global_timeout} s"
set +e
(cd "$stage/payload" && GPU_CHECK_DEVICES=$devices GPU_CHECK_OUT=$OUT BENCH_DIR=$stage/work \
    timeout -k 10 "$global_timeout" ./InverseLearning.Benchmarks gpu) 2>&1 | tee -a "$log"
status=${PIPESTATUS[0]}
set -e
[ "$status" = 124 ] && say "error: the check ran past its global timeout of ${global_timeout} s; gpu-check.json holds the steps it finished"
say "exit status $status"
exit "$status"
