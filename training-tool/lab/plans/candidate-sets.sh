#!/bin/bash
# Builds every set a model's rows in webface10.plan read (runs/eval/NAME-*, git-ignored): the WebFace10
# training set, celeb10 and ORL with name codes, celeb10 and ORL with the codes the model was trained with
# (the paper's transfer protocol, transfer-trained-codes.sh). prepare-sets.sh calls it with NAME segue for
# the shipped model; a candidate gets its own NAME.
# usage (from the repository root): training-tool/lab/plans/candidate-sets.sh MODEL NAME [JAR]
#   e.g. training-tool/lab/plans/candidate-sets.sh training-tool/lab/results/webface10-runs/run19.segue run19
set -euo pipefail
MODEL=$1; NAME=$2; J=${3:-training-tool/lab/target/segue-lab.jar}
source "$(dirname "$0")/sets-lib.sh"
mkdir -p "$OUT"
orl_split
protect() { java -jar "$J" protect-dataset --model "$MODEL" --input "$1" --output "$PARTIAL"; }
build $NAME-webface10 protect $DATA/webface10/train
build $NAME-celeb10 protect $DATA/celeb10/train
build $NAME-orl protect $OUT/orl-split/train
[ -d $OUT/$NAME-celeb10-trained ] && [ -d $OUT/$NAME-orl-trained ] || training-tool/lab/plans/transfer-trained-codes.sh "$MODEL" "$J" "$NAME"
echo "sets for $NAME ready in $OUT"
