package org.segue.engine.generator;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segue.engine.sideinfo.LabelCode;
import org.segue.engine.generator.Perturbation;
import org.segue.engine.generator.SegueModel;
import org.segue.engine.generator.SegueGenerator;
import org.segue.engine.internal.DjlRuntime;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelFileTest {

    static final ModelInfo INFO = new ModelInfo(SegueGenerator.ARCHITECTURE, 6f / 255f, 32, 32, 16,
            Map.of("epochs", "3"));

    static Path saved(Path dir) throws Exception {
        Path file = dir.resolve("m.segue");
        try (SegueModel m = SegueModel.create(INFO, Device.cpu())) {
            m.save(file, Map.of("dataset", "synthetic"));
        }
        return file;
    }

    @Test
    void trainingInputSizeIsTheRecipesWhereTheGeneratorWorksSmaller(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("scaled.segue");
        try (SegueModel m = SegueModel.create(INFO, Device.cpu())) {
            assertEquals(32, m.trainingInputSize(), "no recipe size: the generator's own");
            m.save(file, Map.of("input.size", "64", "perturbation.scale", "2"));
        }
        try (SegueModel m = SegueModel.load(file, Device.cpu())) {
            assertEquals(32, m.info().inputHeight());
            assertEquals(64, m.trainingInputSize());
        }
    }

    @Test
    void roundTripsWeightsAndMetadata(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("m.segue");
        try (SegueModel a = SegueModel.create(INFO, Device.cpu());
             NDManager nd = DjlRuntime.engine().newBaseManager(Device.cpu())) {
            a.save(file, Map.of("dataset", "synthetic"));
            NDArray x = nd.randomUniform(0, 1, new Shape(2, 3, 32, 32));
            NDArray codes = LabelCode.batch(nd, new int[] {1, 2}, 16);
            float[] before = a.rawOutput(x, codes, false).toFloatArray();
            try (SegueModel b = SegueModel.load(file, Device.cpu())) {
                assertArrayEquals(before, b.rawOutput(x, codes, false).toFloatArray());
                assertEquals(6f / 255f, b.info().epsilon());
                assertEquals(32, b.info().inputHeight());
                assertEquals("synthetic", b.info().recipe().get("dataset"));
                assertEquals("3", b.info().recipe().get("epochs"));
            }
        }
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file may remain next to the model");
        }
    }

    @Test
    void refusesATruncatedFile(@TempDir Path dir) throws Exception {
        Path file = saved(dir);
        byte[] all = Files.readAllBytes(file);
        for (int cut : new int[] {0, 4, 20, all.length / 2, all.length - 1}) {
            Files.write(file, Arrays.copyOf(all, cut));
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> SegueModel.load(file, Device.cpu()));
            assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        }
    }

    @Test
    void refusesTamperedWeightsEvenWithTheHeaderIntact(@TempDir Path dir) throws Exception {
        Path file = saved(dir);
        byte[] all = Files.readAllBytes(file);
        all[all.length - 3] ^= 0x40;
        Files.write(file, all);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> SegueModel.load(file, Device.cpu()));
        assertTrue(e.getMessage().contains("SHA-256"), e.getMessage());
    }

    @Test
    void refusesOtherFormatVersionsAndNonModels(@TempDir Path dir) throws Exception {
        Path file = saved(dir);
        byte[] all = Files.readAllBytes(file);
        ByteBuffer.wrap(all).putInt(8, 99);
        Files.write(file, all);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> SegueModel.load(file, Device.cpu()));
        assertTrue(e.getMessage().contains("version 99"), e.getMessage());

        Path text = dir.resolve("notes.segue");
        Files.writeString(text, "hello, I am not a model");
        assertThrows(ModelFormatException.class, () -> SegueModel.load(text, Device.cpu()));
        assertThrows(ModelFormatException.class, () -> SegueModel.load(dir.resolve("missing.segue"), Device.cpu()));
    }

    @Test
    void theShippedDefaultModelLoadsAndDescribesItsTraining() throws Exception {
        try (SegueModel m = SegueModel.loadDefault(Device.cpu())) {
            assertEquals(SegueGenerator.ARCHITECTURE, m.info().architecture());
            assertEquals(Perturbation.DEFAULT_EPSILON, m.info().epsilon(), 1e-7);
            assertEquals(16, m.info().codeBits());
            assertTrue(m.info().recipe().containsKey("epochs.completed"), m.info().recipe().toString());
            assertTrue(m.info().recipe().containsKey("dataset"), m.info().recipe().toString());
        }
    }

    @Test
    void refusesAnotherArchitecture(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("x.segue");
        ModelFile.write(file, new ModelInfo("someone-elses-net", Perturbation.DEFAULT_EPSILON, 32, 32, 16, Map.of()),
                Map.of());
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> SegueModel.load(file, Device.cpu()));
        assertTrue(e.getMessage().contains("architecture"), e.getMessage());
    }
}
