package org.segue.plugin.osgi.internal;

import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.segue.engine.api.Cancellation;
import org.segue.engine.api.Segue;
import org.segue.engine.api.TrainingOutcome;
import org.segue.engine.api.TrainingRequest;
import org.segue.plugin.osgi.api.FaceProtector;
import org.segue.plugin.osgi.api.ProtectorTraining;
import org.segue.plugin.osgi.api.TrainingHandle;
import org.segue.plugin.osgi.api.TrainingListener;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The ProtectorTraining service: runs the engine's training ({@link Segue#train}) on its own thread, reports
 * progress to the listener, and on success points FaceProtector's configuration at the new model,
 * which Configuration Admin delivers to FaceProtector as a modification: no bundle restarts.
 */
@Component(service = ProtectorTraining.class)
public class ProtectorTrainingComponent implements ProtectorTraining {

    @Reference
    private ConfigurationAdmin configurationAdmin;

    private final List<Job> running = new CopyOnWriteArrayList<>();

    private final class Job implements TrainingHandle {
        final Cancellation cancellation = new Cancellation();
        final CountDownLatch done = new CountDownLatch(1);

        @Override
        public void cancel() {
            cancellation.cancel();
        }

        @Override
        public boolean isDone() {
            return done.getCount() == 0;
        }

        @Override
        public boolean await(long time, TimeUnit unit) throws InterruptedException {
            return done.await(time, unit);
        }
    }

    @Override
    public TrainingHandle start(Request request, TrainingListener listener) {
        TrainingRequest training = TrainingRequest.builder(request.dataset(), request.output()).recipe(request.recipe())
                .epochs(request.epochs()).inputSize(request.inputSize()).pseudoLabels(request.pseudoLabels())
                .device(request.device()).overrides(request.overrides()).build();
        Segue.validate(training);
        Job job = new Job();
        running.add(job);
        Thread worker = new Thread(() -> {
            try {
                TrainingOutcome outcome = Segue.train(training,
                        p -> listener.progress(p.fraction(), p.phase() + ": " + p.message(), p.etaSeconds()),
                        job.cancellation, line -> { });
                if (outcome.model() == null) {
                    listener.cancelled();
                } else {
                    useModel(outcome.model().toAbsolutePath().toString());
                    listener.completed(outcome.model());
                }
            } catch (Exception | Error e) {
                listener.failed(e.getMessage() != null ? e.getMessage() : e.toString());
            } finally {
                running.remove(job);
                job.done.countDown();
            }
        }, "segue-training");
        worker.setDaemon(true);
        worker.start();
        return job;
    }

    /** Points FaceProtector at a model file, keeping the rest of its configuration. */
    private void useModel(String model) throws java.io.IOException {
        Configuration c = configurationAdmin.getConfiguration(FaceProtector.PID, "?");
        Dictionary<String, Object> properties = c.getProperties() != null ? c.getProperties() : new Hashtable<>();
        properties.put("model.location", model);
        c.update(properties);
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        for (Job job : running) { // a stopping bundle must not leave a training thread behind
            job.cancel();
        }
        for (Job job : running) {
            job.await(30, TimeUnit.SECONDS);
        }
    }
}
