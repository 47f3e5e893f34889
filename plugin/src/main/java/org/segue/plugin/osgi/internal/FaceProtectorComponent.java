package org.segue.plugin.osgi.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.segue.engine.api.Cancellation;
import org.segue.engine.api.CheckRequest;
import org.segue.engine.api.CheckResult;
import org.segue.engine.api.ErasureKey;
import org.segue.engine.api.ProgressListener;
import org.segue.plugin.osgi.api.CheckOutcome;
import org.segue.engine.api.Identities;
import org.segue.engine.api.ModelSource;
import org.segue.engine.api.NoFacePolicy;
import org.segue.engine.api.PhotoResult;
import org.segue.engine.api.ProtectionOptions;
import org.segue.engine.api.StrengthPreset;
import org.segue.engine.api.Protector;
import org.segue.engine.api.RestoreResult;
import org.segue.engine.api.Segue;
import org.segue.plugin.osgi.api.FaceProtector;
import org.segue.plugin.osgi.api.ProtectionOutcome;
import org.segue.plugin.osgi.api.ProtectorUnavailableException;
import org.segue.plugin.osgi.api.RestoreOutcome;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * The FaceProtector service: the engine's {@link Protector} configured from Configuration Admin. A
 * configuration change (strength, model...) opens a new protector that serves the next request;
 * requests already running finish with the one they started with. An erasure key file is read once, when
 * the configuration arrives: a missing or damaged one refuses the configuration, and the key itself is never
 * logged or passed on except to the engine.
 */
@Component(service = FaceProtector.class, configurationPid = FaceProtector.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = ProtectorConfig.class)
public class FaceProtectorComponent implements FaceProtector {

    /** What one configuration opened, and the options it asks for. */
    private record Setup(Protector protector, ProtectionOptions options) {}

    private volatile Setup setup;
    /** Why the last configuration was refused; null when it is in force. */
    private volatile String refusal;

    /**
     * Opens the protector a configuration asks for. A refused configuration (a bad key file, strength or
     * detector) leaves no protector in force: SCR only logs a modified method's exception, and serving on with
     * the previous settings would, for instance, protect photos without the erasability the new one asked for.
     */
    @Activate
    @Modified
    void configure(ProtectorConfig config) throws IOException {
        try {
            open(config);
            refusal = null;
        } catch (IOException | RuntimeException e) {
            refusal = e.getMessage() != null ? e.getMessage() : e.toString();
            Setup previous = setup;
            setup = null;
            if (previous != null) {
                retire(previous.protector());
            }
            throw e;
        }
    }

    private void open(ProtectorConfig config) throws IOException {
        if (!"neural".equals(config.detector())) {
            throw new IllegalArgumentException("unknown face detector '" + config.detector() + "' (neural)");
        }
        // the service is not told who is who, and the faces of one photo are different people
        ProtectionOptions options = ProtectionOptions.builder()
                .strengthLevels(config.epsilon_levels() > 0
                        ? Math.min(ProtectionOptions.MAX_LEVELS, config.epsilon_levels())
                        : StrengthPreset.parse(config.strength()))
                .jpegQuality(config.output_quality())
                .keepLocation(!config.strip_gps())
                .maxMegapixels(config.max_megapixels())
                .identities(Identities.eachFaceApart())
                .whenNoFace(NoFacePolicy.parse(config.no_face()))
                .erasable(erasureKey(config.erasure_key_file()))
                .concealHeads(config.conceal_heads())
                .build();
        Protector opened = Segue.open(ModelSource.parse(config.model_location()), "auto");
        try { // refused now, not on every photo later
            opened.requireStrengthWithinBudget(options.strengthLevels());
        } catch (IllegalArgumentException e) {
            opened.close();
            throw e;
        }
        Setup previous = setup;
        setup = new Setup(opened, options);
        if (previous != null) {
            retire(previous.protector());
        }
    }

    /** The key of a configured key file; null when none is configured (not erasable). */
    static ErasureKey erasureKey(String keyFile) {
        if (keyFile == null || keyFile.isBlank()) {
            return null;
        }
        Path file = Path.of(keyFile.strip());
        if (!java.nio.file.Files.isRegularFile(file)) {
            throw new IllegalArgumentException("erasure.key.file: " + file + " is not a file (make one with "
                    + "'segue keygen FILE')");
        }
        try {
            return ErasureKey.read(file);
        } catch (IOException e) {
            // the engine's message names the file and what is wrong with it, never the key
            throw new IllegalArgumentException("erasure.key.file: " + e.getMessage(), e);
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

    @Override
    public RestoreOutcome restore(Path protectedPhoto, Path output) throws IOException {
        Setup s = current();
        return restored(s.protector().restore(protectedPhoto, output, key(s)));
    }

    @Override
    public RestoreOutcome restore(InputStream in, String name, OutputStream out) throws IOException {
        Setup s = current();
        return restored(s.protector().restore(in, name, out, key(s)));
    }

    @Override
    public CheckOutcome check(Path labelledFolder) throws IOException {
        Setup s = current();
        CheckResult r;
        try {
            // at the configured strength (and concealment): the check answers for the protection this service gives
            r = s.protector().check(CheckRequest.of(labelledFolder).withStrengthLevels(s.options().strengthLevels())
                            .withConcealedHeads(s.options().concealHeads()), ProgressListener.NONE, new Cancellation());
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        CheckResult.Recognition rec = r.recognition();
        return new CheckOutcome(r.identities(), r.trainFaces(), r.testFaces(), r.chance(), rec.recogniser(),
                rec.cleanGalleryRank1(), rec.protectedGalleryRank1(), rec.protectedProbesRank1(),
                rec.protectedAloneRank1(), rec.protectedClustering(), rec.embeddingSimilarity(), r.cleanAccuracy(),
                r.protectedAccuracy());
    }

    private static ErasureKey key(Setup s) throws IOException {
        if (!s.options().isErasable()) {
            throw new IOException("no erasure key is configured (set erasure.key.file of " + FaceProtector.PID
                    + " to the key file the photos were protected with)");
        }
        return s.options().erasure();
    }

    private static RestoreOutcome restored(RestoreResult r) {
        return new RestoreOutcome(r.regions().stream().map(f -> new ProtectionOutcome.Region(f.x(), f.y(), f.width(),
                f.height())).toList(), r.wholeImageExact(), r.format(), r.outputFormat());
    }

    private Setup current() throws IOException {
        Setup s = setup;
        if (s == null) {
            String why = refusal;
            throw new ProtectorUnavailableException(why != null ? "the face protector's configuration was refused: "
                    + why : "the face protector is not active");
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
