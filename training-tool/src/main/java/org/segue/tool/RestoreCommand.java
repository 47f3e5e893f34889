package org.segue.tool;

import org.segue.engine.api.ErasureKey;
import org.segue.engine.api.PhotoFiles;
import org.segue.engine.api.RestoreResult;
import org.segue.engine.api.Restorer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

@Command(name = "restore", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Restores the originals of photos protected erasably.",
        description = {"Puts the original samples back into photos protected with 'protect --erasable', using the "
                + "same key (or passphrase). PNG, TIFF and BMP come back bit for bit as the original; a JPEG comes back "
                + "as a PNG (lossless; photo.jpg as photo.png, or photo.jpg.png where photo.png is restored too) whose face regions are the original's decoded samples and whose other pixels "
                + "are the protected JPEG's. The protected photos are not changed. A photo that cannot be restored "
                + "(no payload, wrong key, payload changed or cut short, payload of another photo) is listed with "
                + "its reason and nothing is written for it.", ""},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:all photos restored",
                "1:some photos could not be restored (each listed with its reason)",
                "2:bad usage (an option, the key file or a path is wrong); nothing was written",
                "130:cancelled (Ctrl-C); the photos done so far are complete, nothing is half-written"})
final class RestoreCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "PHOTO_OR_FOLDER", description = "Protected photos and folders (walked recursively).")
    List<Path> inputs;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Where the restored photos go (mirroring folders given).")
    Path out;

    @Option(names = "--key", paramLabel = "FILE", description = "The key file the photos were protected with.")
    Path keyFile;

    @Option(names = "--passphrase-file", paramLabel = "FILE",
            description = "A file whose first line is the passphrase the photos were protected with.")
    Path passphraseFile;

    private record Item(Path file, String relative) {}

    @Override
    public Integer call() throws Exception {
        CommandLine cli = spec.commandLine();
        if (keyFile == null && passphraseFile == null) {
            throw new CommandLine.ParameterException(cli, "--key FILE or --passphrase-file FILE is needed");
        }
        ErasureKey key = ErasureKeys.read(cli, keyFile, passphraseFile);
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new CommandLine.ParameterException(cli, "--out must be a folder; " + out + " is a file");
        }
        List<Item> items = new ArrayList<>();
        for (Path input : inputs) {
            if (Files.isRegularFile(input)) {
                items.add(new Item(input, input.getFileName().toString()));
            } else if (Files.isDirectory(input)) {
                Path base = input.toAbsolutePath().normalize().getParent();
                try (Stream<Path> files = Files.walk(input.toAbsolutePath().normalize())) {
                    files.filter(Files::isRegularFile).filter(p -> PhotoFiles.isPhotoName(p.getFileName().toString()))
                            .sorted().forEach(p -> items.add(new Item(p, (base == null ? p : base.relativize(p)).toString())));
                }
            } else {
                throw new CommandLine.ParameterException(cli, "no such file or folder: " + input);
            }
        }
        AtomicBoolean cancelled = new AtomicBoolean();
        Thread onInterrupt = new Thread(() -> cancelled.set(true));
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        int restored = 0;
        List<String> failed = new ArrayList<>();
        java.util.Set<Path> taken = new java.util.HashSet<>();
        try {
            for (Item item : items) {
                if (cancelled.get()) {
                    break;
                }
                Path relative = Path.of(item.relative());
                Path target = out.resolve(relative).resolveSibling(Restorer.restoredFileName(item.file()));
                if (!taken.add(target.toAbsolutePath().normalize())) {
                    // a.jpg restores as a.png, which a.png of the same folder took: keep both
                    target = out.resolve(relative).resolveSibling(relative.getFileName() + ".png");
                    taken.add(target.toAbsolutePath().normalize());
                }
                try {
                    RestoreResult r = Restorer.restore(item.file(), target, key);
                    restored++;
                    System.out.println(item.relative() + ": restored " + r.regions().size()
                            + (r.regions().size() == 1 ? " region" : " regions") + " -> " + target
                            + (r.wholeImageExact() ? "" : " (" + r.outputFormat() + ", lossless; outside the regions the "
                                    + "protected " + r.format() + "'s pixels)"));
                } catch (IOException e) {
                    String m = String.valueOf(e.getMessage());
                    failed.add(m.startsWith(item.relative() + ": ") || m.startsWith(item.file().getFileName() + ": ")
                            ? item.relative() + m.substring(m.indexOf(": ")) : item.relative() + ": " + m);
                }
            }
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(onInterrupt);
            } catch (IllegalStateException e) {
                // already shutting down
            }
        }
        System.out.println(items.size() + (items.size() == 1 ? " photo, " : " photos, ") + restored + " restored, "
                + failed.size() + " failed" + (cancelled.get() ? "; cancelled" : ""));
        for (String f : failed) {
            System.err.println("failed: " + f);
        }
        if (cancelled.get()) {
            return SegueCli.CANCELLED;
        }
        return failed.isEmpty() ? SegueCli.DONE : SegueCli.ERROR;
    }
}
