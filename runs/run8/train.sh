#!/bin/bash
# run 8: run 7 with a stronger band limit (perturbation scale 4: generator at 28 px for 112 px training)
cd /work/main
java -Xmx6g -jar /tmp/segue-s4.jar train --data ../shared/datasets/webface10/train --output runs/run8/run8.segue \
  --recipe cpu --epochs 30 --distortion robust --rescale 0.8,4 --codes name --perturbation-scale 4 \
  --crop 0.5,0.8 --colour-jitter 0.1 > runs/run8/train.log 2> runs/run8/train.err
echo "exit $?" >> runs/run8/train.log
