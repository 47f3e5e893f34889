package org.segue.tool.osgi.slowstop;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A bundle that, like the hot folder finishing the photo in hand, takes its time to stop: until the file named
 * by the framework property {@code segue.test.release} exists (at most a minute).
 */
public class SlowStopActivator implements BundleActivator {

    @Override
    public void start(BundleContext context) {
    }

    @Override
    public void stop(BundleContext context) throws InterruptedException {
        Path release = Path.of(context.getProperty("segue.test.release"));
        for (int i = 0; i < 600 && !Files.exists(release); i++) {
            Thread.sleep(100);
        }
    }
}
