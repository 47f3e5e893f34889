package org.segue.engine.training;

import org.segue.engine.api.TrainingRequest;
import org.segue.engine.distortion.DistortionConfig;
import org.segue.engine.internal.DjlRuntime;

import java.util.List;

/**
 * A host's {@link TrainingRequest} as the trainer's job: the named recipe's stages with the request's
 * overrides (epochs on the first stage, every other setting on each stage), checked before anything runs.
 */
public final class TrainingRecipes {

    private TrainingRecipes() {}

    /** The request's stages, checked; nothing starts (the device is not resolved). */
    public static List<TrainingConfig> stages(TrainingRequest r) {
        return TrainingConfig.stages(r.recipe(), r.epochs(), stage -> withOverrides(stage, r));
    }

    public static TrainingJob.Request job(TrainingRequest r) {
        List<TrainingConfig> stages = stages(r);
        boolean nameCodes = r.codes() == null ? TrainingConfig.usesNameCodes(r.recipe())
                : r.codes() == TrainingRequest.Codes.NAME;
        return new TrainingJob.Request(r.dataset(), stages, r.recipe(), r.pseudoLabels(), r.output(), r.checkpoint(),
                DjlRuntime.resolveDevice(r.device()), nameCodes, r.initialModel());
    }

    /** One stage of the recipe with the request's overrides (all but the epochs, which only the first stage takes). */
    static TrainingConfig withOverrides(TrainingConfig config, TrainingRequest r) {
        if (r.inputSize() != null) {
            config = config.withInputSize(r.inputSize());
        }
        if (r.batchSize() != null) {
            config = config.withBatchSize(r.batchSize());
        }
        DistortionConfig d = config.distortion();
        if (r.distortion() != null) {
            DistortionConfig preset = switch (r.distortion()) {
                case AUTHORS -> DistortionConfig.authors();
                case ROBUST -> DistortionConfig.robust();
                case RESIZE -> DistortionConfig.resize();
                case NONE -> DistortionConfig.none();
            };
            d = preset.withAdversarial(d.adversarialRadius(), d.adversarialSteps(), d.adversarialOnSurrogateInput());
        }
        Integer pgdSteps = r.pgdSteps();
        if (pgdSteps != null) {
            if (pgdSteps < 0) {
                throw new IllegalArgumentException("pgd-steps must be >= 0, was " + pgdSteps);
            }
            d = pgdSteps == 0 ? d.withAdversarial(0f, 0, false)
                    : d.withAdversarial(Math.max(d.adversarialRadius(), 1f / 255f), pgdSteps);
        }
        Float radius = r.pgdRadiusLevels();
        if (radius != null) {
            if (!(radius > 0 && radius <= 255)) {
                throw new IllegalArgumentException("pgd-radius must be in (0, 255] levels, was " + radius);
            }
            if (pgdSteps != null && pgdSteps == 0) {
                throw new IllegalArgumentException("pgd-radius contradicts pgd-steps 0 (no adversarial distortion)");
            }
            d = d.withAdversarial(radius / 255f, Math.max(1, d.adversarialSteps()));
        }
        if (r.pgdTarget() != null) {
            d = d.withAdversarial(d.adversarialRadius(), d.adversarialSteps(),
                    r.pgdTarget() == TrainingRequest.PgdTarget.SURROGATE_INPUT);
        }
        if (d.adversarialOnSurrogateInput() && d.adversarialSteps() == 0) {
            throw new IllegalArgumentException("pgd-on surrogate-input needs PGD steps (pgd-steps is 0)");
        }
        float[] rescale = r.rescale();
        if (rescale != null) {
            d = d.withRescale(rescale[0], rescale[1]);
        }
        float[] crop = r.crop();
        if (crop != null) {
            d = d.withCrop(crop[0], crop[1], crop[2]);
        }
        float[] view = r.view();
        if (view != null) {
            d = d.withView(view[0], (int) view[1]);
        }
        if (r.colourJitter() != null) {
            d = d.withColourJitter(r.colourJitter());
        }
        config = config.withDistortion(d);
        if (r.perturbationScale() != null) {
            config = config.withPerturbationScale(r.perturbationScale());
        }
        if (r.surrogateEvery() != null) {
            config = config.withSurrogateEvery(r.surrogateEvery());
        }
        if (r.generatorLr() != null) {
            config = config.withGeneratorLr(r.generatorLr());
        }
        if (r.visibilityWeight() != null) {
            config = config.withVisibilityWeight(r.visibilityWeight());
        }
        if (r.embeddingWeight() != null) {
            config = config.withEmbeddingWeight(r.embeddingWeight());
        }
        if (r.budgetLevels() != null) {
            config = config.withEpsilon(r.budgetLevels() / 255f);
        }
        if (r.greyPerturbation() != null) {
            config = config.withGreyPerturbation(r.greyPerturbation());
        }
        if (r.area() != null) {
            config = config.withArea(switch (r.area()) {
                case FACE -> org.segue.engine.generator.FaceMask.FACE;
                case HEAD -> org.segue.engine.generator.FaceMask.HEAD;
            });
        }
        return config.withSeed(r.seed());
    }
}
