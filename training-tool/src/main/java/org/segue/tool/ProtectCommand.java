package org.segue.tool;

import org.segue.engine.api.ConsoleProgress;
import org.segue.engine.generator.SegueModel;
import org.segue.engine.photo.PhotoBatch;
import org.segue.engine.photo.FaceDetector;
import org.segue.engine.photo.OpenCvFaceDetector;
import org.segue.engine.photo.PhotoProtector;
import org.segue.engine.metadata.MetadataPolicy;
import org.segue.engine.api.Cancellation;
import org.segue.engine.api.ProgressListener;
import org.segue.engine.internal.DjlRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

@Command(name = "protect", mixinStandardHelpOptions = true,
        description = {"Protects the faces in photos (JPEG, PNG, TIFF, BMP) with the Segue generator: faces are found,",
                "perturbed within 8/255, and written to a mirrored output tree with cleaned metadata",
                "(GPS, thumbnails and face-region names removed). Originals are never changed unless --in-place.",
                "Exit codes: 0 all photos done, 1 some photos failed (see the summary), 2 usage error."})
final class ProtectCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "PHOTO_OR_FOLDER", description = "photos and folders (walked recursively)")
    List<Path> inputs;

    @Option(names = "--out", description = "output folder, mirroring the input tree (required unless --in-place or --dry-run)")
    Path out;

    @Option(names = "--in-place", description = "replace each original with its protected version (atomically)")
    boolean inPlace;

    @Option(names = "--dry-run", description = "only detect faces and report them; write no protected files")
    boolean dryRun;

    @Option(names = "--overlay", arity = "0..1", paramLabel = "DIR", fallbackValue = "",
            description = "also write review images with the face regions drawn (default folder: OUT/overlays)")
    Path overlay;

    @Option(names = "--report", paramLabel = "FILE",
            description = "JSON report of every photo (default: OUT/protection-report.json; none in place)")
    Path report;

    @Option(names = "--person", paramLabel = "NAME",
            description = "all faces are this person: a stable code from the name (the name is never written)")
    String person;

    @Option(names = "--mapping", paramLabel = "CSV",
            description = "photo[#face],person lines (photo path as in the report); unlisted faces are grouped")
    Path mapping;

    @Option(names = "--groups", defaultValue = "0",
            description = "number of look-alike groups for faces without a person (0: sqrt of the face count)")
    int groups;

    @Option(names = "--model", description = "model file (.segue); default: the model shipped with Segue")
    Path model;

    @Option(names = "--epsilon", paramLabel = "LEVELS", defaultValue = "8",
            description = "largest change per 8-bit sample, 1..8 (default ${DEFAULT-VALUE}: the model's 8/255)")
    int epsilonLevels;

    @Option(names = "--quality", defaultValue = "95", description = "JPEG output quality 1..100 (default ${DEFAULT-VALUE})")
    int quality;

    @Option(names = "--keep-location", description = "keep GPS location metadata (removed by default)")
    boolean keepLocation;

    @Option(names = "--margin", defaultValue = "0.3",
            description = "widen each detected face by this fraction on every side (default ${DEFAULT-VALUE})")
    double margin;

    @Option(names = "--max-megapixels", defaultValue = "100", description = "refuse larger photos (default ${DEFAULT-VALUE})")
    double maxMegapixels;

    @Option(names = "--device", defaultValue = "auto", description = "auto | cpu | gpu (default ${DEFAULT-VALUE})")
    String device;

    @Override
    public Integer call() throws Exception {
        if (!inPlace && !dryRun && out == null) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--out DIR is required (or --in-place, or --dry-run)");
        }
        if (epsilonLevels < 1 || epsilonLevels > 8) {
            throw new IllegalArgumentException("--epsilon must be 1..8 levels, was " + epsilonLevels);
        }
        if (person != null && mapping != null) {
            throw new IllegalArgumentException("give either --person or --mapping, not both");
        }
        PhotoBatch.Identities identities = person != null ? new PhotoBatch.Identities.Person(person)
                : mapping != null ? new PhotoBatch.Identities.Mapping(readMapping(mapping), groups)
                : new PhotoBatch.Identities.Grouped(groups);
        Path overlayDir = overlay == null ? null
                : overlay.toString().isEmpty() ? (out != null ? out.resolve("overlays") : Path.of("overlays")) : overlay;
        Path reportFile = report != null ? report : (out != null && !inPlace ? out.resolve("protection-report.json") : null);
        PhotoProtector.Options options = PhotoProtector.Options.defaults()
                .withEpsilon(epsilonLevels / 255f)
                .withJpegQuality(quality)
                .withMetadata(new MetadataPolicy(keepLocation))
                .withFaceMargin(margin)
                .withMaxPixels((long) (maxMegapixels * 1_000_000));
        Cancellation cancellation = new Cancellation();
        CountDownLatch finished = new CountDownLatch(1);
        Thread onInterrupt = new Thread(() -> {
            cancellation.cancel(); // finish the current photo, write nothing partial, then stop
            try {
                finished.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        try (SegueModel m = model == null ? SegueModel.loadDefault(DjlRuntime.resolveDevice(device))
                : SegueModel.load(model, DjlRuntime.resolveDevice(device));
             FaceDetector detector = new OpenCvFaceDetector()) {
            PhotoProtector protector = new PhotoProtector(m, detector, options);
            PhotoBatch.Request request = new PhotoBatch.Request(inputs, out, inPlace, dryRun, overlayDir, reportFile,
                    identities);
            ProgressListener progress = new ConsoleProgress(System.err);
            PhotoBatch.Summary s = PhotoBatch.run(protector, request, progress, cancellation);
            printSummary(s, reportFile);
            if (s.cancelled()) {
                return 130;
            }
            return s.failed().isEmpty() ? 0 : 1;
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(onInterrupt);
            } catch (IllegalStateException e) {
                // already shutting down
            }
        }
    }

    private void printSummary(PhotoBatch.Summary s, Path reportFile) {
        if (dryRun) {
            for (PhotoBatch.PhotoReport r : s.reports()) {
                if (!r.status().equals("failed")) {
                    System.out.printf("%s: %d face(s) %s%n", r.photo(), r.faces().size(), r.faces());
                }
            }
        }
        long noFace = s.reports().stream().filter(r -> !r.status().equals("failed") && r.faces().isEmpty()).count();
        System.out.printf("%d photo(s), %d face(s) found, %d protected file(s) written, %d without a face, %d failed (%.1f s)%s%n",
                s.photos(), s.faces(), s.written(), noFace, s.failed().size(), s.seconds(),
                s.cancelled() ? ", cancelled" : "");
        for (PhotoBatch.PhotoReport f : s.failed()) {
            System.err.println("failed: " + f.photo() + ": " + f.reason());
        }
        if (reportFile != null) {
            System.out.println("Report: " + reportFile);
        }
    }

    /** Reads {@code photo[#face],person} lines; blank lines and lines starting with # are skipped. */
    static Map<String, String> readMapping(Path file) throws IOException {
        Map<String, String> people = new LinkedHashMap<>();
        int n = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            n++;
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            int comma = t.lastIndexOf(',');
            if (comma <= 0 || comma == t.length() - 1) {
                throw new IllegalArgumentException(file + " line " + n + ": expected photo[#face],person");
            }
            people.put(t.substring(0, comma).strip(), t.substring(comma + 1).strip());
        }
        return people;
    }
}
