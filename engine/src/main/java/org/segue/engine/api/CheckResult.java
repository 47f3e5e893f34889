package org.segue.engine.api;

/**
 * What a protection check measured: the accuracy on held-out clean faces of an attacker trained on clean
 * faces and of one trained on protected faces (protection holds when the second is near chance).
 * The accuracies are null when the check was cancelled.
 */
public record CheckResult(int identities, int trainFaces, int testFaces, double chance, Double cleanAccuracy,
                          Double protectedAccuracy, double seconds) {

    public boolean cancelled() {
        return cleanAccuracy == null || protectedAccuracy == null;
    }
}
