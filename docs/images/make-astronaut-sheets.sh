#!/bin/bash
# The before / after sheets in README.md: the public-domain astronaut photo (NASA, via scikit-image's data)
# protected by the shipped model at the strengths low (the default) and high, and at high with the head concealed
# (--conceal-heads); each sheet shows the face at 1:1:
# the original, the protected photo, and the change amplified ten times around grey, with its S-CIELAB
# difference (40 px per degree, over the changed pixels) printed.
# Run from the repository root after `mvn -B -q install -DskipTests`.
set -euo pipefail
PHOTO=${1:-../shared/photos/public-domain/astronaut.png}
REGION=140,20,200,230 # the face and hair, left, top, width, height
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/clean/astronaut"
cp "$PHOTO" "$WORK/clean/astronaut/astronaut.png"
for sheet in low high conceal; do
  case "$sheet" in
    conceal) options=(--strength high --conceal-heads) ;;
    *) options=(--strength "$sheet") ;;
  esac
  java -jar training-tool/target/segue.jar protect "$WORK/clean/astronaut" --out "$WORK/$sheet/astronaut" \
    --person "Eileen Collins" "${options[@]}"
  java -jar training-tool/lab/target/segue-lab.jar sheets --clean "$WORK/clean" --protected "$WORK/$sheet" \
    --out "$WORK/sheets-$sheet" --region "$REGION"
  cp "$WORK/sheets-$sheet"/astronaut_astronaut_*.png "docs/images/astronaut-$sheet.png"
done
