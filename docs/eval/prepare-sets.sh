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
protect() { # name input
  [ -d $OUT/$1 ] || java -jar $JAR protect-dataset "${model_opt[@]}" --input $2 --output $OUT/$1
}
protect segue-webface10 $DATA/webface10/train
protect segue-celeb10 $DATA/celeb10/train
protect segue-orl $OUT/orl-split/train
[ -d $OUT/official-webface10 ] || { [ -f runs/official-webface10.segue ] || java -jar $JAR import-official \
    --npz ../shared/fixtures/segue-official/segue-webface10-generator.npz --output runs/official-webface10.segue;
  java -jar $JAR protect-dataset --model runs/official-webface10.segue --codes index \
    --input $DATA/webface10/train --output $OUT/official-webface10; }
[ -d $OUT/lsp-webface10 ] || java -jar $JAR protect-baseline --method lsp --input $DATA/webface10/train \
    --output $OUT/lsp-webface10 --json $OUT/lsp-webface10.json
[ -d $OUT/ue-class-webface10 ] || java -jar $JAR protect-baseline --method ue-class --input $DATA/webface10/train \
    --output $OUT/ue-class-webface10 --json $OUT/ue-class-webface10.json
echo "sets ready in $OUT"
