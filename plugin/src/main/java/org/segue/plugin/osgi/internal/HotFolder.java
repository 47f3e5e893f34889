package org.segue.plugin.osgi.internal;

import org.segue.engine.api.NoFacePolicy;
import org.segue.engine.api.PhotoFiles;
import org.segue.plugin.osgi.api.FaceProtector;
import org.segue.plugin.osgi.api.ProtectionOutcome;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The hot folder: every file in the watched folder tree ends as protected, no face, failed (with its
 * reason) or pending, and {@value #STATUS_FILE} in the work folder says which. A file is taken only when
 * its size and modification time have been still for the quiet period and its content decodes completely;
 * content that ends before its own structure does is an upload in progress and waits (it is never failed
 * for that until it has stayed unchanged for the give-up period). A file that changes after it was
 * handled is handled again: a change of size, modification time or status-change stamp (ctime and inode,
 * which a same-size replacement keeping its time still changes) has it read again, and a new content
 * digest has it redone. Files the operating system or a file browser keeps beside photos (.DS_Store,
 * Thumbs.db...) are no inputs. The protected copy is written atomically, so the output folder holds a
 * complete photo or nothing under each name.
 */
final class HotFolder implements AutoCloseable {

    /** The user-readable status: one line per input. */
    static final String STATUS_FILE = "hotfolder-status.txt";
    /** What was done to which version of each input, so a restart neither repeats nor forgets work. */
    static final String STATE_FILE = "hotfolder-state.properties";
    private static final String LOCK_FILE = "hotfolder.lock";

    /**
     * @param noFace the hot folder's own no-face policy, null to follow the protector's. It is applied to what
     *               the protector returns, so skip or fail here keeps unprotected copies out of the output folder
     *               whatever the protector was configured with, and whenever its configuration arrives.
     */
    record Settings(Path watch, Path output, Path failed, Path work, long pollMillis, long quietMillis,
                    long giveUpMillis, NoFacePolicy noFace) {

        Settings(Path watch, Path output, Path failed, Path work, long pollMillis, long quietMillis, long giveUpMillis) {
            this(watch, output, failed, work, pollMillis, quietMillis, giveUpMillis, null);
        }

        /** Refuses folders that would feed the hot folder its own output, or share one folder for two roles. */
        Settings {
            watch = watch.toAbsolutePath().normalize();
            output = output.toAbsolutePath().normalize();
            failed = failed.toAbsolutePath().normalize();
            work = work.toAbsolutePath().normalize();
            for (Map.Entry<String, Path> e : Map.of("output folder", output, "failed folder", failed,
                    "work folder", work).entrySet()) {
                if (e.getValue().startsWith(watch)) {
                    throw new IllegalArgumentException("the " + e.getKey() + " " + e.getValue()
                            + " lies inside the watched folder " + watch + " (it would be taken as input)");
                }
                if (watch.startsWith(e.getValue())) {
                    throw new IllegalArgumentException("the watched folder " + watch + " lies inside the "
                            + e.getKey() + " " + e.getValue());
                }
            }
            if (output.equals(failed)) {
                throw new IllegalArgumentException("the output and failed folders are the same: " + output);
            }
            if (pollMillis < 1 || quietMillis < 0 || giveUpMillis < 0) {
                throw new IllegalArgumentException("the poll interval must be positive and the quiet and give-up "
                        + "periods not negative");
            }
        }
    }

    enum State {
        PROTECTED("protected"), NO_FACE("no face"), FAILED("failed"), PENDING("pending");

        final String label;

        State(String label) {
            this.label = label;
        }

        boolean settled() {
            return this != PENDING;
        }
    }

    /** What is known of one input: the version (size, time, content digest) a settled state belongs to. */
    private static final class Entry {
        State state;
        String detail;
        long size = -1;
        long mtime;
        /** See {@link #changeStamp}; empty where unknown, which has the file read again (and not redone if its digest holds). */
        String stamp = "";
        String digest = "";
        /** Whether the output folder holds the file this hot folder wrote for this version. */
        boolean wroteOutput;
        /** A failed input that could not be moved away: tried again only once it changes. */
        boolean leftInPlace;
        /** For a pending input: the protected or no-face version it replaces, whose output is still there. */
        Entry before;

        Entry(State state, String detail) {
            this.state = state;
            this.detail = detail;
        }
    }

    /** A pending file's observation: what it looked like and since when (monotonic). */
    private static final class Watch {
        long size = -1;
        long mtime;
        String stamp = "";
        long since;
        /** Why the content at this size and time looked unfinished; null until it was tried. */
        String unfinished;
        /** When a retry after an error not about the photo (memory, output folder) may come. */
        long retryAt;
    }

    private final Settings settings;
    private final FaceProtector protector;
    private final Map<String, Entry> entries = new TreeMap<>();
    private final Map<String, Watch> watches = new HashMap<>();
    private final ScheduledExecutorService poller;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private volatile boolean closing;
    private String folderProblem;

    HotFolder(Settings settings, FaceProtector protector) throws IOException {
        this.settings = settings;
        this.protector = protector;
        Files.createDirectories(settings.watch());
        Files.createDirectories(settings.output());
        Files.createDirectories(settings.failed());
        Files.createDirectories(settings.work());
        lockChannel = FileChannel.open(settings.work().resolve(LOCK_FILE), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = lockChannel.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            lockChannel.close();
            throw new IOException("another hot folder uses the work folder " + settings.work());
        }
        lock = l;
        load();
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "segue-hot-folder");
            t.setDaemon(true);
            return t;
        });
        poller.scheduleWithFixedDelay(this::pollSafely, 0, settings.pollMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws IOException {
        closing = true;
        poller.shutdown(); // the photo in hand is finished: it is written whole or not at all
        try {
            if (!poller.awaitTermination(120, TimeUnit.SECONDS)) {
                poller.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            lock.release();
        } finally {
            lockChannel.close();
        }
    }

    private void pollSafely() {
        try {
            poll();
        } catch (Throwable t) {
            // a scheduled task that throws is never run again; the next poll retries what this one could not
            folderProblem = "the last poll stopped early: " + describe(t);
            try {
                saveStatus();
            } catch (Throwable ignored) {
                // the status file is written again at the next change
            }
        }
    }

    void poll() throws IOException {
        Map<String, Path> present;
        try {
            if (!Files.isDirectory(settings.watch())) { // an unmounted share is not an empty inbox: forget nothing
                throw new NoSuchFileException(settings.watch().toString(), null, "not there");
            }
            present = scan();
            long expected = entries.values().stream()
                    .filter(e -> e.state.settled() ? expectedInInbox(e) : e.before != null).count();
            if (present.isEmpty() && expected > 0) {
                // an unmounted mount point is an empty folder: every handled input gone at once is taken for
                // that, not for a user who emptied the inbox, as forgetting them would redo them all once the
                // share is back; the first file back ends it
                throw new NoSuchFileException(settings.watch().toString(), null, "it is empty while " + expected
                        + (expected == 1 ? " file was" : " files were")
                        + " there; taken as unavailable (an unmounted share?) and nothing is forgotten until files are back");
            }
        } catch (IOException e) {
            String problem = "the watched folder cannot be read: " + describe(e);
            if (!problem.equals(folderProblem)) {
                folderProblem = problem;
                saveStatus();
            }
            return;
        }
        boolean changed = folderProblem != null; // said in the status until it is over
        folderProblem = null;
        // gone from the inbox: nothing left to account for (a failed file moved away stays listed for its reason)
        changed |= entries.entrySet().removeIf(e -> expectedInInbox(e.getValue()) && !present.containsKey(e.getKey()));
        watches.keySet().retainAll(present.keySet());
        for (Map.Entry<String, Path> file : present.entrySet()) {
            if (closing) {
                break;
            }
            if (consider(file.getKey(), file.getValue())) {
                Entry now = entries.get(file.getKey());
                if (now != null && now.state.settled()) {
                    save(); // after every photo handled, so a crash repeats at most the photo in hand
                    changed = false;
                } else {
                    changed = true;
                }
            }
        }
        if (changed || !Files.exists(settings.work().resolve(STATUS_FILE))) {
            save();
        }
    }

    /** Whether the input's file is in the inbox while the entry holds (a failed file moved away is not). */
    private static boolean expectedInInbox(Entry e) {
        return e.state != State.FAILED || e.leftInPlace;
    }

    /** Every regular file of the watched tree, by its path relative to it ('/'-separated), system files left out. */
    private Map<String, Path> scan() throws IOException {
        Map<String, Path> files = new TreeMap<>();
        Files.walkFileTree(settings.watch(), new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                return !dir.equals(settings.watch()) && systemFolder(dir.getFileName().toString())
                        ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (systemFile(file.getFileName().toString())) {
                    return FileVisitResult.CONTINUE;
                }
                // a link to a file is an input like the file (links to folders are not followed: no loops)
                if (attrs.isRegularFile() || (attrs.isSymbolicLink() && Files.isRegularFile(file))) {
                    files.put(relative(file), file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE; // vanished or unreadable for now: seen at a later poll
            }
        });
        return files;
    }

    private String relative(Path file) {
        return settings.watch().relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
    }

    /**
     * Files that operating systems, file browsers and sync tools keep beside photos: never photos, never
     * renamed into one, so neither taken nor waited on.
     */
    static boolean systemFile(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return SYSTEM_FILES.contains(n) || n.startsWith("._") // AppleDouble: what macOS keeps of a file's metadata on a share
                || n.equals("icon\r");
    }

    /** Folders of the same kind (thumbnail caches, trash, indexes, snapshots): their files are no inputs. */
    static boolean systemFolder(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return SYSTEM_FOLDERS.contains(n) || n.startsWith(".trash-");
    }

    private static final Set<String> SYSTEM_FILES = Set.of(".ds_store", "thumbs.db", "ehthumbs.db",
            "ehthumbs_vista.db", "desktop.ini", ".localized", ".directory", ".picasa.ini", "picasa.ini", ".nomedia",
            ".bridgesort", ".bridgelabelsandratings");

    private static final Set<String> SYSTEM_FOLDERS = Set.of(".thumbnails", ".thumbs", ".trash",
            ".trashes", ".spotlight-v100", ".fseventsd", ".temporaryitems", ".documentrevisions-v100", ".appledouble",
            ".appledb", ".appledesktop", "@eadir", "#recycle", "#snapshot", ".@__thumb", "$recycle.bin",
            "system volume information", "lost+found", ".snapshot", ".snapshots", ".zfs", ".stversions");

    /**
     * Names the usual upload and editor conventions give a file that is still being written: hidden files
     * (rsync, the engine's own atomic writes), partial-download suffixes, Office lock files.
     */
    static boolean temporaryName(String relative) {
        for (String part : relative.split("/")) {
            if (part.startsWith(".") || part.startsWith("~$")) {
                return true;
            }
        }
        String n = relative.substring(relative.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        return n.endsWith(".part") || n.endsWith(".partial") || n.endsWith(".tmp") || n.endsWith(".temp")
                || n.endsWith(".crdownload") || n.endsWith(".download") || n.endsWith(".filepart")
                || n.endsWith(".opdownload") || n.endsWith(".!ut") || n.endsWith("~");
    }

    /** Looks at one input; true where its state changed. */
    private boolean consider(String rel, Path file) {
        Entry entry = entries.get(rel);
        if (temporaryName(rel)) {
            return pending(rel, "temporary name of an upload in progress; taken once it is renamed");
        }
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (IOException e) {
            return false; // vanished since the scan
        }
        long size = attrs.size();
        long mtime = attrs.lastModifiedTime().to(TimeUnit.NANOSECONDS);
        String stamp = changeStamp(file, attrs);
        if (entry != null && entry.state.settled() && entry.size == size && entry.mtime == mtime
                && entry.stamp.equals(stamp) && (entry.state != State.FAILED || entry.leftInPlace)) {
            return false;
        }
        long now = System.nanoTime();
        Watch w = watches.computeIfAbsent(rel, k -> new Watch());
        if (w.size != size || w.mtime != mtime || !w.stamp.equals(stamp)) {
            w.size = size;
            w.mtime = mtime;
            w.stamp = stamp;
            w.since = now;
            w.unfinished = null;
            w.retryAt = 0;
            return pending(rel, entry != null && (entry.before != null || (entry.state.settled() && entry.state != State.FAILED))
                    ? "changed since it was handled; handled again once it is complete"
                    : "arriving; taken once it is complete");
        }
        if (now - w.since < TimeUnit.MILLISECONDS.toNanos(settings.quietMillis()) || now < w.retryAt) {
            return false;
        }
        if (w.unfinished != null) { // tried at this very size and time already: only a change can mend it
            if (settings.giveUpMillis() > 0 && now - w.since >= TimeUnit.MILLISECONDS.toNanos(settings.giveUpMillis())) {
                return fail(rel, file, size, mtime, w.stamp, "", "incomplete: " + w.unfinished + ", unchanged for "
                        + TimeUnit.MILLISECONDS.toSeconds(settings.giveUpMillis()) + " s");
            }
            return false;
        }
        return take(rel, file, w, size, mtime);
    }

    /**
     * What a write changes besides size and modification time: a same-size replacement that keeps the time
     * (cp -p, rsync -t, unzip) still gets a new status-change time, and a new inode where it is a new file.
     * Where the file system has neither (not POSIX), its file key and creation time.
     */
    private static String changeStamp(Path file, BasicFileAttributes attrs) {
        try {
            Map<String, Object> unix = Files.readAttributes(file, "unix:ctime,ino"); // one stat
            return ((java.nio.file.attribute.FileTime) unix.get("ctime")).to(TimeUnit.NANOSECONDS) + "/" + unix.get("ino");
        } catch (UnsupportedOperationException | IllegalArgumentException | IOException e) {
            return attrs.creationTime().to(TimeUnit.NANOSECONDS) + "/" + attrs.fileKey();
        }
    }

    private boolean take(String rel, Path file, Watch w, long size, long mtime) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
            BasicFileAttributes after = Files.readAttributes(file, BasicFileAttributes.class);
            if (bytes.length != size || after.size() != size || after.lastModifiedTime().to(TimeUnit.NANOSECONDS) != mtime
                    || !changeStamp(file, after).equals(w.stamp)) {
                w.size = -1; // written to while read: watched afresh
                return pending(rel, "arriving; taken once it is complete");
            }
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            w.retryAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(settings.quietMillis(), 1000));
            return pending(rel, "cannot be read yet (" + describe(e) + "); tried again");
        }
        String digest = sha256(bytes);
        Entry last = handled(rel);
        if (last != null && last.digest.equals(digest)) { // touched, not changed: what was written still holds
            last.size = size;
            last.mtime = mtime;
            last.stamp = w.stamp;
            entries.put(rel, last);
            watches.remove(rel);
            return true;
        }
        String name = file.getFileName().toString();
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + 4096);
        ProtectionOutcome outcome;
        try {
            outcome = protector.protect(new ByteArrayInputStream(bytes), name, out);
        } catch (org.segue.plugin.osgi.api.ProtectorUnavailableException e) {
            // the service's fault, not the photo's: it waits for a configuration that works
            w.retryAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            return pending(rel, "not taken: " + e.getMessage() + "; tried again");
        } catch (IOException | RuntimeException e) {
            Optional<String> unfinished = PhotoFiles.unfinished(bytes);
            if (unfinished.isPresent()) {
                w.unfinished = unfinished.get();
                return pending(rel, "incomplete (" + unfinished.get() + "); waiting for the rest");
            }
            if (closing) { // the protector may be going away with the hot folder: no verdict on the photo now
                return pending(rel, "not handled before the hot folder stopped; taken at its next start");
            }
            return fail(rel, file, size, mtime, w.stamp, digest, describe(e));
        } catch (OutOfMemoryError e) {
            w.retryAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            return pending(rel, "not enough memory to protect it now; tried again");
        }
        if (!outcome.facesFound() && settings.noFace() == NoFacePolicy.FAIL) {
            return fail(rel, file, size, mtime, w.stamp, digest, NoFacePolicy.FAIL_REASON);
        }
        // an unprotected copy the protector made under its own policy is not written where skip is asked for
        boolean write = outcome.written() && (outcome.facesFound() || settings.noFace() != NoFacePolicy.SKIP);
        Path target = settings.output().resolve(rel);
        boolean hadOutput = last != null && last.wroteOutput;
        try {
            if (write) {
                PhotoFiles.writeAtomically(target, out.toByteArray());
            } else if (hadOutput) {
                Files.deleteIfExists(target); // the earlier version's copy must not stand for this one
            }
        } catch (IOException e) {
            w.retryAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(settings.quietMillis(), 1000));
            return pending(rel, "the output cannot be written (" + describe(e) + "); tried again");
        }
        Entry done;
        if (outcome.facesFound()) {
            done = new Entry(State.PROTECTED, outcome.faces().size() + (outcome.faces().size() == 1 ? " face" : " faces")
                    + " protected (" + outcome.format() + ")");
        } else {
            done = new Entry(State.NO_FACE, write
                    ? "no face found: copied with cleaned metadata, NOT protected; look at it before publishing"
                    : "no face found: nothing written (no-face policy skip)"
                    + (hadOutput ? ", the earlier version's output removed" : "") + "; look at it");
        }
        done.size = size;
        done.mtime = mtime;
        done.stamp = w.stamp;
        done.digest = digest;
        done.wroteOutput = write;
        entries.put(rel, done);
        watches.remove(rel);
        return true;
    }

    /**
     * Moves the input into the failed folder (mirrored, never over another file there) with its reason
     * beside it; an output written for an earlier version of it is removed, as it no longer stands for it.
     */
    private boolean fail(String rel, Path file, long size, long mtime, String stamp, String digest, String reason) {
        Entry last = handled(rel);
        StringBuilder detail = new StringBuilder(reason);
        boolean leftInPlace = false;
        if (last != null && last.wroteOutput) {
            try {
                Files.deleteIfExists(settings.output().resolve(rel));
                detail.append("; the earlier version's output removed");
            } catch (IOException e) {
                detail.append("; the earlier version's output could not be removed (").append(describe(e)).append(')');
            }
        }
        try {
            Path target = freeName(settings.failed().resolve(rel));
            Files.createDirectories(target.getParent());
            PhotoFiles.writeAtomically(reasonFile(target), (reason + System.lineSeparator()).getBytes(StandardCharsets.UTF_8));
            Files.move(file, target);
            detail.append("; moved to ").append(relativeTo(settings.failed(), target));
        } catch (IOException e) {
            detail.append("; left in place (it could not be moved to the failed folder: ").append(describe(e)).append(')');
            leftInPlace = true;
        }
        Entry failed = new Entry(State.FAILED, detail.toString());
        failed.size = size;
        failed.mtime = mtime;
        failed.stamp = stamp;
        failed.digest = digest;
        failed.leftInPlace = leftInPlace;
        entries.put(rel, failed);
        watches.remove(rel);
        return true;
    }

    private static Path reasonFile(Path failedFile) {
        return failedFile.resolveSibling(failedFile.getFileName() + ".reason.txt");
    }

    /** The path itself, or "name (2).ext", "name (3).ext"... where a file or its reason file is there. */
    private static Path freeName(Path wanted) {
        String name = wanted.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        Path candidate = wanted;
        for (int n = 2; Files.exists(candidate) || Files.exists(reasonFile(candidate)); n++) {
            candidate = wanted.resolveSibling(stem + " (" + n + ")" + ext);
        }
        return candidate;
    }

    private static String relativeTo(Path root, Path file) {
        return root.getFileName() + "/" + root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
    }

    private boolean pending(String rel, String detail) {
        Entry e = entries.get(rel);
        if (e != null && e.state == State.PENDING && e.detail.equals(detail)) {
            return false;
        }
        Entry p = new Entry(State.PENDING, detail);
        p.before = handled(rel); // its output is still there while the new version arrives
        entries.put(rel, p);
        return true;
    }

    /** The protected or no-face version of an input last handled, if the current one is that or replaces it. */
    private Entry handled(String rel) {
        Entry e = entries.get(rel);
        if (e == null) {
            return null;
        }
        if (e.state == State.PENDING) {
            return e.before;
        }
        return e.state == State.FAILED ? null : e;
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every Java runtime has SHA-256
        }
    }

    // ---- state and status ----

    private void load() throws IOException {
        Path file = settings.work().resolve(STATE_FILE);
        if (!Files.exists(file)) {
            return;
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IllegalArgumentException e) {
            return; // unreadable state: every input is looked at afresh, which repeats work but loses none
        }
        for (String rel : p.stringPropertyNames()) {
            String[] f = p.getProperty(rel).split("\\|", 8);
            if (f.length < 7) {
                continue;
            }
            // a line without the change stamp has its file read again once, and redone only if its digest differs
            boolean stamped = f.length == 8 && f[6].startsWith("c=");
            if (!stamped) {
                f = p.getProperty(rel).split("\\|", 7);
            }
            try {
                Entry e = new Entry(State.valueOf(f[0]), stamped ? f[7] : f[6]);
                e.size = Long.parseLong(f[1]);
                e.mtime = Long.parseLong(f[2]);
                e.digest = f[3];
                e.wroteOutput = Boolean.parseBoolean(f[4]);
                e.leftInPlace = Boolean.parseBoolean(f[5]);
                e.stamp = stamped ? f[6].substring(2) : "";
                if (e.state.settled()) {
                    entries.put(rel, e);
                }
            } catch (IllegalArgumentException ignored) {
                // that input is looked at afresh
            }
        }
    }

    private void save() throws IOException {
        Properties p = new Properties();
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            // a changed input is saved as the version last handled: after a restart it differs from it, and
            // is handled again
            Entry v = e.getValue().state.settled() ? e.getValue() : e.getValue().before;
            if (v != null) {
                p.setProperty(e.getKey(), v.state.name() + "|" + v.size + "|" + v.mtime + "|" + v.digest + "|"
                        + v.wroteOutput + "|" + v.leftInPlace + "|c=" + v.stamp + "|" + v.detail);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.store(out, "Segue hot folder state: state|size|mtime(ns)|sha-256|output written|left in place|c=ctime(ns)/inode|detail");
        PhotoFiles.writeAtomically(settings.work().resolve(STATE_FILE), out.toByteArray());
        saveStatus();
    }

    /** Counts of inputs per state. */
    Map<State, Integer> counts() {
        Map<State, Integer> counts = new EnumMap<>(State.class);
        for (State s : State.values()) {
            counts.put(s, 0);
        }
        entries.values().forEach(e -> counts.merge(e.state, 1, Integer::sum));
        return counts;
    }

    private void saveStatus() throws IOException {
        Map<State, Integer> counts = counts();
        StringBuilder s = new StringBuilder();
        s.append("# Segue hot folder ").append(settings.watch()).append(" -> ").append(settings.output())
                .append(" (failed: ").append(settings.failed()).append("), ")
                .append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append('\n');
        s.append("# ");
        for (State st : State.values()) {
            s.append(st.label).append(' ').append(counts.get(st)).append(st == State.PENDING ? "\n" : ", ");
        }
        if (folderProblem != null) {
            s.append("# ").append(escape(folderProblem)).append('\n');
        }
        s.append("state\tfile\tdetail\n");
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            s.append(e.getValue().state.label).append('\t').append(escape(e.getKey())).append('\t')
                    .append(escape(e.getValue().detail)).append('\n');
        }
        PhotoFiles.writeAtomically(settings.work().resolve(STATUS_FILE), s.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** One line per input, whatever the file name holds. */
    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
    }
}
