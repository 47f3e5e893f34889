package org.segue.lab;

import org.segue.engine.internal.ImageCodec;
import org.segue.engine.internal.ImageOps;
import org.segue.engine.internal.RgbImage;
import org.segue.lab.eval.ImageQuality;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "consistency", mixinStandardHelpOptions = true,
        description = {"How much of a protection is the same on every face of a person: the changes (protected minus",
                "clean, paired by name, both scaled to one size) are split into each person's mean and the rest.",
                "A shortcut an attacker can learn from few photos is one that repeats across a person's faces",
                "(shared near 1) and differs between people (the means' cosine near 0 or below)."})
final class ConsistencyCommand implements Callable<Integer> {

    @Option(names = "--clean", required = true, description = "clean dataset folder (<person>/<image>)")
    Path clean;

    @Option(names = "--protected", required = true, description = "its protected version")
    Path protectedRoot;

    @Option(names = "--size", defaultValue = "112", description = "both images are scaled (area averaging) to this "
            + "square first; default ${DEFAULT-VALUE}")
    int size;

    /** Each person's changes (protected minus clean, in levels, CHW at {@code size} px), in the folders' order. */
    static Map<String, List<float[]>> changesByPerson(Path clean, Path protectedRoot, int size) throws java.io.IOException {
        Map<String, List<float[]>> byPerson = new LinkedHashMap<>();
        for (Path[] pair : ImageQuality.pairFolders(clean, protectedRoot)) {
            float[] a = ImageOps.resize(ImageCodec.read(pair[0]), size, size).chw();
            float[] b = ImageOps.resize(ImageCodec.read(pair[1]), size, size).chw();
            float[] d = new float[a.length];
            for (int i = 0; i < d.length; i++) {
                d[i] = 255 * (b[i] - a[i]);
            }
            String person = clean.relativize(pair[0]).getName(0).toString();
            byPerson.computeIfAbsent(person, k -> new ArrayList<>()).add(d);
        }
        return byPerson;
    }

    /** The mean of some changes: a person's mean change, when they are that person's faces'. */
    static float[] meanChange(List<float[]> deltas) {
        float[] mean = new float[deltas.get(0).length];
        for (float[] d : deltas) {
            for (int i = 0; i < d.length; i++) {
                mean[i] += d[i] / deltas.size();
            }
        }
        return mean;
    }

    /** The mean of the people's mean changes: the part of a protection that is the same whoever it codes. */
    static float[] commonChange(Map<String, List<float[]>> byPerson) {
        float[] common = null;
        for (List<float[]> deltas : byPerson.values()) {
            if (common == null) {
                common = new float[deltas.get(0).length];
            }
            for (float[] d : deltas) {
                for (int i = 0; i < d.length; i++) {
                    common[i] += d[i] / deltas.size() / byPerson.size();
                }
            }
        }
        return common;
    }

    @Override
    public Integer call() throws Exception {
        Map<String, List<float[]>> byPerson = changesByPerson(clean, protectedRoot, size);
        List<float[]> means = new ArrayList<>();
        double sharedSum = 0;
        double withinCosSum = 0;
        double rmsSum = 0;
        int n = 0;
        for (Map.Entry<String, List<float[]>> e : byPerson.entrySet()) {
            List<float[]> deltas = e.getValue();
            float[] mean = meanChange(deltas);
            double energy = 0;
            for (float[] d : deltas) {
                energy += dot(d, d);
            }
            energy /= deltas.size();
            double meanEnergy = dot(mean, mean);
            double cos = 0;
            for (float[] d : deltas) {
                cos += cosine(d, mean);
            }
            // the share of each face's change that is its person's common change (1: the same on every face)
            double shared = energy == 0 ? 0 : meanEnergy / energy;
            sharedSum += shared;
            withinCosSum += cos / deltas.size();
            rmsSum += Math.sqrt(energy / mean.length);
            n++;
            means.add(mean);
        }
        double between = 0;
        int pairs = 0;
        for (int i = 0; i < means.size(); i++) {
            for (int j = i + 1; j < means.size(); j++) {
                between += cosine(means.get(i), means.get(j));
                pairs++;
            }
        }
        System.out.printf(Locale.ROOT, "%d people, %d faces at %d px: change rms %.2f levels; shared by a person's "
                        + "faces %.3f (energy of the person's mean over the faces' mean energy), faces' cosine with "
                        + "their person's mean %.3f; people's means' cosine with each other %.3f%n", n,
                byPerson.values().stream().mapToInt(List::size).sum(), size, rmsSum / n, sharedSum / n,
                withinCosSum / n, pairs == 0 ? Double.NaN : between / pairs);
        return 0;
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    private static double cosine(float[] a, float[] b) {
        double d = Math.sqrt(dot(a, a) * dot(b, b));
        return d == 0 ? 0 : dot(a, b) / d;
    }
}
