package org.segue.engine.photo;

import org.segue.engine.api.BatchRequest;
import org.segue.engine.api.BatchSummary;
import org.segue.engine.api.Cancellation;
import org.segue.engine.api.Identities;
import org.segue.engine.api.PhotoFiles;
import org.segue.engine.api.NoFacePolicy;
import org.segue.engine.api.PhotoResult;
import org.segue.engine.api.ProgressListener;
import org.segue.engine.erasure.PhotoRestorer;
import org.segue.engine.api.ReadOnlyPolicy;
import org.segue.engine.internal.AtomicFiles;
import org.segue.engine.sideinfo.FaceCodes;
import org.segue.engine.sideinfo.GroupRegistry;
import org.segue.engine.sideinfo.Grouping;
import org.segue.engine.face.PretrainedFaceFeatures;
import org.segue.engine.sideinfo.PseudoLabeler;
import org.segue.engine.spi.FaceBox;

import java.awt.image.DataBuffer;
import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * Protects the photos of files and folder trees into a mirrored output tree (or in place, when
 * asked), one photo at a time: a photo that fails is reported with its reason and the batch goes on.
 * Originals are never written unless in-place mode is chosen; every output is written atomically.
 *
 * <p>Each photo is decoded and its faces detected once. When faces are grouped across the batch, the
 * grouping needs every face before the first photo can be protected: the decoded photos are kept in
 * memory for the protecting pass while they fit a quarter of the heap (and half of what the host leaves
 * free); a photo beyond that is decoded again for writing (its faces are not detected again), since
 * keeping pixels anywhere else would leave unprotected copies on disk. A photo whose file changed between
 * the passes is decoded and detected afresh, so what is written is always what was detected. A
 * {@link Cancellation#wrapUp() wrap-up} during the grouping pass groups and protects the photos read so far
 * (the photos not reached are not taken); a cancel stops at once.
 */
public final class PhotoBatch {

    private record Item(Path file, String relative) {}

    /**
     * What the grouping pass learnt of a photo: its faces and their labels, the file's size and time (to see
     * whether it changed since), and its decoded pixels while memory allows. No faces: the pass could not read
     * it, and the protecting pass tries it afresh.
     */
    private static final class Seen {
        PhotoProtector.Analysed analysed; // null when it did not fit the memory budget
        List<PhotoProtector.Face> faces;
        int[] labels;
        Integer[] groups; // per face: its group number (1..), or null when a name decided its label
        long size;
        java.nio.file.attribute.FileTime modified;
    }

    private PhotoBatch() {}

    public static BatchSummary run(PhotoProtector protector, Identities identities, BatchRequest request,
                                   ProgressListener progress, Cancellation cancellation) throws IOException {
        return run(protector, identities, request, progress, cancellation, ReadOnlyPolicy.KEEP);
    }

    /**
     * Protects the request's photos; a photo reached twice (given twice, inside a folder also given, or linked) is
     * protected once, under the first of its paths.
     *
     * @param readOnly in place, what becomes of a read-only original
     */
    public static BatchSummary run(PhotoProtector protector, Identities identities, BatchRequest request,
                                   ProgressListener progress, Cancellation cancellation, ReadOnlyPolicy readOnly)
            throws IOException {
        long start = System.nanoTime();
        List<Item> items = new ArrayList<>();
        List<PhotoResult> results = new ArrayList<>();
        java.util.Set<Path> taken = new java.util.HashSet<>();
        for (Path input : request.inputs()) {
            collect(input, request.inputs().size() > 1, items, results, taken);
        }
        if (request.inPlace() && readOnly == ReadOnlyPolicy.KEEP) { // refused before any is decoded or grouped
            for (java.util.Iterator<Item> it = items.iterator(); it.hasNext(); ) {
                Item item = it.next();
                if (isReadOnly(item.file())) {
                    results.add(PhotoResult.failed(item.relative(), List.of(), ReadOnlyPolicy.KEEP_REASON));
                    it.remove();
                }
            }
        }
        if (!request.inPlace() && !request.dryRun()) {
            for (Path input : request.inputs()) {
                if (Files.isDirectory(input) && request.outputFolder().toAbsolutePath().normalize()
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
                AtomicFiles.removeStaleTemporaries(request.outputFolder());
            }
        }
        boolean grouping = !request.dryRun() && FaceCodes.groupsTheRest(identities);
        if (request.groupRegistry() != null && !grouping) {
            throw new IllegalArgumentException("a group registry keeps automatic grouping's groups: it needs a batch "
                    + "that groups faces (no single person, not a dry run)");
        }
        // opened before anything is read, so a wrong key or a damaged registry stops the batch before it starts
        GroupRegistry registry = request.groupRegistry() == null ? null : GroupRegistry.open(
                request.groupRegistry().file(), request.groupRegistry().key().material(), PretrainedFaceFeatures.NAME);
        Seen[] seen = grouping ? group(protector, items, identities, registry, progress, cancellation, start) : null;
        if (registry != null && !cancellation.isCancelled()) {
            registry.save();
        }
        int written = 0;
        int faces = 0;
        boolean cancelled = false;
        // a grouping pass stopped by a wrap-up leaves the photos it read to protect; the rest are not taken
        int reached = seen == null ? items.size() : read(seen);
        long phaseStart = System.nanoTime(); // the ETA of this pass must not count the grouping pass
        for (int i = 0; i < reached; i++) {
            if (cancellation.isCancelled() || (seen == null && cancellation.isWrappingUp())) {
                cancelled = true;
                break;
            }
            Item item = items.get(i);
            // a photo the grouping pass could not read, or that changed since, is taken afresh
            Seen known = seen != null && seen[i] != null && seen[i].faces != null && unchanged(item.file(), seen[i])
                    ? seen[i] : null;
            PhotoResult result = protectOne(protector, identities, request, item, known);
            if (known != null && known.groups != null && result.faces().size() == known.groups.length
                    && java.util.Arrays.stream(known.groups).anyMatch(java.util.Objects::nonNull)) {
                result = result.withGroups(java.util.Arrays.asList(known.groups));
            }
            if (seen != null) {
                seen[i] = null; // its pixels can go
            }
            results.add(result);
            faces += result.faces().size();
            if (result.status() == PhotoResult.Status.PROTECTED
                    || (result.status() == PhotoResult.Status.NO_FACE && !request.dryRun()
                        && protector.options().noFace() == NoFacePolicy.COPY)) {
                written++;
            }
            progress.onProgress(new ProgressListener.Progress(request.dryRun() ? "detect" : "protect", i + 1,
                    reached, written + " written, " + faces + " faces", (System.nanoTime() - phaseStart) / 1e9));
        }
        cancelled |= reached < items.size();
        List<PhotoResult> failed = results.stream().filter(PhotoResult::isFailed).toList();
        BatchSummary summary = new BatchSummary(results.size(), written, faces, failed, results, cancelled,
                (System.nanoTime() - start) / 1e9);
        if (request.reportFile() != null) {
            BatchReport.write(request.reportFile(), summary);
        }
        return summary;
    }

    /**
     * Protects one photo; {@code seen} is what the grouping pass learnt of it, the file unchanged since (null:
     * the photo is decoded and detected here, its labels come from the identities, faces of one photo apart).
     */
    private static PhotoResult protectOne(PhotoProtector protector, Identities identities, BatchRequest request,
                                          Item item, Seen seen) {
        List<FaceBox> found = seen == null ? List.of() : regions(seen.faces);
        try {
            PhotoProtector.Analysed photo;
            if (seen == null) {
                photo = protector.analyse(Files.readAllBytes(item.file()), item.relative());
            } else if (seen.analysed != null) {
                photo = seen.analysed;
            } else {
                photo = protector.analyseWithFaces(Files.readAllBytes(item.file()), item.relative(), seen.faces);
            }
            found = regions(photo.faces());
            Path overlay = request.overlayFolder() == null ? null
                    : request.overlayFolder().resolve(item.relative() + ".faces.jpg");
            if (request.dryRun()) {
                if (overlay != null) { // a review copy of the original: the user asked for detections only
                    Overlays.write(photo.decoded().pixels(), photo.decoded().orientation(), photo.faces(), overlay);
                }
                return new PhotoResult(item.relative(), found.isEmpty() ? PhotoResult.Status.NO_FACE
                        : PhotoResult.Status.DETECTED, found, List.of(), 0, 0, photo.decoded().format().name(), null);
            }
            if (protector.leavesUnwritten(photo)) { // under fail it throws: reported below with its reason
                return PhotoProtector.describeUnwritten(item.relative(), photo);
            }
            if (protector.options().isErasable() && Files.exists(PhotoRestorer.sidecarOf(item.file()))) {
                throw PhotoRestorer.protectedTwice(item.relative());
            }
            int[] labels = seen != null ? seen.labels : FaceCodes.forPhoto(identities, item.relative(), photo.faces().size());
            PhotoProtector.Result result = protector.protect(photo, labels);
            if (overlay != null) { // drawn on the protected pixels, so the overlay leaks no unprotected face
                Overlays.write(result.pixels(), photo.decoded().orientation(), photo.faces(), overlay);
            }
            Path target = request.inPlace() ? item.file() : request.outputFolder().resolve(item.relative());
            if (!request.inPlace() && Files.exists(target) && Files.isSameFile(target, item.file())) {
                throw new IOException("the output would overwrite the original (use in-place mode to do that)");
            }
            writeWithSidecar(target, result);
            return PhotoProtector.describe(item.relative(), result);
        } catch (org.segue.engine.api.RestoreException e) {
            String prefix = item.relative() + ": ";
            String m = String.valueOf(e.getMessage());
            return PhotoResult.failed(item.relative(), found, m.startsWith(prefix) ? m.substring(prefix.length()) : m);
        } catch (Exception | OutOfMemoryError e) {
            return PhotoResult.failed(item.relative(), found, reason(e));
        }
    }

    /**
     * Writes a protected photo and, for an erasable BMP, its sidecar first: a photo is never left without the
     * payload that restores it, and a sidecar whose photo could not be written is removed again.
     */
    public static void writeWithSidecar(Path target, PhotoProtector.Result result) throws IOException {
        Path sidecar = PhotoRestorer.sidecarOf(target);
        if (result.sidecar() != null) {
            AtomicFiles.write(sidecar, result.sidecar());
        }
        boolean written = false;
        try {
            AtomicFiles.write(target, result.output());
            written = true;
        } finally {
            if (!written && result.sidecar() != null) {
                Files.deleteIfExists(sidecar);
            }
        }
    }

    /**
     * Whether a file is read-only to its user: not writable for this process, or, for the superuser (who may write
     * anything), without its owner's write permission.
     */
    static boolean isReadOnly(Path file) {
        if (!Files.isWritable(file)) {
            return true;
        }
        try {
            return file.getFileSystem().supportedFileAttributeViews().contains("posix")
                    && !Files.getPosixFilePermissions(file).contains(java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        } catch (IOException e) {
            return false; // the attempt to write says why it fails
        }
    }

    private static boolean unchanged(Path file, Seen seen) {
        try {
            return Files.size(file) == seen.size && Files.getLastModifiedTime(file).equals(seen.modified);
        } catch (IOException e) {
            return false; // gone or unreadable: the fresh attempt says why
        }
    }

    /** Words a user can act on, for whatever stopped one photo. */
    public static String reason(Throwable e) {
        if (e instanceof PhotoException p) {
            return p.reason();
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            String m = String.valueOf(e.getMessage());
            return m.contains("permission denied") ? m : "permission denied: " + m;
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "file vanished: " + e.getMessage();
        }
        if (e instanceof IOException) {
            String m = String.valueOf(e.getMessage());
            if (m.toLowerCase(java.util.Locale.ROOT).contains("no space left")) {
                return "disk full (nothing was written for this photo)";
            }
            // a file system's own message names the file and says why; the class name tells a user nothing
            return e instanceof java.nio.file.FileSystemException ? m : e.getClass().getSimpleName() + ": " + m;
        }
        return "internal error (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")";
    }

    private static List<FaceBox> regions(List<PhotoProtector.Face> faces) {
        return faces.stream().map(PhotoProtector.Face::region).toList();
    }

    /** Files of an input in a stable order, with their paths relative to the output tree. */
    private static void collect(Path input, boolean several, List<Item> items, List<PhotoResult> results,
                                java.util.Set<Path> taken) throws IOException {
        if (Files.isRegularFile(input)) {
            if (taken.add(identity(input))) {
                items.add(new Item(input, input.getFileName().toString()));
            }
            return;
        }
        if (!Files.isDirectory(input)) {
            results.add(PhotoResult.failed(input.toString(), List.of(),
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
                if (!PhotoFiles.isPhotoName(name)) {
                    return FileVisitResult.CONTINUE;
                }
                if (attrs.isRegularFile()) {
                    found.add(new Item(file, relative));
                } else if (attrs.isSymbolicLink()) { // a link whose target is gone: say so, do not skip silently
                    results.add(PhotoResult.failed(relative, List.of(), "no such file (the link points to a missing file)"));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                String reason = e instanceof java.nio.file.FileSystemLoopException ? "folder link loop (skipped)"
                        : reason(e);
                results.add(PhotoResult.failed(base.relativize(file).toString(), List.of(), reason));
                return FileVisitResult.CONTINUE;
            }
        });
        found.sort((a, b) -> a.relative().compareTo(b.relative()));
        for (Item item : found) {
            if (taken.add(identity(item.file()))) {
                items.add(item);
            }
        }
    }

    /** The file a path leads to, whatever links and relative parts it takes: a photo reached twice is one photo. */
    private static Path identity(Path file) {
        try {
            return file.toRealPath();
        } catch (IOException e) {
            return file.toAbsolutePath().normalize(); // unreadable: its own attempt reports why
        }
    }

    /**
     * The grouping pass: decodes each photo and finds its faces (once for the batch), labels the faces the
     * identities name, keeps small crops of the rest, clusters those into look-alike groups and labels
     * them by group. A photo that fails here is reported with its reason and not tried again.
     */
    private static Seen[] group(PhotoProtector protector, List<Item> items, Identities identities,
                                GroupRegistry registry, ProgressListener progress, Cancellation cancellation, long start) {
        Seen[] seen = new Seen[items.size()];
        List<float[]> unnamed = new ArrayList<>(); // embeddings: biometric templates, in memory for this pass only
        List<int[]> slots = new ArrayList<>(); // (item index, face index) of each unnamed face
        Runtime runtime = Runtime.getRuntime();
        // a quarter of the heap, and no more than half of what the host leaves free (Fiji's images share it)
        long budget = Math.min(runtime.maxMemory() / 4,
                (runtime.maxMemory() - (runtime.totalMemory() - runtime.freeMemory())) / 2);
        long kept = 0;
        for (int i = 0; i < items.size() && !cancellation.isWrappingUp(); i++) {
            Item item = items.get(i);
            Seen s = new Seen();
            seen[i] = s;
            try {
                s.size = Files.size(item.file());
                s.modified = Files.getLastModifiedTime(item.file());
                PhotoProtector.Analysed photo = protector.analyse(Files.readAllBytes(item.file()), item.relative());
                s.labels = new int[photo.faces().size()];
                s.groups = new Integer[photo.faces().size()];
                float[][] embeddings = null;
                for (int f = 0; f < s.labels.length; f++) {
                    String name = FaceCodes.nameOf(identities, item.relative(), f);
                    if (name != null) {
                        s.labels[f] = FaceCodes.forName(name);
                    } else {
                        if (embeddings == null) {
                            embeddings = protector.faceEmbeddings(photo);
                        }
                        unnamed.add(embeddings[f]);
                        slots.add(new int[] {i, f});
                    }
                }
                s.faces = photo.faces(); // the photo is known once all of it is
                long bytes = bytesHeld(photo);
                if (kept + bytes <= budget) {
                    s.analysed = photo;
                    kept += bytes;
                }
            } catch (OutOfMemoryError e) {
                for (Seen earlier : seen) { // keep no pixels: every photo is decoded again for writing
                    if (earlier != null) {
                        earlier.analysed = null;
                    }
                }
                kept = Long.MAX_VALUE / 2;
                s.faces = null;
            } catch (Exception e) {
                s.faces = null; // the protecting pass tries it again and reports why it fails
            }
            progress.onProgress(new ProgressListener.Progress("group faces", i + 1, items.size(),
                    unnamed.size() + " faces to group", (System.nanoTime() - start) / 1e9));
        }
        if (!unnamed.isEmpty() && !cancellation.isCancelled()) {
            int groups = FaceCodes.groupsAskedFor(identities);
            float[][] embeddings = unnamed.toArray(new float[0][]);
            // a number of people given: that many groups; otherwise faces close enough to be one person are one
            int[] cluster = groups > 0
                    ? PseudoLabeler.labelEmbeddings(embeddings, Math.min(groups, embeddings.length), Grouping.DEFAULT_RESTARTS, 0).labels()
                    : PseudoLabeler.groupEmbeddings(embeddings, Grouping.DEFAULT_MAX_DISTANCE).labels();
            unnamed.clear();
            // with a registry a group keeps the code its person had in earlier batches
            int[] codes = registry == null ? null : registry.codesFor(embeddings, cluster);
            for (int e = 0; e < cluster.length; e++) {
                int[] slot = slots.get(e);
                seen[slot[0]].labels[slot[1]] = codes != null ? codes[cluster[e]] : FaceCodes.forGroup(cluster[e]);
                seen[slot[0]].groups[slot[1]] = cluster[e] + 1;
            }
        }
        return seen;
    }

    /** How many photos, from the first, the grouping pass read (all unless it was stopped). */
    private static int read(Seen[] seen) {
        int n = 0;
        while (n < seen.length && seen[n] != null) {
            n++;
        }
        return n;
    }

    /** The memory a decoded photo holds: its file's bytes (for re-encoding) and its pixels. */
    private static long bytesHeld(PhotoProtector.Analysed photo) {
        DataBuffer pixels = photo.decoded().pixels().image().getRaster().getDataBuffer();
        long pixelBytes = (long) pixels.getSize() * pixels.getNumBanks() * DataBuffer.getDataTypeSize(pixels.getDataType()) / 8;
        byte[] original = photo.decoded().original();
        return pixelBytes + (original == null ? 0 : original.length);
    }
}
