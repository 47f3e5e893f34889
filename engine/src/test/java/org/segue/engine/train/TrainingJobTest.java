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
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingJobTest {

    @Test
    void aModelTrainedToWriteCodesTakesNameCodes(@TempDir Path dir) throws Exception {
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
                null, output, null, Device.cpu(), false, true), ProgressListener.NONE, Cancellation.none(), log::add);
        assertEquals(output, outcome.model());
        assertTrue(outcome.recipe().get("labels").startsWith("none"), outcome.recipe().toString());
        try (SegueModel model = SegueModel.load(output, Device.cpu())) {
            assertTrue(model.usesNameCodes(), "protect --person gives name codes: the model must be told to take them");
            assertArrayEquals(new int[] {LabelCode.labelForName("ada", 16), LabelCode.labelForName("grace", 16)},
                    model.codesFor(List.of("ada", "grace")));
        }
    }

    @Test
    void codeReadingCannotBeMixedWithLabels() {
        TrainingConfig config = TrainingConfig.cpu();
        Path p = Path.of("x");
        assertThrows(IllegalArgumentException.class,
                () -> new TrainingJob.Request(p, config, "cpu", 10, p, null, Device.cpu(), false, true));
        assertThrows(IllegalArgumentException.class,
                () -> new TrainingJob.Request(p, config, "cpu", null, p, null, Device.cpu(), true, true));
    }
}
