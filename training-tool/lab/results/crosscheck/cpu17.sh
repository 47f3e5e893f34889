#!/bin/bash
# Session 17 (no GPU lent): more attacker seeds for run 19's two PyTorch cross-check rows nearest their targets,
# EfficientNet-B0 (15.2% over seeds 0-2) and ResNet18 at 112 px (13.2%), on this 2-core CPU, one job at a time
# (never beside another libtorch job). The data folder is made of links to ../shared and the model, not copies.
# Usage, from the repository root:  training-tool/lab/results/crosscheck/cpu17.sh [deadline-seconds]
set -euo pipefail
D=/tmp/segue-devdata-cpu
rm -rf $D; mkdir -p $D
ln -s "$(cd ../shared/datasets/webface10 && pwd)" $D/webface10
ln -s "$PWD/training-tool/lab/results/webface10-runs/run19.segue" $D/run19.segue
SEGUE_DEV=cpu OMP_NUM_THREADS=2 /usr/bin/python3 training-tool/lab/results/crosscheck/torch_suite.py --data $D \
    --jobs training-tool/lab/results/crosscheck/cpu17-jobs.json --out training-tool/lab/results/crosscheck/cpu17-results.jsonl \
    --workers 1 --threads 2 --deadline ${1:-1e9} 2>&1 | grep --line-buffered -v Warning
