#!/bin/bash
# Builds every training set the evaluation plans read (under runs/eval/, git-ignored) from ../shared.
# Nothing from ../shared is copied: the ORL split is a folder of symbolic links.
# Usage (from the repository root, after `mvn -B -q install -DskipTests`):  training-tool/lab/plans/prepare-sets.sh [MODEL]
# MODEL: the generator whose segue-* sets to build (default: run 12, the shipped default of sessions 6-14, whose
# rows the plans' *-segue names and docs/results hold). The run19-* sets are those of run 19, the shipped default before
# its fine-tune inside the face oval (training-tool/lab/results/webface10-runs/run19.segue), read by the plans' *-run19 rows.
set -euo pipefail
JAR=${JAR:-training-tool/lab/target/segue-lab.jar}
MODEL=${1:-training-tool/lab/results/webface10-runs/run12.segue}
source "$(dirname "$0")/sets-lib.sh"
# the ORL split and the models' sets (candidate-sets.sh makes runs/eval and the split first)
training-tool/lab/plans/candidate-sets.sh "$MODEL" segue "$JAR"
training-tool/lab/plans/candidate-sets.sh training-tool/lab/results/webface10-runs/run19.segue run19 "$JAR"
[ -f runs/official-webface10.segue ] || java -jar $JAR import-official \
    --npz ../shared/fixtures/segue-official/segue-webface10-generator.npz --output runs/official-webface10.segue
official() { java -jar $JAR protect-dataset --model runs/official-webface10.segue --codes index --input $DATA/webface10/train --output $PARTIAL; }
build official-webface10 official
baseline() { java -jar $JAR protect-baseline --method $1 --input $DATA/webface10/train --output $PARTIAL --json $OUT/$1-webface10.json; }
build lsp-webface10 baseline lsp
# UE runs min-min rounds until the noise is learned: about 4 min per round for class-wise on this CPU
build ue-class-webface10 baseline ue-class
# sample-wise: 20 descent steps per round, stops at 99% (4 rounds, about 11 min each on this CPU in session 9)
build ue-sample-webface10 baseline ue-sample
echo "sets ready in $OUT"
