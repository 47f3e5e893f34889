package org.segue.plugin.osgi.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.segue.engine.api.Identities;
import org.segue.engine.api.ModelSource;
import org.segue.engine.api.NoFacePolicy;
import org.segue.engine.api.PhotoResult;
import org.segue.engine.api.ProtectionOptions;
import org.segue.engine.api.Protector;
import org.segue.engine.api.Segue;
import org.segue.plugin.osgi.api.FaceProtector;
import org.segue.plugin.osgi.api.ProtectionOutcome;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * The FaceProtector service: the engine's {@link Protector} configured from Configuration Admin. A
 * configuration change (strength, model...) opens a new protector that serves the next request;
 * requests already running finish with the one they started with.
 */
@Component(service = FaceProtector.class, configurationPid = FaceProtector.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = ProtectorConfig.class)
public class FaceProtectorComponent implements FaceProtector {

    /** What one configuration opened, and the options it asks for. */
    private record Setup(Protector protector, ProtectionOptions options) {}

    private volatile Setup setup;

    @Activate
    @Modified
    void configure(ProtectorConfig config) throws IOException {
        if (!"opencv".equals(config.detector())) {
            throw new IllegalArgumentException("unknown face detector '" + config.detector() + "' (opencv)");
        }
        // the service is not told who is who, and the faces of one photo are different people
        ProtectionOptions options = ProtectionOptions.builder()
                .strengthLevels(Math.max(1, Math.min(ProtectionOptions.MAX_LEVELS, config.epsilon_levels())))
                .jpegQuality(config.output_quality())
                .keepLocation(!config.strip_gps())
                .maxMegapixels(config.max_megapixels())
                .identities(Identities.eachFaceApart())
                .whenNoFace(NoFacePolicy.parse(config.no_face()))
                .build();
        Protector opened = Segue.open(ModelSource.parse(config.model_location()), "auto");
        if (options.strengthLevels() > opened.maxStrengthLevels()) { // refused now, not on every photo later
            opened.close();
            throw new IllegalArgumentException("strength " + options.strengthLevels() + " exceeds the budget of "
                    + opened.model() + " (" + opened.maxStrengthLevels() + " levels)");
        }
        Setup previous = setup;
        setup = new Setup(opened, options);
        if (previous != null) {
            retire(previous.protector());
        }
    }

    /** Closes a replaced protector once requests that may still use it have had time to finish. */
    private static void retire(Protector old) {
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
            s.protector().close();
        }
    }

    @Override
    public ProtectionOutcome protect(InputStream in, String name, OutputStream out) throws IOException {
        Setup s = current(); // one setup throughout, even if a reconfiguration replaces it meanwhile
        return outcome(s.protector().protect(in, name, out, s.options()), s);
    }

    @Override
    public ProtectionOutcome protect(Path photo, Path output) throws IOException {
        Setup s = current();
        return outcome(s.protector().protect(photo, output, s.options()), s);
    }

    private Setup current() throws IOException {
        Setup s = setup;
        if (s == null) {
            throw new IOException("the face protector is not active");
        }
        return s;
    }

    /** The engine's result in the service contract's terms (which DAM callers share across bundles). */
    private static ProtectionOutcome outcome(PhotoResult r, Setup s) {
        boolean facesFound = r.status() == PhotoResult.Status.PROTECTED;
        boolean written = facesFound || s.options().noFace() == NoFacePolicy.COPY;
        return new ProtectionOutcome(facesFound, written, r.faces().stream().map(f -> new ProtectionOutcome.Region(f.x(), f.y(), f.width(),
                f.height())).toList(), r.metadataRemoved(), r.maxChange(), r.format(), s.protector().model().toString());
    }
}
