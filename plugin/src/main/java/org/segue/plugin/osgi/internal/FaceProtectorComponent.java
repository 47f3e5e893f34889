package org.segue.plugin.osgi.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.segue.engine.generator.SegueModel;
import org.segue.engine.internal.AtomicFiles;
import org.segue.engine.photo.FaceDetector;
import org.segue.engine.photo.OpenCvFaceDetector;
import org.segue.engine.photo.PhotoProtector;
import org.segue.engine.metadata.MetadataPolicy;
import org.segue.engine.internal.DjlRuntime;
import org.segue.plugin.osgi.api.FaceProtector;
import org.segue.plugin.osgi.api.ProtectionOutcome;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The FaceProtector service: the engine's {@link PhotoProtector} configured from Configuration
 * Admin. A configuration change (strength, model...) builds a new protector that serves the next
 * request; requests already running finish with the one they started with.
 */
@Component(service = FaceProtector.class, configurationPid = FaceProtector.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = ProtectorConfig.class)
public class FaceProtectorComponent implements FaceProtector {

    /** What one configuration built: the loaded model, the detector and the protector over them. */
    private record Setup(String modelName, SegueModel model, FaceDetector detector, PhotoProtector protector)
            implements AutoCloseable {
        @Override
        public void close() {
            detector.close();
            model.close();
        }
    }

    private volatile Setup setup;

    @Activate
    @Modified
    void configure(ProtectorConfig config) throws IOException {
        if (!"opencv".equals(config.detector())) {
            throw new IllegalArgumentException("unknown face detector '" + config.detector() + "' (opencv)");
        }
        int levels = Math.max(1, Math.min(8, config.epsilon_levels()));
        String location = config.model_location() == null || config.model_location().isBlank() ? "default"
                : config.model_location().strip();
        SegueModel model = location.equals("default") ? SegueModel.loadDefault(DjlRuntime.defaultDevice())
                : SegueModel.load(Path.of(location));
        FaceDetector detector = new OpenCvFaceDetector();
        PhotoProtector protector = new PhotoProtector(model, detector, PhotoProtector.Options.defaults()
                .withEpsilon(levels / 255f)
                .withJpegQuality(config.output_quality())
                .withMetadata(new MetadataPolicy(!config.strip_gps()))
                .withMaxPixels(config.max_megapixels() * 1_000_000L));
        Setup previous = setup;
        setup = new Setup(location, model, detector, protector);
        if (previous != null) {
            retire(previous);
        }
    }

    /** Closes a replaced setup once requests that may still use it have had time to finish. */
    private static void retire(Setup old) {
        Thread closer = new Thread(() -> {
            try {
                Thread.sleep(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            old.close();
        }, "segue-retire-model");
        closer.setDaemon(true);
        closer.start();
    }

    @Deactivate
    void deactivate() {
        Setup s = setup;
        setup = null;
        if (s != null) {
            s.close();
        }
    }

    @Override
    public ProtectionOutcome protect(InputStream in, String name, OutputStream out) throws IOException {
        Setup s = current();
        PhotoProtector.Result result = protect(s, in.readAllBytes(), name);
        out.write(result.output());
        return outcome(result, s);
    }

    @Override
    public ProtectionOutcome protect(Path photo, Path output) throws IOException {
        if (Files.exists(output) && Files.isSameFile(photo, output)) {
            throw new IOException(output + " is the original; FaceProtector never overwrites originals");
        }
        Setup s = current();
        PhotoProtector.Result result = protect(s, Files.readAllBytes(photo), photo.getFileName().toString());
        AtomicFiles.write(output, result.output());
        return outcome(result, s);
    }

    /** Protects a photo with one setup throughout, even if a reconfiguration replaces it meanwhile. */
    private static PhotoProtector.Result protect(Setup s, byte[] photo, String name) throws IOException {
        PhotoProtector.Analysed analysed = s.protector().analyse(photo, name);
        return s.protector().protect(analysed, codes(analysed.faces().size()));
    }

    /** One code per face of a photo: the service is not told who is who, and faces in one photo are different people. */
    private static int[] codes(int faces) {
        int[] labels = new int[faces];
        for (int i = 0; i < faces; i++) {
            labels[i] = org.segue.engine.sideinfo.LabelCode.labelForGroup(i);
        }
        return labels;
    }

    private Setup current() throws IOException {
        Setup s = setup;
        if (s == null) {
            throw new IOException("the face protector is not active");
        }
        return s;
    }

    private static ProtectionOutcome outcome(PhotoProtector.Result r, Setup s) {
        return new ProtectionOutcome(r.faces().stream().map(f -> new ProtectionOutcome.Region(f.region().x(),
                f.region().y(), f.region().width(), f.region().height())).toList(), r.metadata().removedItems(), r.maxChange(), r.format().name(),
                s.modelName());
    }
}
