package org.segue.tool;

import org.segue.engine.api.BatchRequest;
import org.segue.engine.api.BatchSummary;
import org.segue.engine.api.Cancellation;
import org.segue.engine.api.ErasureKey;
import org.segue.engine.api.ConsoleProgress;
import org.segue.engine.api.Identities;
import org.segue.engine.api.ModelSource;
import org.segue.engine.api.NoFacePolicy;
import org.segue.engine.api.PhotoResult;
import org.segue.engine.api.ProtectionOptions;
import org.segue.engine.api.StrengthPreset;
import org.segue.engine.api.Protector;
import org.segue.engine.api.ReadOnlyPolicy;
import org.segue.engine.api.Segue;
import org.segue.engine.spi.FaceBox;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

@Command(name = "protect", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Protects the faces in photos and folders of photos.",
        description = {"Protects the faces in photos (JPEG, PNG, TIFF, BMP) with the Segue generator. Faces are found "
                + "and perturbed within the strength (--strength; at most 8/255); each photo is written to a mirrored "
                + "output tree with cleaned metadata (GPS, thumbnails and face-region names removed). Originals are "
                + "never changed unless --in-place.",
                "",
                "A photo in which no face is found is never called protected: the summary lists it for a person to "
                + "look at, and --no-face says what is written for it. A photo given twice is protected once.",
                ""},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:all photos done (protected, or without a face under --no-face copy or skip)",
                "1:an error, or some photos failed (each listed with its reason)",
                "2:bad usage (an option, a value or a path is wrong); nothing was written",
                "130:cancelled (Ctrl-C); the photos done so far are complete, nothing is half-written"})
final class ProtectCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "PHOTO_OR_FOLDER", description = "Photos and folders (walked recursively).")
    List<Path> inputs;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Output folder, mirroring the input tree (required unless --in-place or --dry-run).")
    Path out;

    @Option(names = "--in-place", description = "Replace each original with its protected version (atomically). "
            + "Read-only originals are kept unless --force.")
    boolean inPlace;

    @Option(names = "--force", description = "With --in-place: replace read-only originals too (they stay read-only).")
    boolean force;

    @Option(names = "--dry-run", description = "Only find the faces and list them; write no photos.")
    boolean dryRun;

    @Option(names = "--json", description = "Print the summary as JSON (the report's format) instead of text.")
    boolean json;

    @Option(names = "--no-face", paramLabel = "POLICY", defaultValue = "copy",
            description = "What is written for a photo without a face: copy (its pixels unchanged, metadata cleaned), "
                    + "skip (nothing) or fail (nothing, and it counts as failed). Default: ${DEFAULT-VALUE}.")
    String noFace;

    @Option(names = "--overlay", arity = "0..1", paramLabel = "DIR", fallbackValue = "",
            description = "Also write review images with the face regions drawn (default folder: OUT/overlays).")
    Path overlay;

    @Option(names = "--report", paramLabel = "FILE",
            description = "JSON report of every photo (default: OUT/protection-report.json; none in place).")
    Path report;

    @Option(names = "--person", paramLabel = "NAME",
            description = "All faces are this person: a stable code from the name (the name is never written).")
    String person;

    @Option(names = "--mapping", paramLabel = "CSV",
            description = "photo[#face],person lines (photo path as in the report); unlisted faces are grouped.")
    Path mapping;

    @Option(names = "--groups", paramLabel = "K", defaultValue = "0",
            description = "Faces without a person are grouped by person with a pretrained face recogniser; K > 0 makes "
                    + "exactly K groups (0: as many as there are people, found from how alike the faces are).")
    int groups;

    @Option(names = "--group-registry", paramLabel = "FILE",
            description = "Keep automatic grouping's groups in FILE, so a person keeps one code from batch to batch. "
                    + "The file holds biometric templates (each group's mean face embedding), encrypted with --key or "
                    + "--passphrase-file; it is written only when this option is given.")
    Path groupRegistry;

    @Option(names = "--erasable", description = "Erasable protection: each photo carries the original samples of its "
            + "protected regions, encrypted under --key (or --passphrase-file), so that 'segue restore' gives the "
            + "original back. A photo already protected erasably is refused.")
    boolean erasable;

    @Option(names = "--key", paramLabel = "FILE", description = "With --erasable: the key file ('segue keygen FILE' makes one).")
    Path keyFile;

    @Option(names = "--passphrase-file", paramLabel = "FILE",
            description = "With --erasable: a file whose first line is the passphrase (stretched with Argon2id).")
    Path passphraseFile;

    @Option(names = "--model", paramLabel = "FILE", description = "Model file (.segue). Default: the model shipped "
            + "with Segue.")
    Path model;

    @Option(names = "--strength", paramLabel = "PRESET",
            description = "low, medium, high, or the largest change per 8-bit sample as a number 1..8. low is not "
                    + "seen, and protects against nothing measured; high (8, the model's budget) holds back a recogniser "
                    + "trained on the photos of the people the model learnt, and is seen as a colour cast on the face "
                    + "(docs/model-card.md). Default: " + StrengthPreset.DEFAULT_NAME + ".")
    String strength;

    @Option(names = "--conceal-heads",
            description = "Also blur each head (face, hair, ears) so that face recognition with pretrained models "
                    + "cannot match it: no strength does that (docs/evaluation.md). Plainly seen; the strength's "
                    + "protection is added on top.")
    boolean concealHeads;

    /** The older name of {@code --strength}'s number of levels. */
    @Option(names = "--epsilon", paramLabel = "LEVELS", hidden = true)
    Integer epsilonLevels;

    @Option(names = "--quality", paramLabel = "1..100", defaultValue = "95",
            description = "JPEG output quality. Default: ${DEFAULT-VALUE}.")
    int quality;

    @Option(names = "--keep-location", description = "Keep GPS location metadata (removed by default).")
    boolean keepLocation;

    @Option(names = "--margin", paramLabel = "FRACTION", defaultValue = "0.3",
            description = "Widen each detected face by this fraction on every side, 0..2. Default: ${DEFAULT-VALUE}.")
    double margin;

    @Option(names = "--max-megapixels", paramLabel = "MP", defaultValue = "100",
            description = "Refuse larger photos. Default: ${DEFAULT-VALUE}.")
    double maxMegapixels;

    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or gpu. Default: ${DEFAULT-VALUE}.")
    String device;

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    @Override
    public Integer call() throws Exception {
        // everything the command line says is checked before the model is opened or anything is written
        Checked checked = check();
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
            try {
                protector.requireStrengthWithinBudget(checked.options().strengthLevels());
            } catch (IllegalArgumentException e) { // --strength against --model: refused before any photo
                throw usage(e.getMessage());
            }
            BatchSummary s = protector.protect(checked.request(), checked.options(), new ConsoleProgress(System.err),
                    cancellation, force ? ReadOnlyPolicy.REPLACE : ReadOnlyPolicy.KEEP);
            if (json) {
                System.out.println(s.toJson());
            } else {
                printSummary(s, checked.options(), checked.request().reportFile(), System.out);
            }
            for (PhotoResult f : s.failed()) {
                System.err.println("failed: " + f.photo() + ": " + f.reason());
            }
            if (s.failed().stream().anyMatch(f -> ReadOnlyPolicy.KEEP_REASON.equals(f.reason()))) {
                System.err.println("Read-only originals were kept; --force replaces them too.");
            }
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

    private record Checked(BatchRequest request, ProtectionOptions options) {}

    /** The command line as a request and options, or a usage error (exit 2) naming what is wrong. */
    private Checked check() {
        if (inPlace && dryRun) {
            throw usage("--dry-run writes no photos: it cannot be combined with --in-place");
        }
        if (!inPlace && !dryRun && out == null) {
            throw usage("--out DIR is required (or --in-place, or --dry-run)");
        }
        if (inPlace && out != null) {
            throw usage("--in-place replaces the originals: it takes no --out folder");
        }
        if (force && !inPlace) {
            throw usage("--force only applies to --in-place (replacing read-only originals)");
        }
        if ((keyFile != null || passphraseFile != null) && !erasable && groupRegistry == null) {
            throw usage("--key and --passphrase-file go with --erasable or --group-registry");
        }
        if (groupRegistry != null) {
            if (keyFile == null && passphraseFile == null) {
                throw usage("--group-registry needs --key FILE (segue keygen FILE makes one) or --passphrase-file FILE "
                        + "to encrypt it");
            }
            if (person != null || dryRun) {
                throw usage("--group-registry keeps automatic grouping's groups: it does not go with --person or --dry-run");
            }
            if (Files.isDirectory(groupRegistry)) {
                throw usage("--group-registry names a file; " + groupRegistry + " is a folder");
            }
        }
        if (erasable && dryRun) {
            throw usage("--erasable protects photos: a dry run writes none");
        }
        if (erasable && keyFile == null && passphraseFile == null) {
            throw usage("--erasable needs --key FILE (segue keygen FILE makes one) or --passphrase-file FILE");
        }
        ErasureKey key = erasable || groupRegistry != null ? ErasureKeys.read(spec.commandLine(), keyFile, passphraseFile) : null;
        ErasureKey erasureKey = erasable ? key : null;
        if (person != null && mapping != null) {
            throw usage("give either --person or --mapping, not both");
        }
        for (Path input : inputs) {
            if (!Files.exists(input)) {
                throw usage("no such file or folder: " + input);
            }
        }
        if (model != null && !Files.isRegularFile(model)) {
            throw usage("model file not found: " + model);
        }
        if (mapping != null && !Files.isRegularFile(mapping)) {
            throw usage("mapping file not found: " + mapping);
        }
        if (out != null) {
            if (Files.exists(out) && !Files.isDirectory(out)) {
                throw usage("--out must be a folder; " + out + " is a file");
            }
            Path outAbsolute = out.toAbsolutePath().normalize();
            for (Path input : inputs) {
                if (Files.isDirectory(input) && outAbsolute.startsWith(realOrAbsolute(input))) {
                    throw usage("the output folder " + out + " must not lie inside the input folder " + input);
                }
            }
        }
        if (report != null && Files.isDirectory(report)) {
            throw usage("--report names a file; " + report + " is a folder");
        }
        if (!List.of("auto", "cpu", "gpu").contains(device.toLowerCase(Locale.ROOT))) {
            throw usage("--device must be auto, cpu or gpu, was '" + device + "'");
        }
        NoFacePolicy noFacePolicy;
        Identities identities;
        ProtectionOptions options;
        try {
            noFacePolicy = NoFacePolicy.parse(noFace);
            identities = person != null ? Identities.person(person)
                    : mapping != null ? Identities.mapping(mapping, groups) : Identities.grouped(groups);
            if (epsilonLevels != null && strength != null) {
                throw new IllegalArgumentException("give --strength or --epsilon, not both");
            }
            options = ProtectionOptions.builder()
                    .strengthLevels(epsilonLevels != null ? epsilonLevels
                            : StrengthPreset.parse(strength != null ? strength : StrengthPreset.DEFAULT_NAME))
                    .jpegQuality(quality)
                    .keepLocation(keepLocation)
                    .faceMargin(margin)
                    .maxMegapixels(maxMegapixels)
                    .identities(identities)
                    .whenNoFace(noFacePolicy)
                    .erasable(erasureKey)
                    .concealHeads(concealHeads)
                    .build();
        } catch (IllegalArgumentException | java.io.IOException e) { // a value out of range, a mapping file wrong
            throw usage(e.getMessage());
        }
        Path overlayDir = overlay == null ? null
                : overlay.toString().isEmpty() ? (out != null ? out.resolve("overlays") : Path.of("overlays")) : overlay;
        Path reportFile = report != null ? report : (out != null ? out.resolve(BatchRequest.REPORT_NAME) : null);
        BatchRequest request = new BatchRequest(inputs, inPlace || dryRun ? null : out, inPlace, dryRun, overlayDir,
                reportFile);
        return new Checked(groupRegistry == null ? request : request.withGroupRegistry(groupRegistry, key), options);
    }

    /** A folder as the file system knows it (through its links), so an output inside it is seen as inside. */
    private static Path realOrAbsolute(Path folder) {
        try {
            return folder.toRealPath();
        } catch (java.io.IOException e) {
            return folder.toAbsolutePath().normalize();
        }
    }

    /** The summary as text: what was protected, and apart from it what was not (no face, failed). */
    private void printSummary(BatchSummary s, ProtectionOptions options, Path reportFile, PrintStream text) {
        NoFacePolicy policy = options.noFace();
        List<PhotoResult> without = s.withoutFaces();
        if (dryRun) {
            for (PhotoResult r : s.results()) {
                if (!r.isFailed()) {
                    text.println(r.photo() + ": " + describeFaces(r.faces()));
                }
            }
        }
        long protectedPhotos = s.results().stream().filter(r -> r.status() == PhotoResult.Status.PROTECTED).count();
        StringBuilder line = new StringBuilder();
        line.append(s.photos()).append(s.photos() == 1 ? " photo, " : " photos, ")
                .append(s.faces()).append(s.faces() == 1 ? " face found: " : " faces found: ");
        if (dryRun) {
            line.append(s.photos() - without.size() - s.failed().size()).append(" with faces (dry run: no photo written)");
        } else {
            line.append(protectedPhotos).append(" protected");
            if (protectedPhotos > 0) {
                line.append(" (strength ").append(StrengthPreset.describe(options.strengthLevels()))
                        .append(options.concealHeads() ? ", heads concealed" : "").append(')');
            }
        }
        line.append(", ").append(without.size()).append(" without a face");
        if (!dryRun && !without.isEmpty()) {
            line.append(policy == NoFacePolicy.COPY ? " (copied unprotected, metadata cleaned)" : " (not written)");
        }
        line.append(", ").append(s.failed().size()).append(" failed")
                .append(String.format(Locale.ROOT, " (%.1f s)", s.seconds()))
                .append(s.cancelled() ? "; cancelled" : "");
        text.println(line);
        if (!without.isEmpty()) {
            text.println("No face found, nothing protected (a face the detector missed is as recognisable as before; "
                    + "look at these):");
            for (PhotoResult r : without) {
                text.println("  " + r.photo());
            }
        }
        if (reportFile != null) {
            text.println("Report: " + reportFile);
        }
    }

    /** Faces as a person reads them: "2 faces: 120x120 at (40,32), 96x96 at (300,41)". */
    static String describeFaces(List<FaceBox> faces) {
        if (faces.isEmpty()) {
            return "no face found";
        }
        return faces.size() + (faces.size() == 1 ? " face: " : " faces: ") + faces.stream()
                .map(f -> f.width() + "x" + f.height() + " at (" + f.x() + "," + f.y() + ")")
                .collect(Collectors.joining(", "));
    }
}
