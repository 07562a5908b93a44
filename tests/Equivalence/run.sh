#!/usr/bin/env bash
# Runs every model x method (and the strategies, and full ranking) for 2 epochs on a 60k-impression
# simulated log with one build, so that two builds can be compared run by run (compare.sh).
# usage: run.sh BUILD_DIR OUT_DIR   (BUILD_DIR: src/Training/bin/Release/net10.0 of that build)
set -u
BIN=$1; OUT=$2
CLI="dotnet $BIN/inverselearning.dll"
LOG=${LOG:-/tmp/equiv-log}
[ -f $LOG/interactions.parquet ] || $CLI datagen --preset tiny --users 1000 --items 2000 --impressions 60000 --out $LOG >/dev/null
mkdir -p $OUT
for m in gmf neumf mlp cdae lightgcn; do
  for x in none ns tce rce dns srns cw idl ig; do
    extra=""; [ $x = tce ] && extra="--tce-warmup 100"
    $CLI train --data $LOG/interactions.parquet --model $m --method $x --epochs 2 --lr 2e-3 --seed 7 --threads 1 $extra --out $OUT/$m-$x > $OUT/$m-$x.log 2>&1 || echo "FAIL $m $x"
  done
done
$CLI train --data $LOG/interactions.parquet --model gmf --method ig --epochs 2 --lr 2e-3 --seed 7 --threads 1 --extra-feedback column:like --warmup-epochs 1 --finetune-epochs 1 --colliding-neighbors 5 --eval full-ranking --out $OUT/gmf-ig-strat > $OUT/strat.log 2>&1 || echo "FAIL strat"
$CLI train --data $LOG/interactions.parquet --model neumf --method rce --epochs 2 --lr 2e-3 --seed 7 --threads 1 --eval full-ranking --out $OUT/neumf-rce-full > $OUT/full.log 2>&1 || echo "FAIL full"
$CLI train --data $LOG/interactions.parquet --model cdae --method ns --epochs 2 --lr 2e-3 --seed 7 --threads 1 --eval full-ranking --out $OUT/cdae-ns-full > $OUT/cdae-full.log 2>&1 || echo "FAIL cdae full"
echo done
