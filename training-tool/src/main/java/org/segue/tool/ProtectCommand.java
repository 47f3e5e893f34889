package org.segue.tool;

import org.segue.engine.api.BatchRequest;
import org.segue.engine.api.BatchSummary;
import org.segue.engine.api.Cancellation;
import org.segue.engine.api.ConsoleProgress;
import org.segue.engine.api.Identities;
import org.segue.engine.api.ModelSource;
import org.segue.engine.api.PhotoResult;
import org.segue.engine.api.ProtectionOptions;
import org.segue.engine.api.Protector;
import org.segue.engine.api.Segue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
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
        if (person != null && mapping != null) {
            throw new IllegalArgumentException("give either --person or --mapping, not both");
        }
        if (inPlace && dryRun) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--dry-run writes no photos: it cannot be combined with --in-place");
        }
        Identities identities = person != null ? Identities.person(person)
                : mapping != null ? Identities.mapping(mapping, groups) : Identities.grouped(groups);
        ProtectionOptions options;
        try {
            options = ProtectionOptions.builder()
                    .strengthLevels(epsilonLevels)
                    .jpegQuality(quality)
                    .keepLocation(keepLocation)
                    .faceMargin(margin)
                    .maxMegapixels(maxMegapixels)
                    .identities(identities)
                    .build();
        } catch (IllegalArgumentException e) { // an option value out of range is bad usage
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), e.getMessage()
                    + " (--epsilon, --quality, --margin, --max-megapixels)");
        }
        Path overlayDir = overlay == null ? null
                : overlay.toString().isEmpty() ? (out != null ? out.resolve("overlays") : Path.of("overlays")) : overlay;
        Path reportFile = report != null ? report
                : (out != null && !inPlace ? out.resolve(BatchRequest.REPORT_NAME) : null);
        BatchRequest request = new BatchRequest(inputs, inPlace || dryRun ? null : out, inPlace, dryRun, overlayDir,
                reportFile);
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
        try (Protector protector = Segue.open(model == null ? ModelSource.shipped() : ModelSource.file(model), device)) {
            BatchSummary s = protector.protect(request, options, new ConsoleProgress(System.err), cancellation);
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

    private void printSummary(BatchSummary s, Path reportFile) {
        if (dryRun) {
            for (PhotoResult r : s.results()) {
                if (!r.isFailed()) {
                    System.out.printf("%s: %d face(s) %s%n", r.photo(), r.faces().size(), r.faces());
                }
            }
        }
        System.out.printf("%d photo(s), %d face(s) found, %d protected file(s) written, %d without a face, %d failed (%.1f s)%s%n",
                s.photos(), s.faces(), s.written(), s.withoutFaces().size(), s.failed().size(), s.seconds(),
                s.cancelled() ? ", cancelled" : "");
        for (PhotoResult r : s.withoutFaces()) {
            System.err.println("no face found, nothing protected: " + r.photo());
        }
        for (PhotoResult f : s.failed()) {
            System.err.println("failed: " + f.photo() + ": " + f.reason());
        }
        if (reportFile != null) {
            System.out.println("Report: " + reportFile);
        }
    }
}
