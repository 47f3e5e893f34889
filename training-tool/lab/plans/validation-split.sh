#!/bin/bash
# Model selection without the test set: faces 0-99 of each WebFace10 training identity (protected by a
# model) to train the attacker on, faces 100-129 of the same identities, CLEAN, to test it on.
# Training runs vary a lot from seed to seed (docs/evaluation.md), so we train several and keep the one
# that protects best on this validation split; the test set is only used for the final figures.
# Usage: training-tool/lab/plans/validation-split.sh PROTECTED_SET NAME   (makes runs/eval/val/NAME-train, val/clean-val)
set -euo pipefail
cd "$(dirname "$0")/../../.."
SET=$1; NAME=$2; DATA=../shared/datasets/webface10/train; OUT=runs/eval/val
for person in $DATA/*; do
  id=$(basename $person)
  mkdir -p $OUT/$NAME-train/$id $OUT/clean-train/$id $OUT/clean-val/$id
  for f in $(ls $person | sort -n); do
    stem=${f%.*}
    if [ $stem -lt 100 ]; then
      ln -sf "$(realpath $SET/$id/$stem.png 2>/dev/null || realpath $SET/$id/$f)" $OUT/$NAME-train/$id/
      ln -sf "$(realpath $person/$f)" $OUT/clean-train/$id/
    else
      ln -sf "$(realpath $person/$f)" $OUT/clean-val/$id/
    fi
  done
done
echo "$OUT/$NAME-train: $(find -L $OUT/$NAME-train -type f | wc -l) faces; $OUT/clean-val: $(find -L $OUT/clean-val -type f | wc -l) faces"
