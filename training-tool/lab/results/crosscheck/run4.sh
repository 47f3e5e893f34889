#!/bin/bash
# The GPU call of session 4 (device tool, from the repository root; .devdata carried, see README.md).
export PYTHONUNBUFFERED=1 SEGUE_PARTIAL=$OUT/partial.jsonl
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader
python3 training-tool/lab/results/crosscheck/torch_suite.py --data .devdata --jobs training-tool/lab/results/crosscheck/run4-jobs.json \
    --out $OUT/results.jsonl --workers 12 --threads 1 --deadline ${DEADLINE:-470} 2>&1 | grep -v Warning | tee $OUT/log.txt
