package org.segue.engine.train;

import ai.djl.Device;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segue.engine.LabelCode;
import org.segue.engine.SegueModel;
import org.segue.engine.progress.Cancellation;
import org.segue.engine.progress.ProgressListener;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingJobTest {

    @Test
    void randomGroupsAreEvenAndMixTheFaces() {
        int[] groups = TrainingJob.randomGroups(1300, 40, 0);
        int[] sizes = new int[40];
        for (int g : groups) {
            sizes[g]++;
        }
        assertEquals(32, Arrays.stream(sizes).min().orElseThrow()); // 1300 = 40 * 32 + 20
        assertEquals(33, Arrays.stream(sizes).max().orElseThrow());
        // faces come in folder order, 130 per identity: every group must mix many identities
        boolean[][] identitiesOfGroup = new boolean[40][10];
        for (int i = 0; i < groups.length; i++) {
            identitiesOfGroup[groups[i]][i / 130] = true;
        }
        for (boolean[] identities : identitiesOfGroup) {
            int n = 0;
            for (boolean present : identities) {
                n += present ? 1 : 0;
            }
            assertTrue(n >= 6, "a group holds faces of only " + n + " identities");
        }
        assertArrayEquals(groups, TrainingJob.randomGroups(1300, 40, 0), "the same seed deals the same groups");
        assertFalse(Arrays.equals(groups, TrainingJob.randomGroups(1300, 40, 1)), "another seed deals others");
    }

    @Test
    void groupCodesAreDistinctAndSpreadOverSixteenBits() {
        int[] codes = TrainingJob.groupCodes(4096);
        assertEquals(4096, Arrays.stream(codes).distinct().count());
        assertTrue(Arrays.stream(codes).allMatch(c -> c >= 0 && c < 65536));
        assertTrue(Arrays.stream(codes).filter(c -> c >= 32768).count() > 1800, "the top bit is used");
        assertArrayEquals(Arrays.copyOf(codes, 10), TrainingJob.groupCodes(10), "group g keeps its code");
    }

    @Test
    void aModelTrainedOnCodeGroupsTakesNameCodes(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("faces");
        for (String person : List.of("ada", "grace")) {
            Files.createDirectories(data.resolve(person));
            for (int i = 0; i < 8; i++) {
                BufferedImage face = new BufferedImage(SegueTrainerTest.SIZE, SegueTrainerTest.SIZE, BufferedImage.TYPE_INT_RGB);
                face.setRGB(i, i, 0xFFFFFF);
                ImageIO.write(face, "png", data.resolve(person).resolve(i + ".png").toFile());
            }
        }
        Path output = dir.resolve("groups.segue");
        List<String> log = new ArrayList<>();
        TrainingJob.Outcome outcome = TrainingJob.run(new TrainingJob.Request(data, SegueTrainerTest.tinyConfig(1), "tiny",
                null, output, null, Device.cpu(), false, 4), ProgressListener.NONE, Cancellation.none(), log::add);
        assertEquals(output, outcome.model());
        assertTrue(outcome.recipe().get("labels").contains("k=4"), outcome.recipe().toString());
        try (SegueModel model = SegueModel.load(output, Device.cpu())) {
            assertTrue(model.usesNameCodes(), "protect --person gives name codes: the model must be told to take them");
            assertArrayEquals(new int[] {LabelCode.labelForName("ada", 16), LabelCode.labelForName("grace", 16)},
                    model.codesFor(List.of("ada", "grace")));
        }
    }

    @Test
    void codeGroupsCannotBeMixedWithOtherLabels() {
        TrainingConfig config = TrainingConfig.cpu();
        Path p = Path.of("x");
        assertThrows(IllegalArgumentException.class,
                () -> new TrainingJob.Request(p, config, "cpu", 10, p, null, Device.cpu(), false, 40));
        assertThrows(IllegalArgumentException.class,
                () -> new TrainingJob.Request(p, config, "cpu", null, p, null, Device.cpu(), true, 40));
        assertThrows(IllegalArgumentException.class,
                () -> new TrainingJob.Request(p, config, "cpu", null, p, null, Device.cpu(), false, 1));
    }
}
