#!/bin/bash
# Ten of ORL's 40 people (the first ten in C sort order: s1, s10..s18), so that each has a code of its own:
# does the generator trained on WebFace10 protect a new source when people do not share codes? Builds
#   runs/eval/orl10-split        train (faces 1-8) / test (9-10), symbolic links into ../shared
#   runs/eval/segue-orl10        protected with the codes of their own names (as `protect --person` does)
#   runs/eval/segue-orl10-trained  person i protected with the code WebFace10's identity i was trained with
#   runs/eval/webface10-N, segue-webface10-N  the control: WebFace10 cut to N = 8 (ORL's), 16, 32, 64 training faces per person
# usage (repository root, after training-tool/lab/plans/prepare-sets.sh has made runs/eval/orl-split and segue-webface10):
#   training-tool/lab/plans/orl10-sets.sh [JAR]    (the shipped default model; name codes of WebFace10's folders 0..9)
set -euo pipefail
J=${1:-training-tool/lab/target/segue-lab.jar}
OUT=runs/eval
mapfile -t ids < <(ls $OUT/orl-split/train | LC_ALL=C sort | head -10)
rm -rf $OUT/orl10-split $OUT/segue-orl10 $OUT/segue-orl10-trained $OUT/.orl10-work
for part in train test; do
  for id in "${ids[@]}"; do
    mkdir -p $OUT/orl10-split/$part/$id
    for f in $OUT/orl-split/$part/$id/*; do ln -s "$(readlink -f "$f")" $OUT/orl10-split/$part/$id/; done
  done
done
java -jar "$J" protect-dataset --input $OUT/orl10-split/train --output $OUT/segue-orl10
mkdir -p $OUT/.orl10-work/in
for k in $(seq 0 9); do
  mkdir -p $OUT/.orl10-work/in/$k
  for f in $OUT/orl10-split/train/${ids[$k]}/*; do ln -s "$(readlink -f "$f")" $OUT/.orl10-work/in/$k/; done
done
java -jar "$J" protect-dataset --input $OUT/.orl10-work/in --output $OUT/.orl10-work/out
mkdir -p $OUT/segue-orl10-trained
for k in $(seq 0 9); do mv $OUT/.orl10-work/out/$k $OUT/segue-orl10-trained/${ids[$k]}; done
rm -rf $OUT/.orl10-work

# The control: WebFace10 with ORL's training-set size (the first 8 faces of each identity), and with 16, 32 and 64,
# protected by the shipped model (from runs/eval/segue-webface10, training-tool/lab/plans/prepare-sets.sh) and clean, tested on
# the whole WebFace10 test set: how the protection grows with the photos an attacker has of each person.
for n in 8 16 32 64; do
  rm -rf $OUT/webface10-$n $OUT/segue-webface10-$n
  for id in $(ls ../shared/datasets/webface10/train); do
    mkdir -p $OUT/webface10-$n/$id $OUT/segue-webface10-$n/$id
    for f in $(ls ../shared/datasets/webface10/train/$id | sort -n | head -$n); do
      ln -s "$(readlink -f ../shared/datasets/webface10/train/$id/$f)" $OUT/webface10-$n/$id/
      ln -s "$(readlink -f $OUT/segue-webface10/$id/${f%.*}.png)" $OUT/segue-webface10-$n/$id/
    done
  done
done
