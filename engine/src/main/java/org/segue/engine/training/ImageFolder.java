package org.segue.engine.training;

import org.segue.engine.internal.ImageCodec;
import org.segue.engine.internal.ImageOps;
import org.segue.engine.internal.RgbImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A dataset in torchvision's ImageFolder layout, {@code root/<identity>/<image>}: identities are the
 * sub-folder names in sorted order (numerically when all names are numbers) and their index is the
 * label.
 */
public final class ImageFolder {

    /** One image file and its identity label. */
    public record Sample(Path file, int label) {}

    private final Path root;
    private final List<String> classes;
    private final List<Sample> samples;

    private ImageFolder(Path root, List<String> classes, List<Sample> samples) {
        this.root = root;
        this.classes = List.copyOf(classes);
        this.samples = List.copyOf(samples);
    }

    public static ImageFolder scan(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IOException("Dataset folder not found: " + root);
        }
        List<Path> dirs;
        try (Stream<Path> s = Files.list(root)) {
            dirs = new ArrayList<>(s.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith("."))
                    .toList());
        }
        boolean numeric = !dirs.isEmpty() && dirs.stream().allMatch(p -> p.getFileName().toString().matches("\\d+"));
        dirs.sort(numeric ? Comparator.comparingLong(p -> Long.parseLong(p.getFileName().toString()))
                : Comparator.comparing(p -> p.getFileName().toString()));
        List<String> classes = new ArrayList<>();
        List<Sample> samples = new ArrayList<>();
        for (Path dir : dirs) {
            List<Path> files;
            try (Stream<Path> s = Files.list(dir)) {
                files = s.filter(ImageFolder::isImage).sorted().toList();
            }
            if (files.isEmpty()) {
                continue;
            }
            int label = classes.size();
            classes.add(dir.getFileName().toString());
            files.forEach(f -> samples.add(new Sample(f, label)));
        }
        if (samples.isEmpty()) {
            throw new IOException("No images in " + root + " (expected <identity>/<image> sub-folders)");
        }
        return new ImageFolder(root, classes, samples);
    }

    static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isRegularFile(p) && (n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg")
                || n.endsWith(".bmp"));
    }

    public Path root() {
        return root;
    }

    public List<String> classes() {
        return classes;
    }

    public List<Sample> samples() {
        return samples;
    }

    public int[] labels() {
        return samples.stream().mapToInt(Sample::label).toArray();
    }

    /** Decodes every image and resizes it to height x width (area averaging when shrinking). */
    public List<RgbImage> load(int height, int width) throws IOException {
        return load(height, width, ImageOps.Filter.AREA, null);
    }

    /**
     * Decodes every image, passes it through {@code before} (e.g. a JPEG re-compression at the file's
     * own resolution; null for none) and resizes it with {@code filter}.
     */
    public List<RgbImage> load(int height, int width, ImageOps.Filter filter,
                               java.util.function.UnaryOperator<RgbImage> before) throws IOException {
        List<RgbImage> out = new ArrayList<>(samples.size());
        for (Sample s : samples) {
            RgbImage image = ImageCodec.read(s.file());
            out.add(ImageOps.resize(before == null ? image : before.apply(image), height, width, filter));
        }
        return out;
    }
}
