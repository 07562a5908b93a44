#!/usr/bin/env bash
# make gpu-check: the GPU check (tests/Benchmarks, benchmark `gpu`) published self-contained
# against ONNX Runtime's CUDA 13 package, as an xz tarball cut into chunks that each fit one
# call of the GPU machine's tool beside the tracked files (64 MiB in all), one chunk per
# git-ignored folder .gpu-upload/partNN/ so that a call carries exactly one. Prints the calls.
# README, "GPU check".
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"

readonly limit=$((64 * 1024 * 1024))
# Untracked files that git does not ignore travel too, and the tree grows between packing and
# the calls: the margin keeps room for both.
readonly margin=$((4 * 1024 * 1024))
readonly build=.gpu-check upload=.gpu-upload archive=gpu-check.tar.xz

# One du over every name (--files0-from): xargs would run one per batch of names, and the last line only the last batch's total.
tracked=$(git ls-files -z | du -cb --files0-from=- | tail -1 | cut -f1)
chunk=$((limit - tracked - margin))
if [ "$chunk" -lt $((8 * 1024 * 1024)) ]; then
    echo "error: the tracked files take $tracked bytes, leaving under 8 MiB of the 64 MiB per call for a chunk" >&2
    exit 1
fi

rm -rf "$build" "$upload"
mkdir -p "$build" "$upload"
echo "publishing tests/Benchmarks self-contained for linux-x64 with -p:OrtFlavor=gpu …"
dotnet publish tests/Benchmarks/InverseLearning.Benchmarks.csproj -c Release -r linux-x64 --self-contained \
    -p:OrtFlavor=gpu -o "$build/payload" --nologo -v quiet
# TensorRT is not used (the trainer appends CUDA only) and is the second-largest library.
rm -f "$build/payload/libonnxruntime_providers_tensorrt.so"
test -f "$build/payload/libonnxruntime_providers_cuda.so" || { echo "error: the publish holds no libonnxruntime_providers_cuda.so: not the GPU flavor?" >&2; exit 1; }

# xz, not zstd: the GPU machine may lack the zstd binary, and Python's stdlib reads only xz (lzma).
echo "compressing (xz -6, all cores) …"
tar -C "$build" -cf - payload | xz -6 -T0 > "$build/$archive"
payload_bytes=$(du -sb "$build/payload" | cut -f1)
archive_bytes=$(stat -c %s "$build/$archive")
sha256sum "$build/$archive" | cut -d' ' -f1 > "$build/$archive.sha256"

split -b "$chunk" -d -a 2 --numeric-suffixes=1 "$build/$archive" "$build/$archive.part"
parts=$(ls "$build/$archive".part* | wc -l)
for file in "$build/$archive".part*; do
    n=${file##*.part}
    mkdir -p "$upload/part$n"
    mv "$file" "$upload/part$n/"
done
last=$(printf '%02d' "$parts")
# The last call reassembles: it brings the checksum and the number of parts with it.
cp "$build/$archive.sha256" "$upload/part$last/"
echo "$parts" > "$upload/part$last/parts"
rm "$build/$archive"

echo
echo "payload $payload_bytes bytes, $archive $archive_bytes bytes (sha256 $(cat "$build/$archive.sha256")),"
echo "$parts chunk(s) of at most $chunk bytes (tracked files $tracked bytes, limit $limit, margin $margin)."
echo
echo "Calls on the GPU machine, back to back (it stays warm only 30 s between calls); each copies its chunk into /tmp/gpu-check:"
for n in $(seq -f '%02g' 1 $((parts - 1))); do
    echo "  command: mkdir -p /tmp/gpu-check && cp $upload/part$n/* /tmp/gpu-check/ && ls -la /tmp/gpu-check"
    echo "  carry:   [\"$upload/part$n\"]"
done
echo "  command: bash deploy/gpu-check/on-gpu.sh"
echo "  carry:   [\"$upload/part$last\"]"
echo "  timeout_s: 420 (the check's own global timeout is 330 s; results: \$OUT/gpu-check.json, gpu-check.log, train.log)"
echo "A rerun on the same warm machine: command bash deploy/gpu-check/on-gpu.sh, no carry (the payload stays unpacked in /tmp/gpu-check)."
