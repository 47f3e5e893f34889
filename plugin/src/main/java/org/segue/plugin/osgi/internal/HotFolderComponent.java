package org.segue.plugin.osgi.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.segue.engine.api.PhotoFiles;
import org.segue.plugin.osgi.api.FaceProtector;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A DAM-style hot folder, as a ready integration example: photos dropped into the watched folder are
 * protected into the output folder (same name); the originals stay where they were dropped. A photo
 * that cannot be protected is moved to the failed folder with a {@code <name>.reason.txt} beside it.
 * A file is taken once its size has stopped changing between two polls (a copy still in progress is
 * left alone).
 */
@Component(configurationPid = "org.segue.hotfolder", configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = HotFolderConfig.class)
public class HotFolderComponent {

    @Reference
    private FaceProtector protector;

    private ScheduledExecutorService poller;
    private Path watch;
    private Path output;
    private Path failed;
    private final Map<Path, Long> lastSizes = new HashMap<>();

    @Activate
    void activate(HotFolderConfig config) throws IOException {
        watch = Files.createDirectories(Path.of(config.watch_folder()));
        output = Files.createDirectories(Path.of(config.output_folder()));
        failed = Files.createDirectories(Path.of(config.failed_folder()));
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "segue-hot-folder");
            t.setDaemon(true);
            return t;
        });
        poller.scheduleWithFixedDelay(this::poll, 0, Math.max(50, config.poll_millis()), TimeUnit.MILLISECONDS);
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        poller.shutdownNow();
        poller.awaitTermination(30, TimeUnit.SECONDS);
    }

    private void poll() {
        List<Path> files;
        try (Stream<Path> s = Files.list(watch)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            return; // the folder is unavailable for now; try again at the next poll
        }
        for (Path file : files) {
            String name = file.getFileName().toString();
            if (!PhotoFiles.isPhotoName(name) || Files.exists(output.resolve(name))) {
                continue;
            }
            long size;
            try {
                size = Files.size(file);
            } catch (IOException e) {
                continue;
            }
            Long previous = lastSizes.put(file, size);
            if (previous == null || previous != size) {
                continue; // still arriving, or seen for the first time
            }
            lastSizes.remove(file);
            try {
                protector.protect(file, output.resolve(name));
            } catch (Exception e) {
                moveAside(file, e.getMessage() != null ? e.getMessage() : e.toString());
            }
        }
    }

    private void moveAside(Path file, String reason) {
        String name = file.getFileName().toString();
        try {
            PhotoFiles.writeAtomically(failed.resolve(name + ".reason.txt"), (reason + System.lineSeparator())
                    .getBytes(StandardCharsets.UTF_8));
            Files.move(file, failed.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            // left in place; it is retried at the next poll
        }
    }
}
