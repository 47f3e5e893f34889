package org.segue.engine.face;

import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TfjsWeightsTest {

    private static final String MANIFEST = """
            [{"paths": ["a.bin"], "weights": [
              {"name": "q", "shape": [2, 2], "dtype": "float32", "quantization": {"dtype": "uint8", "scale": 0.5, "min": -1.0}},
              {"name": "f", "shape": [2], "dtype": "float32"}]}]""";

    private static byte[] shard(int extra) {
        ByteBuffer b = ByteBuffer.allocate(4 + 8 + extra).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0).put((byte) 1).put((byte) 2).put((byte) 255);
        b.putFloat(1.5f).putFloat(-2.25f);
        return b.array();
    }

    @Test
    void dequantisesUint8AndReadsLittleEndianFloats() throws IOException {
        TfjsWeights w = TfjsWeights.parse("t", JsonParser.parseString(MANIFEST).getAsJsonArray(), p -> shard(0));
        assertArrayEquals(new float[] {-1f, -0.5f, 0f, 126.5f}, w.get("q", 2, 2).data());
        assertArrayEquals(new float[] {1.5f, -2.25f}, w.get("f", 2).data());
    }

    @Test
    void refusesShortLongAndMisshapenWeights() {
        var manifest = JsonParser.parseString(MANIFEST).getAsJsonArray();
        assertThrows(IOException.class, () -> TfjsWeights.parse("t", manifest, p -> new byte[6]));
        assertThrows(IOException.class, () -> TfjsWeights.parse("t", manifest, p -> shard(3)));
        IllegalStateException e = assertThrows(IllegalStateException.class, () ->
                TfjsWeights.parse("t", manifest, p -> shard(0)).get("f", 3));
        assertTrue(e.getMessage().contains("f"), e.getMessage());
    }

    @Test
    void theShippedFaceModelsLoadCompletely() {
        for (String model : new String[] {"ssd_mobilenetv1_model", "face_landmark_68_model", "face_recognition_model"}) {
            TfjsWeights w = TfjsWeights.loadResource(model);
            assertTrue(w.tensors().size() > 40, model + " has " + w.tensors().size() + " tensors");
        }
        assertEquals(7 * 7 * 3 * 32, TfjsWeights.loadResource("face_recognition_model")
                .get("conv32_down/conv/filters", 7, 7, 3, 32).data().length);
    }

    @Test
    void readsHalfPrecisionUint16QuantisationAndInt32() throws IOException {
        String manifest = """
                [{"paths": ["a.bin"], "weights": [
                  {"name": "h", "shape": [4], "dtype": "float32", "quantization": {"dtype": "float16"}},
                  {"name": "u", "shape": [2], "dtype": "float32", "quantization": {"dtype": "uint16", "scale": 0.25, "min": 1.0}},
                  {"name": "i", "shape": [2], "dtype": "int32"}]}]""";
        ByteBuffer b = ByteBuffer.allocate(8 + 4 + 8).order(ByteOrder.LITTLE_ENDIAN);
        // 1.0, -2.5, the smallest subnormal (2^-24), infinity
        b.putShort((short) 0x3C00).putShort((short) 0xC100).putShort((short) 0x0001).putShort((short) 0x7C00);
        b.putShort((short) 0).putShort((short) 0xFFFF);
        b.putInt(-1).putInt(112);
        TfjsWeights w = TfjsWeights.parse("t", JsonParser.parseString(manifest).getAsJsonArray(), p -> b.array());
        assertArrayEquals(new float[] {1f, -2.5f, 0x1p-24f, Float.POSITIVE_INFINITY}, w.get("h").data());
        assertArrayEquals(new float[] {1f, 1f + 0.25f * 65535}, w.get("u").data());
        assertArrayEquals(new float[] {-1f, 112f}, w.get("i").data());
    }
}
