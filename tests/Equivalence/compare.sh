#!/usr/bin/env bash
# Compares two run.sh outputs: every metrics.json without timings and settings, and every convergence.csv byte for byte.
A=$1; B=$2; diffs=0
for d in $A/*/; do n=$(basename $d)
  for f in metrics.json; do
    python3 - "$A/$n/$f" "$B/$n/$f" <<'PY' || diffs=$((diffs+1))
import json,sys
def load(p):
    j=json.load(open(p))
    def strip(o):
        if isinstance(o,dict): return {k:strip(v) for k,v in o.items() if k not in ('train_seconds','rows_per_second','settings','seconds') and not k.endswith('_settings') and 'second' not in k and not k.endswith('share_of_training')}
        if isinstance(o,list): return [strip(v) for v in o]
        return o
    return strip(j)
a,b=load(sys.argv[1]),load(sys.argv[2])
if a!=b:
    print('DIFF', sys.argv[1]); 
    for k in a:
        if a.get(k)!=b.get(k): print('  ',k, str(a.get(k))[:200], '|', str(b.get(k))[:200])
    sys.exit(1)
PY
  done
  if [ -f $A/$n/convergence.csv ]; then cmp -s $A/$n/convergence.csv $B/$n/convergence.csv || { echo "DIFF convergence $n"; diffs=$((diffs+1)); }; fi
done
echo "differences: $diffs"
