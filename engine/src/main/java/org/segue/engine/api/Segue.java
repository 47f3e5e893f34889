package org.segue.engine.api;

import org.segue.engine.generator.SegueModel;
import org.segue.engine.internal.DjlRuntime;
import org.segue.engine.face.NeuralFaceDetector;
import org.segue.engine.spi.FaceDetector;
import org.segue.engine.training.TrainingJob;
import org.segue.engine.training.TrainingRecipes;
import org.segue.engine.training.TrainingResult;

import java.io.IOException;
import java.nio.file.Files;
import java.util.function.Consumer;

/**
 * The front door of the engine: every host (the Fiji commands, the OSGi components, the command-line tool)
 * opens models, protects photos and trains through this package and nothing else.
 */
public final class Segue {

    private Segue() {}

    /**
     * Opens a model with the default face detector (a neural detector with facial landmarks, on the same
     * device as the model).
     *
     * @param device "auto" (a GPU where one is available), "cpu" or "gpu"
     * @throws IOException naming the model file when it is missing, damaged or not a Segue model
     */
    public static Protector open(ModelSource model, String device) throws IOException {
        return open(model, device, new NeuralFaceDetector(DjlRuntime.resolveDevice(device),
                NeuralFaceDetector.DEFAULT_WORKING_SIZE));
    }

    /**
     * Opens a model with another face detector (the detector SPI). The protector closes the detector, and so
     * does a failed open.
     */
    public static Protector open(ModelSource model, String device, FaceDetector detector) throws IOException {
        try {
            if (!model.isShipped() && !Files.isRegularFile(model.file())) {
                throw new IOException("model file not found: " + model.file());
            }
            SegueModel loaded = model.isShipped() ? SegueModel.loadDefault(DjlRuntime.resolveDevice(device))
                    : SegueModel.load(model.file(), DjlRuntime.resolveDevice(device));
            return new Protector(model, loaded, detector);
        } catch (IOException | RuntimeException e) {
            detector.close();
            throw e;
        }
    }

    /**
     * Runs a training job to its model file, resuming from its checkpoint when one is there.
     *
     * @param log receives a few human-readable lines (stages, counts, timings; never names)
     * @throws IllegalArgumentException for a setting out of range, before anything runs
     * @throws IOException when the dataset cannot be read or the model not written
     */
    public static TrainingOutcome train(TrainingRequest request, ProgressListener progress, Cancellation cancellation,
                                        Consumer<String> log) throws IOException {
        TrainingJob.Outcome outcome = TrainingJob.run(TrainingRecipes.job(request), progress, cancellation, log);
        TrainingResult r = outcome.result();
        return new TrainingOutcome(outcome.model(), r.history().stream().map(s -> new TrainingOutcome.Epoch(s.epoch(),
                s.surrogateLoss(), s.surrogateAccuracy(), s.generatorCe(), s.lastBatchCe(), s.generatorL2(), s.seconds(), s.skippedSteps(),
                s.recogniserSimilarity()))
                .toList(), r.surrogateLossProtected(), r.surrogateLossClean());
    }

    /**
     * Checks a training request's settings without running anything (the device is resolved when the job runs).
     *
     * @throws IllegalArgumentException naming the setting that is out of range
     */
    public static void validate(TrainingRequest request) {
        TrainingRecipes.stages(request);
    }
}
