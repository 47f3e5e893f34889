# Sourced by the scripts that build evaluation sets (prepare-sets.sh, candidate-sets.sh): one place for how
# a set is built. Each set is built under a temporary name and renamed when complete, so an interrupted run
# never leaves a half-protected set that a later run would take for finished.
OUT=${OUT:-runs/eval}
DATA=${DATA:-../shared/datasets}
build() { # NAME COMMAND...: runs COMMAND, which writes the set to $PARTIAL, unless runs/eval/NAME exists
  local name=$1; shift
  [ -d "$OUT/$name" ] && return 0
  PARTIAL=$OUT/.partial-$name
  rm -rf "$PARTIAL"
  "$@"
  mv "$PARTIAL" "$OUT/$name"
}
# ORL has no split: faces 1-8 of each of the 40 people train, 9-10 test (the paper's 80/20); symbolic
# links, so nothing from ../shared is copied.
orl_split() {
  [ -d "$OUT/orl-split" ] && return 0
  local person id i
  for person in "$DATA"/orl/s*; do
    id=$(basename "$person")
    mkdir -p "$OUT/orl-split/train/$id" "$OUT/orl-split/test/$id"
    for i in 1 2 3 4 5 6 7 8; do ln -s "$(realpath "$person/$i.png")" "$OUT/orl-split/train/$id/$i.png"; done
    for i in 9 10; do ln -s "$(realpath "$person/$i.png")" "$OUT/orl-split/test/$id/$i.png"; done
  done
}
