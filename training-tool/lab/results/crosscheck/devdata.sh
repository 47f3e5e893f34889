#!/bin/bash
# Builds .devdata/, the data folder torch_suite.py reads (layout in its docstring), for a call on a lent GPU
# host: the device tool carries it (`carry: [".devdata"]`, 64 MiB at most). It copies datasets from ../shared,
# so delete it after the call (git ignores it; nothing from ../shared may stay in the project).
# Needs the Java-written sets of training-tool/lab/plans/prepare-sets.sh under runs/eval (for the parity jobs and the UE noise).
# Usage, from anywhere:  training-tool/lab/results/crosscheck/devdata.sh [--no-celeb10] [--no-orl]
set -euo pipefail
cd "$(dirname "$0")/../../../.."
SHARED=../shared; D=.devdata; EVAL=runs/eval
celeb=1; orl=1
for a in "$@"; do
  case $a in --no-celeb10) celeb=0 ;; --no-orl) orl=0 ;; *) echo "unknown option $a" >&2; exit 2 ;; esac
done
rm -rf $D; mkdir -p $D/java $D/ue
cp -r $SHARED/datasets/webface10 $D/
if [ $celeb = 1 ]; then cp -r $SHARED/datasets/celeb10 $D/; fi
if [ $orl = 1 ]; then cp -r $SHARED/datasets/orl $D/; fi
cp training-tool/lab/results/webface10-runs/run12.segue training-tool/lab/results/webface10-runs/run19.segue $D/
cp $SHARED/fixtures/segue-official/segue-webface10-generator.npz $D/official.npz
# FROM..TO (1-based, in numeric order) of each identity's Java-written files of SET, into DEST/<identity>/
files() { # SET FROM TO DEST
  local dir id
  for dir in "$EVAL/$1"/*/; do
    id=$(basename "$dir"); mkdir -p "$D/$4/$id"
    ls "$dir" | sort -n | sed -n "$2,$3p" | while read -r f; do cp "$dir/$f" "$D/$4/$id/"; done
  done
}
files run19-webface10 1 1 java/run19        # parity of the generator port
files lsp-webface10 1 1 java/lsp            # parity of the LSP port
files ue-class-webface10 1 1 java/ueclass   # parity of the recovered UE noise: files it was not recovered from
files ue-class-webface10 2 5 ue             # the files each identity's UE noise is recovered from
du -sh $D
