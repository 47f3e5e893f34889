package org.segue.plugin.osgi.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** FaceProtector's configuration (PID org.segue.protector), described for Configuration Admin UIs. */
@ObjectClassDefinition(id = "org.segue.protector", name = "Segue face protector",
        description = "How photos are protected: strength, concealed heads, model, detector, metadata, output quality, photos without a face, erasable protection.")
@interface ProtectorConfig {

    @AttributeDefinition(name = "Strength", description = "low (not seen, protects against nothing measured), medium, "
            + "high (the model's budget: holds back a recogniser trained on the photos, and is seen), or the largest "
            + "change per sample in levels of 255 (1..8)")
    String strength() default org.segue.engine.api.StrengthPreset.DEFAULT_NAME;

    @AttributeDefinition(name = "Strength in levels", description = "Largest change per sample, in levels of 255 (1..8); "
            + "0: as Strength says", min = "0", max = "8")
    int epsilon_levels() default 0;

    @AttributeDefinition(name = "Conceal heads", description = "Also blur each head (face, hair, ears) so that face "
            + "recognition with pretrained models cannot match it, which no strength does; plainly seen")
    boolean conceal_heads() default false;

    @AttributeDefinition(name = "Model", description = "'default' (shipped with Segue) or the path of a .segue model file")
    String model_location() default "default";

    @AttributeDefinition(name = "Face detector",
            description = "neural: SSD MobileNetV1 with 68-point landmarks (finds tilted and small faces)",
            options = {@org.osgi.service.metatype.annotations.Option(label = "Neural (SSD + landmarks)", value = "neural")})
    String detector() default "neural";

    @AttributeDefinition(name = "Strip GPS", description = "Remove the GPS location from protected photos")
    boolean strip_gps() default true;

    @AttributeDefinition(name = "JPEG quality", description = "Quality of JPEG output, 1..100", min = "1", max = "100")
    int output_quality() default 95;

    @AttributeDefinition(name = "Pixel limit", description = "Largest photo accepted, in megapixels")
    int max_megapixels() default 100;

    @AttributeDefinition(name = "Photos without a face", description = "copy: write them with cleaned metadata; "
            + "skip: write nothing; fail: refuse them. Never reported as protected.",
            options = {@org.osgi.service.metatype.annotations.Option(label = "Copy, metadata cleaned", value = "copy"),
                    @org.osgi.service.metatype.annotations.Option(label = "Skip", value = "skip"),
                    @org.osgi.service.metatype.annotations.Option(label = "Fail", value = "fail")})
    String no_face() default "copy";

    @AttributeDefinition(name = "Erasure key file", description = "Erasable protection: the path of a key file made by "
            + "'segue keygen'. Protected photos then carry their original face samples, encrypted under this key, so "
            + "FaceProtector.restore gives the original back. Empty: not erasable (and any restoration payload a photo "
            + "carries is removed).")
    String erasure_key_file() default "";
}
