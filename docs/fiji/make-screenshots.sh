#!/usr/bin/env bash
# Makes the screenshots in docs/fiji.md from real ImageJ windows on a virtual display.
# Needs: Xvfb (apt-get install xvfb), a build (mvn -B -q install -DskipTests) and ../shared/photos.
set -euo pipefail
cd "$(dirname "$0")/../.."
IJ_JAR=$(ls ~/.m2/repository/net/imagej/ij/1.54p/ij-1.54p.jar)
CP="$IJ_JAR:$(ls plugin/target/fiji/plugins/*.jar):plugin/target/fiji/jars/*"
PHOTO=${1:-../shared/photos/celeba-wild/id07475/056463.jpg}
xvfb-run -a -s "-screen 0 1400x1000x24" java -Dai.djl.offline=true -Dplugins.dir=plugin/target/fiji -cp "$CP" docs/fiji/Screenshots.java "$PHOTO" docs/fiji
