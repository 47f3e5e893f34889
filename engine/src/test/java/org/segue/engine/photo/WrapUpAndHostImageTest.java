package org.segue.engine.photo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segue.engine.api.BatchRequest;
import org.segue.engine.api.BatchSummary;
import org.segue.engine.api.Cancellation;
import org.segue.engine.api.HostImage;
import org.segue.engine.api.Identities;
import org.segue.engine.api.ProgressListener;
import org.segue.engine.api.ProtectionOptions;
import org.segue.engine.sideinfo.FaceCodes;
import org.segue.engine.spi.FaceBox;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A grouped batch asked to wrap up protects the photos its grouping pass read (a cancel loses them); a host's
 * image held on its side has its faces found upright and given back in the host's grid; a person's alias
 * gives the name's code.
 */
class WrapUpAndHostImageTest {

    private static final PhotoProtector protector = new PhotoProtector(TestEngine.defaultModel(),
            new FixedBoxDetector(), ProtectionOptions.defaults());

    private static Path photos(Path dir, int n) throws Exception {
        Random r = new Random(11);
        Files.createDirectories(dir);
        for (int i = 0; i < n; i++) {
            BufferedImage img = new BufferedImage(96, 72, BufferedImage.TYPE_3BYTE_BGR);
            for (int y = 0; y < img.getHeight(); y++) {
                for (int x = 0; x < img.getWidth(); x++) {
                    img.setRGB(x, y, r.nextInt(1 << 24));
                }
            }
            ImageIO.write(img, "png", dir.resolve("p" + i + ".png").toFile());
        }
        return dir;
    }

    /** Stops the batch as asked once the grouping pass has read {@code after} photos. */
    private static ProgressListener stopWhileGrouping(Cancellation c, int after, boolean wrapUp) {
        return p -> {
            if (p.phase().equals("group faces") && p.done() == after) {
                if (wrapUp) {
                    c.wrapUp();
                } else {
                    c.cancel();
                }
            }
        };
    }

    @Test
    void aWrapUpWhileGroupingProtectsThePhotosReadSoFar(@TempDir Path dir) throws Exception {
        Path in = photos(dir.resolve("in"), 5);
        Path out = dir.resolve("out");
        Cancellation c = new Cancellation();
        BatchSummary s = PhotoBatch.run(protector, Identities.grouped(0), BatchRequest.into(out, in),
                stopWhileGrouping(c, 2, true), c);
        assertTrue(s.cancelled(), "a wrapped-up batch says it stopped early");
        assertEquals(2, s.photos(), "the photos read before the wrap-up are in the summary");
        assertEquals(2, s.written());
        assertTrue(Files.exists(out.resolve("p0.png")) && Files.exists(out.resolve("p1.png")), "what was read is kept");
        assertFalse(Files.exists(out.resolve("p2.png")), "no photo is read after the wrap-up");
        assertTrue(Files.readString(out.resolve("protection-report.json")).contains("p1.png"), "the report has them");

        Path out2 = dir.resolve("out2");
        Cancellation hard = new Cancellation();
        BatchSummary stopped = PhotoBatch.run(protector, Identities.grouped(0), BatchRequest.into(out2, in),
                stopWhileGrouping(hard, 2, false), hard);
        assertTrue(stopped.cancelled());
        assertEquals(0, stopped.written(), "a cancel stops at once: nothing is written");
    }

    @Test
    void aPhotoOnItsSideHasItsFacesFoundUprightAndGivenInTheHostsGrid() throws Exception {
        // the stored grid of a photo tagged 6 (turned 90 degrees clockwise to be seen): 60 wide, 100 high upright
        BufferedImage stored = new BufferedImage(100, 60, BufferedImage.TYPE_3BYTE_BGR);
        HostImage sideways = new HostImage(stored, 6);
        assertEquals(60, sideways.uprightWidth());
        assertEquals(100, sideways.uprightHeight());
        PhotoProtector.Analysed upright = protector.analyse(stored, Orientation.ROTATE_90_CW, "phone.jpg");
        FaceBox u = upright.faces().get(0).detected();
        // the fixed detector's box in the upright 60 x 100 view
        assertEquals(new FaceBox(20, 33, 15, 25), u);
        FaceBox host = Orientation.ROTATE_90_CW.toStored(u, 100, 60);
        assertEquals(u, Orientation.ROTATE_90_CW.toUpright(host, 100, 60), "toUpright undoes toStored");
        assertEquals(new FaceBox(33, 25, 25, 15), host, "in the stored grid the box lies on its side");
    }

    @Test
    void anAliasGivesTheNamesCodeAndHidesTheName() {
        String alias = Identities.alias("Ada Lovelace");
        assertTrue(Identities.isAlias(alias), alias);
        assertFalse(alias.toLowerCase().contains("ada"), alias);
        assertEquals(FaceCodes.forName("Ada Lovelace"), FaceCodes.forName(alias));
        assertEquals(FaceCodes.forName("ada lovelace"), FaceCodes.forName(Identities.alias(" ADA LOVELACE ")));
        assertFalse(Identities.isAlias("Ada"), "a name is not an alias");
        assertFalse(Identities.isAlias("code:12345"), "four hexadecimal digits exactly");
        assertEquals(List.of(FaceCodes.forName("Grace Hopper")).get(0),
                FaceCodes.forPhoto(Identities.person(Identities.alias("Grace Hopper")), "x.png", 1)[0]);
    }
}
