package org.segue.engine.check;

import org.segue.engine.sideinfo.ClusteringAccuracy;
import org.segue.engine.sideinfo.Grouping;

/**
 * How a pretrained face recogniser fares against protected photos, the way recognition is deployed: an
 * attacker enrols a gallery of a person's photos with a pretrained embedder and matches new photos against
 * it (nearest gallery face by cosine similarity), or clusters scraped photos to find who is in them. Works
 * on embeddings only; which embedder made them is the caller's concern.
 */
public final class EnrolmentAttack {

    /**
     * What the recogniser achieved.
     *
     * @param cleanGalleryRank1           clean probes identified against the clean gallery (the recogniser's
     *                                    strength on these people without protection)
     * @param protectedGalleryRank1       clean probes identified against the protected gallery (protection
     *                                    holds when this is near chance)
     * @param protectedProbesRank1        protected probes identified against the clean gallery
     * @param protectedAloneRank1         clean probes identified against a gallery in which only their own person's
     *                                    faces are protected and everyone else's are clean (see {@link #aloneRank1})
     * @param cleanClusteringAccuracy     k-means on the clean gallery (k = people), Hungarian-matched accuracy
     * @param protectedClusteringAccuracy the same on the protected gallery
     * @param meanShift                   mean cosine similarity of each protected face's embedding to its
     *                                    original's (1: protection did not move it)
     */
    public record Result(double cleanGalleryRank1, double protectedGalleryRank1, double protectedProbesRank1,
                         double protectedAloneRank1, double cleanClusteringAccuracy, double protectedClusteringAccuracy,
                         double meanShift) {}

    private EnrolmentAttack() {}

    /**
     * Measures identification and clustering.
     *
     * @param cleanGallery     embeddings of the enrolment faces, unprotected
     * @param protectedGallery embeddings of the same faces protected, in the same order
     * @param galleryLabels    person of each enrolment face
     * @param cleanProbes      embeddings of held-out faces of the same people, unprotected
     * @param protectedProbes  the same faces protected, in the same order
     * @param probeLabels      person of each held-out face
     * @param seed             k-means seed
     */
    public static Result measure(float[][] cleanGallery, float[][] protectedGallery, int[] galleryLabels,
                                 float[][] cleanProbes, float[][] protectedProbes, int[] probeLabels, long seed) {
        if (cleanGallery.length != protectedGallery.length || cleanGallery.length != galleryLabels.length
                || cleanGallery.length == 0) {
            throw new IllegalArgumentException("the gallery needs one clean and one protected embedding per labelled face");
        }
        if (cleanProbes.length != protectedProbes.length || cleanProbes.length != probeLabels.length
                || cleanProbes.length == 0) {
            throw new IllegalArgumentException("the probes need one clean and one protected embedding per labelled face");
        }
        float[][] cg = unit(cleanGallery);
        float[][] pg = unit(protectedGallery);
        float[][] cp = unit(cleanProbes);
        float[][] pp = unit(protectedProbes);
        int people = (int) java.util.Arrays.stream(galleryLabels).distinct().count();
        double shift = 0;
        for (int i = 0; i < cg.length; i++) {
            shift += dot(cg[i], pg[i]);
        }
        return new Result(rank1(cg, galleryLabels, cp, probeLabels), rank1(pg, galleryLabels, cp, probeLabels),
                rank1(cg, galleryLabels, pp, probeLabels), aloneRank1(cg, pg, galleryLabels, cp, probeLabels),
                clustering(cg, galleryLabels, people, seed), clustering(pg, galleryLabels, people, seed),
                shift / cg.length);
    }

    /**
     * Clean probes identified against a gallery in which only their own person's faces are protected and everyone
     * else's are clean: one person protecting their photos among people who do not (the setting of Fawkes and
     * Ulixes), each person in turn, over all probes. An objective that moves every protected face the same way
     * leaves the all-protected gallery's ranking as it was, yet here moves the person away from their own probes.
     *
     * <p>The embeddings are unit length here.
     *
     * @return the share of probes whose most similar gallery face (cosine) belongs to their person
     */
    private static double aloneRank1(float[][] cg, float[][] pg, int[] galleryLabels, float[][] cp, int[] probeLabels) {
        long right = 0;
        for (int person : java.util.Arrays.stream(probeLabels).distinct().toArray()) {
            float[][] mixed = new float[cg.length][];
            for (int g = 0; g < cg.length; g++) {
                mixed[g] = galleryLabels[g] == person ? pg[g] : cg[g];
            }
            int[] mine = java.util.stream.IntStream.range(0, cp.length).filter(p -> probeLabels[p] == person).toArray();
            float[][] probes = java.util.Arrays.stream(mine).mapToObj(p -> cp[p]).toArray(float[][]::new);
            int[] labels = new int[mine.length];
            java.util.Arrays.fill(labels, person);
            right += Math.round(rank1(mixed, galleryLabels, probes, labels) * mine.length);
        }
        return (double) right / cp.length;
    }

    /** Share of probes whose most similar gallery face (cosine) belongs to their person. */
    static double rank1(float[][] gallery, int[] galleryLabels, float[][] probes, int[] probeLabels) {
        int right = 0;
        for (int p = 0; p < probes.length; p++) {
            int best = -1;
            double bestSimilarity = Double.NEGATIVE_INFINITY;
            for (int g = 0; g < gallery.length; g++) {
                double s = dot(gallery[g], probes[p]);
                if (s > bestSimilarity) {
                    bestSimilarity = s;
                    best = g;
                }
            }
            if (galleryLabels[best] == probeLabels[p]) {
                right++;
            }
        }
        return (double) right / probes.length;
    }

    private static double clustering(float[][] unit, int[] labels, int people, long seed) {
        int k = Math.min(people, unit.length);
        return ClusteringAccuracy.of(Grouping.ofK(unit, k, seed), labels);
    }

    private static float[][] unit(float[][] embeddings) {
        float[][] out = new float[embeddings.length][];
        for (int i = 0; i < embeddings.length; i++) {
            float[] e = embeddings[i];
            double norm = Math.sqrt(dot(e, e));
            if (!(norm > 0) || !Double.isFinite(norm)) {
                throw new IllegalArgumentException("embedding " + i + " is zero or not finite");
            }
            out[i] = new float[e.length];
            for (int d = 0; d < e.length; d++) {
                out[i][d] = (float) (e[d] / norm);
            }
        }
        return out;
    }

    private static double dot(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("embeddings differ in length: " + a.length + " and " + b.length);
        }
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }
}
