package org.segue.plugin.osgi.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.segue.engine.api.NoFacePolicy;
import org.segue.plugin.osgi.api.FaceProtector;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A DAM-style hot folder, as a ready integration example: photos dropped into the watched folder tree are
 * protected into the output folder (same relative path); the originals stay where they were dropped. See
 * {@link HotFolder} for when a file is taken and how each one ends; the status file in the work folder says
 * it for every input. Photos without a face follow the hot folder's own no-face policy where one is
 * configured (skip or fail hold where the protector would copy), else the protector's, and are
 * never reported as protected.
 */
@Component(configurationPid = "org.segue.hotfolder", configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = HotFolderConfig.class)
public class HotFolderComponent {

    /** The work folder when none is configured: beside the watched folder, never inside it. */
    static final String DEFAULT_WORK = "segue-work";

    @Reference
    private FaceProtector protector;

    private HotFolder hotFolder;

    @Activate
    void activate(HotFolderConfig config) throws IOException {
        Path watch = Path.of(config.watch_folder()).toAbsolutePath().normalize();
        Path work = config.work_folder() == null || config.work_folder().isBlank()
                ? watch.resolveSibling(DEFAULT_WORK) : Path.of(config.work_folder());
        hotFolder = new HotFolder(new HotFolder.Settings(watch, Path.of(config.output_folder()),
                Path.of(config.failed_folder()), work, Math.max(50, config.poll_millis()), config.quiet_millis(),
                config.give_up_seconds() * 1000, config.no_face() == null || config.no_face().isBlank() ? null
                : NoFacePolicy.parse(config.no_face())), protector);
    }

    @Deactivate
    void deactivate() throws IOException {
        if (hotFolder != null) {
            hotFolder.close();
        }
    }
}
