package org.segue.plugin.osgi.api;

import java.nio.file.Path;

/**
 * Retrains the generator behind {@link FaceProtector}: when a job completes, its model is swapped in
 * for FaceProtector through its configuration, without restarting any bundle.
 */
public interface ProtectorTraining {

    /**
     * A training job.
     *
     * @param dataset      folder of {@code <person>/<face images>}
     * @param recipe       "shipped" (the default model's recipe: three stages, the second a fixed 12-epoch
     *                     fine-tune against adversarially trained attackers, the third a fixed 15-epoch one with the
     *                     first stage's settings), "cpu" or "paper"; another name is refused
     * @param epochs       training epochs of the recipe's first stage (the training from fresh weights)
     * @param inputSize    training resolution (multiple of 4)
     * @param device       "auto", "cpu" or "gpu"
     * @param pseudoLabels number of pseudo identities for unlabelled faces, or null to use the folders
     * @param output       model file to write
     * @param overrides    more of the recipe's settings as {@code name=value} pairs with the command line's option
     *                     names (e.g. "pgd-radius=4 crop=0.5,0.8,10"); blank or null: none
     */
    record Request(Path dataset, String recipe, int epochs, int inputSize, String device, Integer pseudoLabels,
                   Path output, String overrides) {

        /** A job with the recipe's own settings but the epochs and input size. */
        public Request(Path dataset, String recipe, int epochs, int inputSize, String device, Integer pseudoLabels,
                       Path output) {
            this(dataset, recipe, epochs, inputSize, device, pseudoLabels, output, null);
        }
    }

    /**
     * Starts a job in the background; the listener hears its progress and end.
     *
     * @throws IllegalArgumentException at once, before anything runs, for an unknown recipe or setting (other bad
     *                                  settings, a dataset that cannot be read say, reach the listener's failed)
     */
    TrainingHandle start(Request request, TrainingListener listener);
}
