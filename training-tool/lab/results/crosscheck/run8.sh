#!/bin/bash
# The GPU call of session 15 (device tool, from the repository root; .devdata carried, see README.md):
# the validation split's adversarial rows for run 12 and run 19 (five attacker seeds each: the choice of the
# default), run 19's PyTorch column, and the LSP / class-wise UE baselines on the rows the Java harness has
# not measured. Jobs in priority order; the deadline keeps what finished.
export PYTHONUNBUFFERED=1
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader
python3 training-tool/lab/results/crosscheck/torch_suite.py --data .devdata --jobs training-tool/lab/results/crosscheck/run8-jobs.json \
    --out $OUT/results.jsonl --workers ${WORKERS:-16} --threads 1 --deadline ${DEADLINE:-400} 2>&1 | grep -v Warning | tee $OUT/log.txt
