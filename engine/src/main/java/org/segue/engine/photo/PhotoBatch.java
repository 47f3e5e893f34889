package org.segue.engine.photo;

import org.segue.engine.sideinfo.LabelCode;
import org.segue.engine.internal.ImageOps;
import org.segue.engine.internal.RgbImage;
import org.segue.engine.internal.AtomicFiles;
import org.segue.engine.photo.FaceBox;
import org.segue.engine.photo.PhotoException;
import org.segue.engine.photo.PhotoFormat;
import org.segue.engine.photo.PhotoProtector;
import org.segue.engine.api.Cancellation;
import org.segue.engine.api.ProgressListener;
import org.segue.engine.sideinfo.LbpFeatureExtractor;
import org.segue.engine.sideinfo.PseudoLabeler;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Protects the photos of files and folder trees into a mirrored output tree (or in place, when
 * asked), one photo at a time: a photo that fails is reported with its reason and the batch goes on.
 * Originals are never written unless in-place mode is chosen; every output is written atomically.
 */
public final class PhotoBatch {

    /** How each face gets its identity label (the generator's side information). */
    public sealed interface Identities {

        /** Every face is this person: a stable code from the name (same code on every photo and run). */
        record Person(String name) implements Identities {}

        /**
         * Faces are looked up in a mapping ({@code photo} or {@code photo#face} -> person name, photo
         * paths as in the report); faces not listed are grouped like {@link Grouped}.
         */
        record Mapping(Map<String, String> people, int groups) implements Identities {}

        /**
         * Faces of the batch are grouped into {@code groups} clusters of look-alike faces (LBP
         * embeddings + K-means), one code per cluster; 0 chooses ceil(sqrt(faces)).
         */
        record Grouped(int groups) implements Identities {}
    }

    /**
     * A batch job.
     *
     * @param inputs     photo files and folders (folders are walked, links not followed into loops)
     * @param outputDir  where protected copies go, mirroring the input tree; ignored in place
     * @param inPlace    replace each original with its protected version (atomically)
     * @param dryRun     detect faces only; write nothing but overlays and the report
     * @param overlayDir where to write an upright JPEG of each photo with its face regions drawn (null: none)
     * @param reportFile where to write the JSON report (null: none)
     */
    public record Request(List<Path> inputs, Path outputDir, boolean inPlace, boolean dryRun, Path overlayDir,
                          Path reportFile, Identities identities) {}

    /** What happened to one photo. Names of people never appear here. */
    public record PhotoReport(String photo, String status, List<FaceBox> faces, List<String> metadataRemoved,
                              int maxChange, int maxValue, String reason) {}

    /**
     * The batch outcome.
     *
     * @param photos    photos attempted
     * @param written   protected files written
     * @param faces     faces found in all photos
     * @param failed    photos that failed, each with its reason
     * @param cancelled whether the batch stopped early on request
     */
    public record Summary(int photos, int written, int faces, List<PhotoReport> failed, List<PhotoReport> reports,
                          boolean cancelled, double seconds) {}

    private record Item(Path file, String relative) {}

    private PhotoBatch() {}

    public static Summary run(PhotoProtector protector, Request request, ProgressListener progress,
                              Cancellation cancellation) throws IOException {
        long start = System.nanoTime();
        List<Item> items = new ArrayList<>();
        List<PhotoReport> reports = new ArrayList<>();
        for (Path input : request.inputs()) {
            collect(input, request.inputs().size() > 1, items, reports);
        }
        if (!request.inPlace() && !request.dryRun()) {
            if (request.outputDir() == null) {
                throw new IllegalArgumentException("an output folder is needed unless protecting in place");
            }
            for (Path input : request.inputs()) {
                if (Files.isDirectory(input) && request.outputDir().toAbsolutePath().normalize()
                        .startsWith(input.toAbsolutePath().normalize())) {
                    throw new IllegalArgumentException("the output folder must not lie inside the input folder " + input);
                }
            }
        }
        if (!request.dryRun()) { // what a killed earlier run left half-written goes first
            if (request.inPlace()) {
                for (Path input : request.inputs()) {
                    AtomicFiles.removeStaleTemporaries(input);
                }
            } else {
                AtomicFiles.removeStaleTemporaries(request.outputDir());
            }
        }
        FaceLabels labels = request.dryRun() ? (photo, faces) -> new int[faces]
                : assignLabels(protector, items, request.identities(), progress, cancellation, start);
        int written = 0;
        int faces = 0;
        boolean cancelled = false;
        long phaseStart = System.nanoTime(); // the ETA of this pass must not count the grouping pass
        for (int i = 0; i < items.size(); i++) {
            if (cancellation.isCancelled()) {
                cancelled = true;
                break;
            }
            Item item = items.get(i);
            PhotoReport report = protectOne(protector, request, item, labels);
            reports.add(report);
            faces += report.faces().size();
            if (report.status().equals("protected")) {
                written++;
            }
            progress.onProgress(new ProgressListener.Progress(request.dryRun() ? "detect" : "protect", i + 1,
                    items.size(), written + " written, " + faces + " faces", (System.nanoTime() - phaseStart) / 1e9));
        }
        List<PhotoReport> failed = reports.stream().filter(r -> r.status().equals("failed")).toList();
        Summary summary = new Summary(reports.size(), written, faces, failed, reports, cancelled,
                (System.nanoTime() - start) / 1e9);
        if (request.reportFile() != null) {
            BatchReport.write(request.reportFile(), summary);
        }
        return summary;
    }

    private static PhotoReport protectOne(PhotoProtector protector, PhotoBatch.Request request, Item item,
                                          FaceLabels labels) {
        List<FaceBox> found = List.of();
        try {
            byte[] bytes = Files.readAllBytes(item.file());
            PhotoProtector.Analysed photo = protector.analyse(bytes, item.relative());
            found = photo.faces().stream().map(PhotoProtector.Face::region).toList();
            Path overlay = request.overlayDir() == null ? null : request.overlayDir().resolve(item.relative() + ".faces.jpg");
            if (request.dryRun()) {
                if (overlay != null) { // a review copy of the original: the user asked for detections only
                    Overlays.write(photo.decoded().pixels(), photo.decoded().orientation(), photo.faces(), overlay);
                }
                return new PhotoReport(item.relative(), "detected", found, List.of(), 0, 0, null);
            }
            PhotoProtector.Result result = protector.protect(photo, labels.of(item.relative(), photo.faces().size()));
            if (overlay != null) { // drawn on the protected pixels, so the overlay leaks no unprotected face
                Overlays.write(result.pixels(), photo.decoded().orientation(), photo.faces(), overlay);
            }
            Path target = request.inPlace() ? item.file() : request.outputDir().resolve(item.relative());
            if (!request.inPlace() && Files.exists(target) && Files.isSameFile(target, item.file())) {
                throw new IOException("the output would overwrite the original (use in-place mode to do that)");
            }
            AtomicFiles.write(target, result.output());
            return new PhotoReport(item.relative(), "protected", found, result.metadata().removedItems(),
                    result.maxChange(), result.maxValue(), null);
        } catch (PhotoException e) {
            return new PhotoReport(item.relative(), "failed", found, List.of(), 0, 0, e.reason());
        } catch (IOException e) {
            return new PhotoReport(item.relative(), "failed", found, List.of(), 0, 0, describe(e));
        } catch (RuntimeException | OutOfMemoryError e) {
            return new PhotoReport(item.relative(), "failed", found, List.of(), 0, 0,
                    "internal error (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
    }

    private static String describe(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied: " + e.getMessage();
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "file vanished: " + e.getMessage();
        }
        String m = String.valueOf(e.getMessage());
        if (m.contains("No space left")) {
            return "disk full (nothing was written for this photo)";
        }
        return e.getClass().getSimpleName() + ": " + m;
    }

    /** Files of an input in a stable order, with their paths relative to the output tree. */
    private static void collect(Path input, boolean several, List<Item> items, List<PhotoReport> reports)
            throws IOException {
        if (Files.isRegularFile(input)) {
            items.add(new Item(input, input.getFileName().toString()));
            return;
        }
        if (!Files.isDirectory(input)) {
            reports.add(new PhotoReport(input.toString(), "failed", List.of(), List.of(), 0, 0,
                    Files.exists(input) ? "not a file or folder" : "no such file or folder"));
            return;
        }
        Path base = several ? input.toAbsolutePath().normalize().getParent() : input.toAbsolutePath().normalize();
        List<Item> found = new ArrayList<>();
        // links are followed (photos are often linked in), and a link back up the tree is skipped
        Files.walkFileTree(input.toAbsolutePath().normalize(), EnumSet.of(FileVisitOption.FOLLOW_LINKS),
                Integer.MAX_VALUE, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                String name = file.getFileName().toString();
                String relative = base.relativize(file).toString().replace('\\', '/');
                if (!PhotoFormat.looksLikePhoto(name) || AtomicFiles.isTemporary(name)) {
                    return FileVisitResult.CONTINUE;
                }
                if (attrs.isRegularFile()) {
                    found.add(new Item(file, relative));
                } else if (attrs.isSymbolicLink()) { // a link whose target is gone: say so, do not skip silently
                    reports.add(new PhotoReport(relative, "failed", List.of(), List.of(), 0, 0,
                            "no such file (the link points to a missing file)"));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                String reason = e instanceof java.nio.file.FileSystemLoopException ? "folder link loop (skipped)"
                        : describe(e);
                reports.add(new PhotoReport(base.relativize(file).toString(), "failed", List.of(), List.of(), 0, 0,
                        reason));
                return FileVisitResult.CONTINUE;
            }
        });
        found.sort((a, b) -> a.relative().compareTo(b.relative()));
        items.addAll(found);
    }

    /** The identity labels of a photo's faces, by its report path and face count. */
    @FunctionalInterface
    private interface FaceLabels {
        int[] of(String photo, int faces);
    }

    /** Labels for every face of every photo, by the chosen identity policy. */
    private static FaceLabels assignLabels(PhotoProtector protector, List<Item> items, Identities identities,
                                           ProgressListener progress, Cancellation cancellation, long start) {
        if (identities instanceof Identities.Person person) {
            int label = LabelCode.labelForName(person.name(), LabelCode.DEFAULT_BITS);
            return (photo, faces) -> filled(faces, label);
        }
        Map<String, String> people = identities instanceof Identities.Mapping m ? m.people() : Map.of();
        int groups = identities instanceof Identities.Mapping m ? m.groups()
                : identities instanceof Identities.Grouped g ? g.groups() : 0;
        // first pass: find the faces, label those the mapping names, keep small crops of the rest
        Map<String, int[]> labels = new HashMap<>();
        List<RgbImage> unnamed = new ArrayList<>();
        List<int[]> slots = new ArrayList<>(); // (item index, face index) of each unnamed face
        int size = LbpFeatureExtractor.DEFAULT_SIZE;
        for (int i = 0; i < items.size() && !cancellation.isCancelled(); i++) {
            Item item = items.get(i);
            try {
                PhotoProtector.Analysed photo = protector.analyse(Files.readAllBytes(item.file()), item.relative());
                int[] faceLabels = new int[photo.faces().size()];
                List<RgbImage> crops = protector.faceCrops(photo);
                for (int f = 0; f < faceLabels.length; f++) {
                    String name = people.getOrDefault(item.relative() + "#" + f, people.get(item.relative()));
                    if (name != null) {
                        faceLabels[f] = LabelCode.labelForName(name, LabelCode.DEFAULT_BITS);
                    } else {
                        unnamed.add(ImageOps.resize(crops.get(f), size, size));
                        slots.add(new int[] {i, f});
                    }
                }
                labels.put(item.relative(), faceLabels);
            } catch (IOException | RuntimeException e) {
                // reported with its reason by the protecting pass
            }
            progress.onProgress(new ProgressListener.Progress("group faces", i + 1, items.size(),
                    unnamed.size() + " faces to group", (System.nanoTime() - start) / 1e9));
        }
        if (!unnamed.isEmpty()) {
            int k = groups > 0 ? Math.min(groups, unnamed.size()) : (int) Math.ceil(Math.sqrt(unnamed.size()));
            int[] cluster = PseudoLabeler.label(unnamed, k, new LbpFeatureExtractor(), 10, 0);
            for (int e = 0; e < cluster.length; e++) {
                int[] slot = slots.get(e);
                labels.get(items.get(slot[0]).relative())[slot[1]] = LabelCode.labelForGroup(cluster[e]);
            }
        }
        return (photo, faces) -> {
            int[] l = labels.get(photo);
            // a photo whose faces differ from the first pass (it changed on disk) gets one group's code
            return l != null && l.length == faces ? l : filled(faces, LabelCode.labelForGroup(0));
        };
    }

    private static int[] filled(int n, int label) {
        int[] l = new int[n];
        java.util.Arrays.fill(l, label);
        return l;
    }
}
