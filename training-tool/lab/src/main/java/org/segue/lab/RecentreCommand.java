package org.segue.lab;

import org.segue.engine.internal.ImageCodec;
import org.segue.engine.internal.RgbImage;
import org.segue.lab.dataset.DatasetProtector;
import org.segue.lab.eval.ImageQuality;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "recentre", mixinStandardHelpOptions = true,
        description = {"A probe of what makes a protection learnable: rewrites a protected dataset of aligned crops with",
                "each face's change minus the change common to every person (estimated on another protected set, so",
                "nothing of the people measured leaks into it), or with its person's mean change (class-wise), clipped",
                "to the budget. Then evaluate it as any protected set."})
final class RecentreCommand implements Callable<Integer> {

    @Option(names = "--clean", required = true, description = "clean crops (<person>/<image>)")
    Path clean;

    @Option(names = "--protected", required = true, description = "their protected version")
    Path protectedRoot;

    @Option(names = "--common-clean", required = true, description = "clean crops of other people")
    Path commonClean;

    @Option(names = "--common-protected", required = true, description = "their protected version: the common change "
            + "is the mean of these people's mean changes")
    Path commonProtected;

    @Option(names = "--class-wise", description = "give every face its person's mean change (after the common "
            + "change is taken away), instead of its own")
    boolean classWise;

    @Option(names = "--keep-common", description = "keep the common change (with --class-wise: the class-wise "
            + "version of the protection as it is)")
    boolean keepCommon;

    @Option(names = "--gain", defaultValue = "1", description = "multiply the change by this before clipping "
            + "(above 1: the same pattern nearer the budget everywhere); default ${DEFAULT-VALUE}")
    float gain;

    @Option(names = "--levels", defaultValue = "8", description = "budget the result is clipped to; default ${DEFAULT-VALUE}")
    int levels;

    @Option(names = "--size", defaultValue = "112", description = "the crops' size; default ${DEFAULT-VALUE}")
    int size;

    @Option(names = "--output", required = true, description = "folder for the rewritten protected crops")
    Path output;

    @Override
    public Integer call() throws Exception {
        float[] common = keepCommon ? new float[3 * size * size]
                : ConsistencyCommand.commonChange(ConsistencyCommand.changesByPerson(commonClean, commonProtected, size));
        Map<String, List<float[]>> byPerson = ConsistencyCommand.changesByPerson(clean, protectedRoot, size);
        Map<String, float[]> personMean = new java.util.HashMap<>();
        byPerson.forEach((person, deltas) -> personMean.put(person, ConsistencyCommand.meanChange(deltas)));
        int written = 0;
        double rms = 0;
        for (Path[] pair : ImageQuality.pairFolders(clean, protectedRoot)) {
            RgbImage a = ImageCodec.read(pair[0]);
            if (a.height() != size || a.width() != size) {
                throw new IllegalArgumentException(pair[0] + " is not " + size + " px square");
            }
            String person = clean.relativize(pair[0]).getName(0).toString();
            RgbImage b = ImageCodec.read(pair[1]);
            float[] delta = new float[a.chw().length];
            float[] mean = personMean.get(person);
            for (int i = 0; i < delta.length; i++) {
                float own = classWise ? mean[i] : 255 * (b.chw()[i] - a.chw()[i]);
                float levelsChange = Math.max(-levels, Math.min(levels, gain * (own - common[i])));
                delta[i] = Math.round(levelsChange) / 255f;
                rms += (double) levelsChange * levelsChange;
            }
            Path target = output.resolve(person).resolve(DatasetProtector.pngName(pair[0]));
            ImageCodec.writePng(a.plusClamped(delta), target);
            written++;
        }
        System.out.printf(Locale.ROOT, "%d crops written to %s (%s, common change %s, gain %.1f, clipped to %d levels): "
                        + "change rms %.2f levels%n", written, output, classWise ? "class-wise" : "each face its own",
                keepCommon ? "kept" : "taken away", gain, levels, Math.sqrt(rms / written / (3.0 * size * size)));
        return 0;
    }
}
