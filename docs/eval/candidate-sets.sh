#!/bin/bash
# Builds every set a candidate model's rows in webface10.plan read (runs/eval/NAME-*, git-ignored), the
# sets prepare-sets.sh builds for the shipped model: WebFace10 training set, celeb10 and ORL with name
# codes, celeb10 and ORL with the codes the model was trained with. Run prepare-sets.sh first (ORL split).
# usage (from the repository root): docs/eval/candidate-sets.sh MODEL NAME [JAR]
#   e.g. docs/eval/candidate-sets.sh docs/results/webface10-runs/run19.segue run19
set -euo pipefail
MODEL=$1; NAME=$2; J=${3:-training-tool/target/segue.jar}
OUT=runs/eval; DATA=../shared/datasets
[ -d $OUT/orl-split ] || { echo "run docs/eval/prepare-sets.sh first (it builds the ORL split)" >&2; exit 1; }
build() { # SET SOURCE: protects SOURCE with the folder names' codes into SET, renamed into place when complete
  [ -d $OUT/$1 ] && return 0
  rm -rf $OUT/.partial-$1
  java -jar "$J" protect-dataset --model "$MODEL" --input "$2" --output $OUT/.partial-$1
  mv $OUT/.partial-$1 $OUT/$1
}
build $NAME-webface10 $DATA/webface10/train
build $NAME-celeb10 $DATA/celeb10/train
build $NAME-orl $OUT/orl-split/train
[ -d $OUT/$NAME-celeb10-trained ] && [ -d $OUT/$NAME-orl-trained ] || docs/eval/transfer-trained-codes.sh "$MODEL" "$J" "$NAME"
echo "sets for $NAME ready in $OUT"
