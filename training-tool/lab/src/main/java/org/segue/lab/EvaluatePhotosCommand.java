package org.segue.lab;

import com.google.gson.GsonBuilder;
import org.segue.engine.api.BatchRequest;
import org.segue.engine.api.BatchSummary;
import org.segue.engine.api.Cancellation;
import org.segue.engine.api.ConsoleProgress;
import org.segue.engine.api.Identities;
import org.segue.engine.api.ModelSource;
import org.segue.engine.api.NoFacePolicy;
import org.segue.engine.api.ProgressListener;
import org.segue.engine.api.ProtectionOptions;
import org.segue.engine.api.Protector;
import org.segue.engine.api.Segue;
import org.segue.engine.check.Attacker;
import org.segue.engine.generator.SegueModel;
import org.segue.engine.sideinfo.LabelCode;
import org.segue.engine.internal.AtomicFiles;
import org.segue.engine.internal.ImageCodec;
import org.segue.engine.internal.ImageOps;
import org.segue.engine.internal.RgbImage;
import org.segue.engine.spi.FaceDetector;
import org.segue.lab.eval.AttackerFaceCrops;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

@Command(name = "evaluate-photos", mixinStandardHelpOptions = true,
        description = {"End to end on whole photos: protects each person's training photos with the product (by name,",
                "by automatic grouping, or not at all), then an attacker finds and crops the faces with its own",
                "detector, trains a network from scratch on them and is tested on crops of the same people's clean",
                "unseen photos. Protection works when its accuracy is near chance (1 / people)."})
final class EvaluatePhotosCommand implements Callable<Integer> {

    @Option(names = "--photos", required = true, description = "folder: <person>/<whole photos>")
    Path photos;

    @Option(names = "--train-per-person", defaultValue = "24", description = "first N photos of each person (by name) train; default ${DEFAULT-VALUE}")
    int trainPerPerson;

    @Option(names = "--test-per-person", defaultValue = "6", description = "the next M photos test; default ${DEFAULT-VALUE}")
    int testPerPerson;

    @Option(names = "--identities", defaultValue = "person",
            description = "how the product is told who is who: person (one batch per person with its name), grouped "
                    + "(one batch, automatic grouping), clean (no protection: the attacker's ceiling), crops (a diagnostic: "
                    + "the model protects the attacker's own crops of the clean photos, by name, as protect-dataset "
                    + "does, so the photo pipeline is left out); default ${DEFAULT-VALUE}")
    String identities;

    @Option(names = "--model", defaultValue = "default", description = "model file, or default")
    String model;

    @Option(names = "--seeds", split = ",", defaultValue = "0,1,2", description = "attacker seeds; default ${DEFAULT-VALUE}")
    long[] seeds;

    @Option(names = "--epochs", defaultValue = "20", description = "attacker epochs; default ${DEFAULT-VALUE}")
    int epochs;

    @Option(names = "--input-size", defaultValue = "112", description = "attacker crops; default ${DEFAULT-VALUE}")
    int inputSize;

    @Option(names = "--attacker-margin", defaultValue = "0.2", description = "the attacker widens its detections by "
            + "this fraction on each side; default ${DEFAULT-VALUE}")
    double attackerMargin;

    @Option(names = "--attacker-crop", defaultValue = "box", description = "box (a square around the detection, "
            + "widened by --attacker-margin) or aligned (warped onto the five-point face template from the attacker's "
            + "landmarks, as recognition pipelines do); default ${DEFAULT-VALUE}")
    String attackerCrop;

    @Option(names = "--attacker-padding", defaultValue = "0", description = "aligned crops: the template widened by "
            + "this fraction (0: ArcFace's framing, the one the product's generator works in); default ${DEFAULT-VALUE}")
    double attackerPadding;

    @Option(names = "--strength", paramLabel = "LEVELS", defaultValue = "8",
            description = "the product's strength: largest change per 8-bit sample, 1..8 (protect --epsilon); default ${DEFAULT-VALUE}")
    int strength;

    @Option(names = "--grey", description = "counter-measure: the attacker turns its training and test faces grey "
            + "(Rec. 601 luma), as image shortcut squeezing does")
    boolean grey;

    @Option(names = "--jpeg-quality", description = "counter-measure: the attacker re-compresses each training face "
            + "as JPEG at this quality, at twice its input size, before scaling it down (as evaluate does with its files)")
    Integer jpegQuality;

    @Option(names = "--work", required = true, description = "folder for the protected photos (research faces: keep it out of the repository)")
    Path work;

    @Option(names = "--save-crops", paramLabel = "FOLDER", description = "also write the faces the attacker cut "
            + "(before its counter-measures) as <FOLDER>/train|test/<person>/<photo>.png, a dataset of crops for "
            + "evaluate and protect-dataset (research faces: keep it out of the repository)")
    Path saveCrops;

    @Option(names = "--json", description = "write the result as JSON to this file")
    Path json;

    @Override
    public Integer call() throws Exception {
        if (!List.of("person", "grouped", "clean", "crops").contains(identities)) {
            throw new IllegalArgumentException("--identities must be person, grouped, clean or crops");
        }
        if (!List.of("box", "aligned").contains(attackerCrop)) {
            throw new IllegalArgumentException("--attacker-crop must be box or aligned");
        }
        if (jpegQuality != null && (jpegQuality < 1 || jpegQuality > 100)) {
            throw new IllegalArgumentException("--jpeg-quality must be in 1..100, was " + jpegQuality);
        }
        long t0 = System.nanoTime();
        List<String> people = new ArrayList<>();
        List<List<Path>> train = new ArrayList<>();
        List<List<Path>> test = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(photos)) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                List<Path> files;
                try (Stream<Path> s = Files.list(dir)) {
                    files = s.filter(Files::isRegularFile).sorted().toList();
                }
                if (files.size() < trainPerPerson + testPerPerson) {
                    System.err.printf("skipping %s: %d photos, %d needed%n", dir.getFileName(), files.size(),
                            trainPerPerson + testPerPerson);
                    continue;
                }
                people.add(dir.getFileName().toString());
                train.add(files.subList(0, trainPerPerson));
                test.add(files.subList(trainPerPerson, trainPerPerson + testPerPerson));
            }
        }
        if (people.size() < 2) {
            throw new IllegalArgumentException(photos + " needs at least two people with enough photos");
        }
        ProgressListener progress = new ConsoleProgress(System.err);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("photos", photos.toString());
        result.put("identities", identities);
        result.put("strengthLevels", identities.equals("clean") ? null : strength);
        if (identities.equals("crops") && jpegQuality != null) {
            throw new IllegalArgumentException("--identities crops protects the crops the attacker trains on; "
                    + "it does not combine with --jpeg-quality");
        }
        result.put("people", people.size());
        result.put("trainPerPerson", trainPerPerson);
        result.put("testPerPerson", testPerPerson);
        result.put("attackerCrop", attackerCrop.equals("aligned") ? "aligned, padding " + attackerPadding
                : "box, margin " + attackerMargin);
        result.put("grey", grey);
        result.put("jpegQuality", jpegQuality);
        try (Protector protector = Segue.open(ModelSource.parse(model), "auto")) {
            List<List<Path>> attackerTrain = identities.equals("clean") || identities.equals("crops") ? train
                    : protect(protector, people, train, progress);
            FaceDetector attackerDetector = attackerDetector();
            try (attackerDetector) {
                // with re-compression the faces are cut at twice the input size, compressed, then scaled down
                int cropSize = jpegQuality == null ? inputSize : 2 * inputSize;
                AttackerFaceCrops crops = attackerCrop.equals("aligned")
                        ? AttackerFaceCrops.aligned(attackerDetector, cropSize, attackerPadding, attackerMargin)
                        : new AttackerFaceCrops(attackerDetector, cropSize, attackerMargin);
                List<RgbImage> trainFaces = new ArrayList<>();
                List<Integer> trainLabels = new ArrayList<>();
                List<Path> trainSources = new ArrayList<>();
                int missedTrain = collect(crops, attackerTrain, trainFaces, trainLabels, trainSources);
                List<RgbImage> testFaces = new ArrayList<>();
                List<Integer> testLabels = new ArrayList<>();
                List<Path> testSources = new ArrayList<>();
                int missedTest = collect(crops, test, testFaces, testLabels, testSources);
                if (saveCrops != null) {
                    save(saveCrops.resolve("train"), people, trainFaces, trainLabels, trainSources);
                    save(saveCrops.resolve("test"), people, testFaces, testLabels, testSources);
                }
                if (identities.equals("crops")) {
                    trainFaces = protectCrops(trainFaces, trainLabels, people);
                }
                trainFaces.replaceAll(face -> counterMeasures(face, true));
                testFaces.replaceAll(face -> counterMeasures(face, false));
                result.put("model", protector.model().toString());
                result.put("productDetector", protector.detectorName());
                result.put("attackerDetector", attackerDetector.name());
                result.put("trainFaces", trainFaces.size());
                result.put("trainPhotosWithoutFace", missedTrain);
                result.put("testFaces", testFaces.size());
                result.put("testPhotosWithoutFace", missedTest);
                int[] tl = trainLabels.stream().mapToInt(Integer::intValue).toArray();
                int[] sl = testLabels.stream().mapToInt(Integer::intValue).toArray();
                List<Double> accuracies = new ArrayList<>();
                Cancellation cancellation = new Cancellation();
                for (long seed : seeds) {
                    Attacker.Config config = new Attacker.Config(epochs, 16, 5e-4f, false, seed);
                    try (Attacker attacker = Attacker.train(config, trainFaces, tl, people.size(), progress, cancellation)) {
                        double a = attacker.score(testFaces, sl).accuracy();
                        accuracies.add(a);
                        System.err.printf(Locale.ROOT, "seed %d: %.1f%%%n", seed, 100 * a);
                    }
                }
                double mean = accuracies.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
                result.put("seeds", seeds);
                result.put("accuracies", accuracies);
                result.put("meanAccuracy", mean);
                result.put("chance", 1.0 / people.size());
                result.put("seconds", (System.nanoTime() - t0) / 1e9);
                System.out.printf(Locale.ROOT, "%s%s, %d people, %d/%d photos each, attacker crops %s%s%s: attacker "
                                + "%.1f%% (seeds %s; chance %.1f%%; %d training and %d test faces found by the attacker)%n",
                        identities, identities.equals("clean") ? "" : " at strength " + strength, people.size(),
                        trainPerPerson, testPerPerson, result.get("attackerCrop"),
                        grey ? ", grey" : "", jpegQuality == null ? "" : ", JPEG q" + jpegQuality, 100 * mean,
                        accuracies, 100.0 / people.size(), trainFaces.size(), testFaces.size());
            }
        }
        if (json != null) {
            String text = new GsonBuilder().setPrettyPrinting().create().toJson(result) + "\n";
            AtomicFiles.write(json, text.getBytes(StandardCharsets.UTF_8));
        }
        return 0;
    }

    /** What the attacker does to a face it cut before its network sees it: the chosen counter-measures. */
    private RgbImage counterMeasures(RgbImage face, boolean training) {
        RgbImage out = face;
        if (jpegQuality != null && training) {
            out = ImageCodec.jpegRoundTrip(out, jpegQuality);
        }
        if (out.height() != inputSize || out.width() != inputSize) {
            out = ImageOps.resize(out, inputSize, inputSize);
        }
        return grey ? ImageOps.grey(out) : out;
    }

    /**
     * The diagnostic {@code crops}: the model protects the attacker's crops themselves (each person's name code, at
     * the chosen strength), the way {@code protect-dataset} protects a dataset of crops. Against {@code person} it
     * separates what the photo pipeline (alignment by the product's detector, the paste-back into the photo, JPEG,
     * the attacker's own re-detection) takes from the protection and what the people themselves do.
     */
    private List<RgbImage> protectCrops(List<RgbImage> faces, List<Integer> labels, List<String> people) throws IOException {
        try (SegueModel m = model.equals("default") ? SegueModel.loadDefault(ai.djl.Device.cpu())
                : SegueModel.load(Path.of(model), ai.djl.Device.cpu())) {
            float epsilon = ProtectDatasetCommand.epsilonAt(m, strength);
            int[] codes = labels.stream().mapToInt(p -> LabelCode.labelForName(people.get(p), LabelCode.DEFAULT_BITS))
                    .toArray();
            return m.protectImages(faces, codes, epsilon, 32);
        }
    }

    /** The attacker's own detector: an instance apart from the product's. */
    private static FaceDetector attackerDetector() throws IOException {
        return new org.segue.engine.face.NeuralFaceDetector();
    }

    /** Protects every person's training photos with the product; returns the protected files, person by person. */
    private List<List<Path>> protect(Protector protector, List<String> people, List<List<Path>> train,
                                     ProgressListener progress) throws IOException {
        Path staged = work.resolve("train");
        Path out = work.resolve("protected-" + identities);
        for (int p = 0; p < people.size(); p++) {
            Path dir = Files.createDirectories(staged.resolve(people.get(p)));
            for (Path f : train.get(p)) {
                Path link = dir.resolve(f.getFileName());
                if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.createSymbolicLink(link, f.toAbsolutePath());
                }
            }
        }
        ProtectionOptions.Builder options = ProtectionOptions.builder().whenNoFace(NoFacePolicy.COPY)
                .strengthLevels(strength);
        Cancellation cancellation = new Cancellation();
        if (identities.equals("person")) {
            for (String person : people) {
                BatchSummary s = protector.protect(BatchRequest.into(out.resolve(person), staged.resolve(person)),
                        options.identities(Identities.person(person)).build(), progress, cancellation);
                System.err.printf("%s: %d photos, %d faces protected, %d without a face%n", person, s.photos(), s.faces(),
                        s.withoutFaces().size());
            }
        } else {
            BatchSummary s = protector.protect(BatchRequest.into(out, staged),
                    options.identities(Identities.grouped(0)).build(), progress, cancellation);
            System.err.printf("grouped: %d photos, %d faces protected, %d without a face%n", s.photos(), s.faces(),
                    s.withoutFaces().size());
        }
        List<List<Path>> protectedFiles = new ArrayList<>();
        for (int p = 0; p < people.size(); p++) {
            List<Path> files = new ArrayList<>();
            for (Path f : train.get(p)) {
                Path written = out.resolve(people.get(p)).resolve(f.getFileName()); // both modes mirror <person>/<photo>
                if (Files.isRegularFile(written)) {
                    files.add(written);
                }
            }
            protectedFiles.add(files);
        }
        return protectedFiles;
    }

    /** Writes each face as {@code dir/<person>/<photo>.png}, named after the photo it was cut from. */
    private static void save(Path dir, List<String> people, List<RgbImage> faces, List<Integer> labels,
                             List<Path> sources) throws IOException {
        for (int i = 0; i < faces.size(); i++) {
            ImageCodec.writePng(faces.get(i), dir.resolve(people.get(labels.get(i)))
                    .resolve(org.segue.lab.dataset.DatasetProtector.pngName(sources.get(i))));
        }
    }

    private static int collect(AttackerFaceCrops crops, List<List<Path>> files, List<RgbImage> faces, List<Integer> labels,
                               List<Path> sources) throws IOException {
        int missed = 0;
        for (int p = 0; p < files.size(); p++) {
            for (Path f : files.get(p)) {
                RgbImage face;
                try {
                    face = crops.crop(f);
                } catch (org.segue.engine.photo.PhotoException e) {
                    face = null;
                }
                if (face == null) {
                    missed++;
                } else {
                    faces.add(face);
                    labels.add(p);
                    sources.add(f);
                }
            }
        }
        return missed;
    }
}
