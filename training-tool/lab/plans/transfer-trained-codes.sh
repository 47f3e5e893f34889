#!/bin/bash
# Transfer as the paper's code does it: the new dataset's identity i takes the code the generator was
# trained with for WebFace10's identity i (the authors' label code is the class index, so their
# celeb10 class i gets WebFace10 class i's code). Run 12 was trained with name codes of WebFace10's
# folders 0..9, so identity i is protected under a folder named (i mod 10) and renamed back afterwards.
# ORL's 40 people share the ten codes four to a code (four passes of ten).
# usage: training-tool/lab/plans/transfer-trained-codes.sh MODEL JAR [NAME]
#   writes runs/eval/NAME-celeb10-trained and runs/eval/NAME-orl-trained (NAME: segue, the shipped model's sets)
# MODEL must be trained with --codes name on folders named 0..9 (WebFace10, as every shipped model since run 7).
set -euo pipefail
MODEL=${1:-runs/run12/run12.segue}; J=${2:-training-tool/lab/target/segue-lab.jar}; NAME=${3:-segue}
protect_as_trained() {  # SRC_DATASET OUT
  local src=$1 out=$2 work=runs/eval/xfer-work
  rm -rf "$work" "$out"; mkdir -p "$out"
  mapfile -t ids < <(ls "$src" | LC_ALL=C sort)
  local passes=$(( (${#ids[@]} + 9) / 10 ))
  for ((p = 0; p < passes; p++)); do
    rm -rf "$work"; mkdir -p "$work/in"
    for ((k = 0; k < 10; k++)); do
      i=$((p * 10 + k)); [ $i -lt ${#ids[@]} ] || break
      mkdir -p "$work/in/$k"
      for f in "$src/${ids[$i]}"/*; do ln -s "$(readlink -f "$f")" "$work/in/$k/"; done
    done
    java -jar "$J" protect-dataset --model "$MODEL" --codes name --input "$work/in" --output "$work/out"
    for ((k = 0; k < 10; k++)); do
      i=$((p * 10 + k)); [ $i -lt ${#ids[@]} ] || break
      mv "$work/out/$k" "$out/${ids[$i]}"
    done
  done
  rm -rf "$work"
}
protect_as_trained ../shared/datasets/celeb10/train runs/eval/$NAME-celeb10-trained
protect_as_trained runs/eval/orl-split/train runs/eval/$NAME-orl-trained
