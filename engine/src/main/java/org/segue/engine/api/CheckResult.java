package org.segue.engine.api;

/**
 * What a protection check measured, against two attackers.
 *
 * <p>A recogniser trained from scratch: the accuracy on held-out clean faces of a network trained on clean
 * faces and of one trained on the same faces protected (protection holds when the second is near chance).
 * The accuracies are null when the check was cancelled.
 *
 * <p>A pretrained recogniser ({@link #recognition}), as face recognition is deployed: it enrols the training
 * faces with a pretrained embedder and identifies the held-out faces by their nearest enrolled face.
 *
 * @param recognition the pretrained recogniser's figures; null when the check was cancelled before them
 */
public record CheckResult(int identities, int trainFaces, int testFaces, double chance, Double cleanAccuracy,
                          Double protectedAccuracy, double seconds, Recognition recognition) {

    /**
     * How a pretrained face recogniser fares.
     *
     * @param recogniser            which recogniser (its name)
     * @param cleanGalleryRank1     held-out clean faces identified against the clean training faces (what the
     *                              recogniser achieves on these people without protection)
     * @param protectedGalleryRank1 held-out clean faces identified against the protected training faces
     *                              (protection holds when this is near chance)
     * @param protectedProbesRank1  protected held-out faces identified against the clean training faces
     * @param protectedAloneRank1   held-out clean faces identified against training faces of which only their own
     *                              person's are protected, everyone else's clean (one person protecting among
     *                              people who do not), each person in turn
     * @param cleanClustering       k-means on the clean training faces (k = people): share grouped with their person
     * @param protectedClustering   the same on the protected training faces
     * @param embeddingSimilarity   mean cosine similarity of a protected face's embedding to its original's
     */
    public record Recognition(String recogniser, double cleanGalleryRank1, double protectedGalleryRank1,
                              double protectedProbesRank1, double protectedAloneRank1, double cleanClustering,
                              double protectedClustering, double embeddingSimilarity) {}

    /** A result without the pretrained recogniser's figures. */
    public CheckResult(int identities, int trainFaces, int testFaces, double chance, Double cleanAccuracy,
                       Double protectedAccuracy, double seconds) {
        this(identities, trainFaces, testFaces, chance, cleanAccuracy, protectedAccuracy, seconds, null);
    }

    public boolean cancelled() {
        return cleanAccuracy == null || protectedAccuracy == null;
    }
}
