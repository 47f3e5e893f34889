#!/bin/bash
# The GPU call of session 8 (device tool, from the repository root; .devdata carried, see README.md):
# cross-check of run 12, the shipped default, on every row of the issue-3 and issue-9 tables.
export PYTHONUNBUFFERED=1
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader
python3 training-tool/lab/results/crosscheck/torch_suite.py --data .devdata --jobs training-tool/lab/results/crosscheck/run6-jobs.json \
    --out $OUT/results.jsonl --workers 14 --threads 1 --deadline ${DEADLINE:-430} 2>&1 | grep -v Warning | tee $OUT/log.txt
