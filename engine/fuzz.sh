#!/usr/bin/env bash
# The long fuzzing run of the photo path (decode -> orientation -> metadata -> protect -> encode) with
# Jazzer's command line. Usage: engine/fuzz.sh [SECONDS, default 1800]
# Findings are written as crash-* files in engine/fuzz-corpus/; copy one into
# src/test/resources/org/segue/engine/photo/PhotoFuzzTestInputs/decodeCleanProtect/ to make it a regression test.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_TO_RUN=${1:-1800}
mvn -B -q -pl engine test-compile
mvn -B -q -pl engine dependency:build-classpath -Dmdep.outputFile=target/fuzz-classpath.txt
mkdir -p engine/fuzz-corpus
cd engine
java -Dai.djl.offline=true -Xmx4g \
  -cp "target/test-classes:target/classes:$(cat target/fuzz-classpath.txt)" \
  com.code_intelligence.jazzer.Jazzer \
  --target_class=org.segue.engine.photo.PhotoFuzzer \
  --instrumentation_includes='org.segue.**:com.drew.**' \
  -max_total_time="$SECONDS_TO_RUN" -timeout=10 -rss_limit_mb=6000 -artifact_prefix=fuzz-corpus/ \
  fuzz-corpus src/test/resources/org/segue/engine/photo/PhotoFuzzTestInputs/decodeCleanProtect
