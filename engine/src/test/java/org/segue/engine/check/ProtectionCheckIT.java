package org.segue.engine.check;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segue.engine.SharedData;
import org.segue.engine.api.Cancellation;
import org.segue.engine.api.CheckRequest;
import org.segue.engine.api.StrengthPreset;
import org.segue.engine.api.CheckResult;
import org.segue.engine.api.ProgressListener;
import org.segue.engine.photo.TestEngine;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The protection check on real faces of people the model never saw: both attackers report, in range. */
class ProtectionCheckIT {

    @Test
    void theCheckReportsThePretrainedRecogniserBesideTheFromScratchAttacker(@TempDir Path dir) throws Exception {
        Path folder = SharedData.linkFaces("datasets/celeb10/test", dir.resolve("faces"), 4, 10);
        CheckResult r = ProtectionCheck.run(TestEngine.defaultModel(), new CheckRequest(folder, 1, 32, 0.3, 0),
                ProgressListener.NONE, new Cancellation());
        assertEquals(4, r.identities());
        assertEquals(40, r.trainFaces() + r.testFaces());
        CheckResult.Recognition rec = r.recognition();
        assertNotNull(rec, "the pretrained recogniser's figures");
        assertTrue(rec.recogniser().contains("dlib"), rec.recogniser());
        // unprotected, the pretrained recogniser knows these people (chance is 25%)
        assertTrue(rec.cleanGalleryRank1() >= 0.8, "clean gallery rank-1 " + rec.cleanGalleryRank1());
        for (double v : new double[] {rec.protectedGalleryRank1(), rec.protectedProbesRank1(), rec.protectedAloneRank1(),
                rec.cleanClustering(), rec.protectedClustering()}) {
            assertTrue(v >= 0 && v <= 1, "a share out of range: " + v);
        }
        assertTrue(rec.embeddingSimilarity() > 0 && rec.embeddingSimilarity() < 1, "similarity " + rec.embeddingSimilarity());
        // one level moves dlib's embeddings by little (similarity near 1), so one person protected among clean people
        // is still found about as often as unprotected: a figure wired to the wrong faces or labels would not be
        assertTrue(rec.protectedAloneRank1() >= rec.cleanGalleryRank1() - 0.2,
                "alone " + rec.protectedAloneRank1() + " against clean " + rec.cleanGalleryRank1());
        assertNotNull(r.cleanAccuracy());
        assertNotNull(r.protectedAccuracy());

        // the check protects at the strength asked for: the full budget moves the embeddings further than the default
        CheckResult high = ProtectionCheck.run(TestEngine.defaultModel(),
                new CheckRequest(folder, 1, 32, 0.3, 0).withStrengthLevels(StrengthPreset.HIGH.levels()),
                ProgressListener.NONE, new Cancellation());
        assertTrue(high.recognition().embeddingSimilarity() < rec.embeddingSimilarity(), "similarity at high "
                + high.recognition().embeddingSimilarity() + ", at the default " + rec.embeddingSimilarity());

        // with heads concealed the check answers for that: one person's concealed faces among clean people are no
        // longer found as they were (the strength alone leaves them found, above)
        CheckResult concealed = ProtectionCheck.run(TestEngine.defaultModel(),
                new CheckRequest(folder, 1, 32, 0.3, 0).withConcealedHeads(true), ProgressListener.NONE, new Cancellation());
        assertTrue(concealed.recognition().protectedAloneRank1() < rec.cleanGalleryRank1() - 0.4, "alone, concealed "
                + concealed.recognition().protectedAloneRank1() + " against clean " + rec.cleanGalleryRank1());
        assertTrue(concealed.recognition().embeddingSimilarity() < high.recognition().embeddingSimilarity(),
                "similarity concealed " + concealed.recognition().embeddingSimilarity());
    }
}
