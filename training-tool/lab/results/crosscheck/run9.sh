#!/bin/bash
# The second GPU call of session 15, on the same warm machine right after run8.sh: the 36 jobs of
# run8-jobs.json that run8.sh's deadline left (run9-jobs.json = run8-jobs.json less the names in run8-results.jsonl).
export PYTHONUNBUFFERED=1
python3 training-tool/lab/results/crosscheck/torch_suite.py --data .devdata --jobs training-tool/lab/results/crosscheck/run9-jobs.json \
    --out $OUT/results.jsonl --workers 16 --threads 1 --deadline ${DEADLINE:-290} 2>&1 | grep -v -i warning | tee $OUT/log.txt
