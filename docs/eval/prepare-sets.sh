#!/bin/bash
# Builds every training set the evaluation plans read (under runs/eval/, git-ignored) from ../shared.
# Nothing from ../shared is copied: the ORL split is a folder of symbolic links.
# Usage (from the repository root, after `mvn -B -q install -DskipTests`):  docs/eval/prepare-sets.sh [MODEL]
# MODEL: the generator whose segue-* sets to build (default: the shipped default model).
set -euo pipefail
JAR=${JAR:-training-tool/target/segue.jar}
MODEL=${1:-engine/src/main/resources/org/segue/engine/models/default.segue}
source "$(dirname "$0")/sets-lib.sh"
# the ORL split and the model's sets (candidate-sets.sh makes runs/eval and the split first)
docs/eval/candidate-sets.sh "$MODEL" segue "$JAR"
[ -f runs/official-webface10.segue ] || java -jar $JAR import-official \
    --npz ../shared/fixtures/segue-official/segue-webface10-generator.npz --output runs/official-webface10.segue
official() { java -jar $JAR protect-dataset --model runs/official-webface10.segue --codes index --input $DATA/webface10/train --output $PARTIAL; }
build official-webface10 official
baseline() { java -jar $JAR protect-baseline --method $1 --input $DATA/webface10/train --output $PARTIAL --json $OUT/$1-webface10.json; }
build lsp-webface10 baseline lsp
# UE runs min-min rounds until the noise is learned: about 4 min per round for class-wise on this CPU
build ue-class-webface10 baseline ue-class
echo "sets ready in $OUT"
