#!/bin/bash
# run 9: run 8 (perturbation scale 4) with a larger adversarial distortion, rho_d 4/255 in 2 PGD steps
# (the GPU exploration lowered an adversarially trained attacker from 70-82% to 57% with it)
cd /work/main
java -Xmx6g -jar /tmp/segue-s4b.jar train --data ../shared/datasets/webface10/train --output runs/run9/run9.segue \
  --recipe cpu --epochs 30 --distortion robust --rescale 0.8,4 --codes name --perturbation-scale 4 \
  --crop 0.5,0.8 --colour-jitter 0.1 --pgd-steps 2 --pgd-radius 4 > runs/run9/train.log 2> runs/run9/train.err
echo "exit $?" >> runs/run9/train.log
