package org.segue.plugin.osgi.api;

/**
 * What a protection check measured on a labelled folder ({@link FaceProtector#check}); shares in [0, 1]. It holds
 * no names, pixels or embeddings.
 *
 * @param people                     people in the folder
 * @param trainingFaces              faces protected and enrolled
 * @param heldOutFaces               faces held out for the attackers to recognise
 * @param chance                     1 / people
 * @param recogniser                 the pretrained recogniser's name
 * @param cleanGalleryRank1          held-out faces the pretrained recogniser identifies from the clean training faces
 * @param protectedGalleryRank1      the same from the protected training faces (protection holds near chance)
 * @param protectedProbesRank1       protected held-out faces identified from the clean training faces
 * @param protectedAloneRank1        held-out faces identified from training faces of which only their own person's
 *                                   are protected (one person protecting among people who do not)
 * @param protectedClustering        protected training faces that k-means groups with their person
 * @param embeddingSimilarity        mean cosine similarity of a protected face's embedding to its original's
 * @param cleanTrainedAccuracy       a network trained from scratch on the clean training faces
 * @param protectedTrainedAccuracy   the same network trained on the protected training faces
 */
public record CheckOutcome(int people, int trainingFaces, int heldOutFaces, double chance, String recogniser,
                           double cleanGalleryRank1, double protectedGalleryRank1, double protectedProbesRank1,
                           double protectedAloneRank1, double protectedClustering, double embeddingSimilarity,
                           double cleanTrainedAccuracy, double protectedTrainedAccuracy) {

    /** An outcome without the one-person figure (NaN), as version 2.1 of this package made them. */
    public CheckOutcome(int people, int trainingFaces, int heldOutFaces, double chance, String recogniser,
                        double cleanGalleryRank1, double protectedGalleryRank1, double protectedProbesRank1,
                        double protectedClustering, double embeddingSimilarity, double cleanTrainedAccuracy,
                        double protectedTrainedAccuracy) {
        this(people, trainingFaces, heldOutFaces, chance, recogniser, cleanGalleryRank1, protectedGalleryRank1,
                protectedProbesRank1, Double.NaN, protectedClustering, embeddingSimilarity, cleanTrainedAccuracy,
                protectedTrainedAccuracy);
    }
}
