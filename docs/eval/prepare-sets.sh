#!/bin/bash
# Builds every training set the evaluation plans read (under runs/eval/, git-ignored) from ../shared.
# Nothing from ../shared is copied: the ORL split is a folder of symbolic links.
# Usage (from the repository root, after `mvn -B -q install -DskipTests`):  docs/eval/prepare-sets.sh [MODEL]
# MODEL: the generator to evaluate (default: the shipped default model).
set -euo pipefail
JAR=${JAR:-training-tool/target/segue.jar}
MODEL=${1:-}
DATA=../shared/datasets
OUT=runs/eval
mkdir -p $OUT
model_opt=()
[ -n "$MODEL" ] && model_opt=(--model "$MODEL")

# ORL has no split: faces 1-8 of each of the 40 people train, 9-10 test (the paper's 80/20).
if [ ! -d $OUT/orl-split ]; then
  for person in $DATA/orl/s*; do
    id=$(basename $person)
    mkdir -p $OUT/orl-split/train/$id $OUT/orl-split/test/$id
    for i in 1 2 3 4 5 6 7 8; do ln -s "$(realpath $person/$i.png)" $OUT/orl-split/train/$id/$i.png; done
    for i in 9 10; do ln -s "$(realpath $person/$i.png)" $OUT/orl-split/test/$id/$i.png; done
  done
fi
# Each set is built under a temporary name and renamed when complete, so an interrupted run never leaves
# a half-protected set that a later run would take for finished.
build() { # NAME COMMAND... (the command writes to $PARTIAL)
  local name=$1; shift
  [ -d $OUT/$name ] && return 0
  PARTIAL=$OUT/.partial-$name
  rm -rf $PARTIAL
  "$@"
  mv $PARTIAL $OUT/$name
}
protect() { java -jar $JAR protect-dataset "${model_opt[@]}" --input $1 --output $PARTIAL; }
build segue-webface10 protect $DATA/webface10/train
build segue-celeb10 protect $DATA/celeb10/train
build segue-orl protect $OUT/orl-split/train
[ -f runs/official-webface10.segue ] || java -jar $JAR import-official \
    --npz ../shared/fixtures/segue-official/segue-webface10-generator.npz --output runs/official-webface10.segue
official() { java -jar $JAR protect-dataset --model runs/official-webface10.segue --codes index --input $DATA/webface10/train --output $PARTIAL; }
build official-webface10 official
baseline() { java -jar $JAR protect-baseline --method $1 --input $DATA/webface10/train --output $PARTIAL --json $OUT/$1-webface10.json; }
build lsp-webface10 baseline lsp
# UE runs min-min rounds until the noise is learned: about 4 min per round for class-wise on this CPU
build ue-class-webface10 baseline ue-class
echo "sets ready in $OUT"
