#!/bin/bash
# The second GPU call of session 8 (device tool, from the repository root; .devdata carried, see README.md):
# attacker seeds 3-8 of run 12 at every issue-9 input size, so each size has nine PyTorch seeds.
# Decided before this call (and written in docs/evaluation.md, issue 9): issue 9 is resolved only if the
# nine-seed PyTorch mean is <= 15% at every size as well as the three-seed Java mean.
export PYTHONUNBUFFERED=1
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader
python3 training-tool/lab/results/crosscheck/torch_suite.py --data .devdata --jobs training-tool/lab/results/crosscheck/run7-jobs.json \
    --out $OUT/results.jsonl --workers 14 --threads 1 --deadline ${DEADLINE:-250} 2>&1 | grep -v Warning | tee $OUT/log.txt
