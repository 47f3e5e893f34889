#!/bin/bash
# Prepared in session 16 (no GPU lent then) for the next lent GPU (device tool, from the repository root, with
# .devdata carried: build it first with training-tool/lab/results/crosscheck/devdata.sh, delete it after the call):
# issue 9 for run 19, the shipped model (nine attacker seeds at 64-224 px, re-framing), more seeds on issue 3's
# near misses (EfficientNet-B0, adversarial rho_a 4/255), ORL, and run 19's JPEG and rho_a sweeps.
# Jobs in priority order (run10-jobs.json); the deadline keeps what finished. Merge: results -> run10-results.jsonl.
export PYTHONUNBUFFERED=1
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader
python3 training-tool/lab/results/crosscheck/torch_suite.py --data .devdata --jobs training-tool/lab/results/crosscheck/run10-jobs.json \
    --out $OUT/results.jsonl --workers ${WORKERS:-16} --threads 1 --deadline ${DEADLINE:-480} 2>&1 | grep --line-buffered -v Warning | tee $OUT/log.txt
