package org.segue.lab.nn;

import org.segue.engine.SharedData;
import org.segue.engine.generator.Perturbation;
import org.segue.engine.generator.SegueModel;
import org.segue.engine.sideinfo.LabelCode;
import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.segue.engine.generator.ModelInfo;
import org.segue.lab.nn.Npz;
import org.segue.engine.generator.SegueGenerator;
import org.segue.engine.generator.Tensor;
import org.segue.engine.internal.DjlRuntime;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Our generator, loaded with the authors' weights, reproduces their PyTorch output. */
class ParityIT {

    @Test
    void reproducesTheOfficialGeneratorOutput() throws Exception {
        Path weights = SharedData.require("fixtures/segue-official/segue-webface10-generator.npz");
        Map<String, Tensor> cases = Npz.read(SharedData.require("fixtures/segue-official/parity-case.npz"));
        ModelInfo info = new ModelInfo(SegueGenerator.ARCHITECTURE, Perturbation.DEFAULT_EPSILON, 224, 224, 16, Map.of());
        try (SegueModel model = SegueModel.fromStateDict(Npz.read(weights), info, Device.cpu(), weights.toString());
             NDManager m = DjlRuntime.engine().newBaseManager(Device.cpu())) {
            NDArray input = m.create(cases.get("input").data(), new Shape(cases.get("input").shape()));
            NDArray code = m.create(cases.get("label_code").data(), new Shape(cases.get("label_code").shape()));
            float[] raw = model.rawOutput(input, code, false).toFloatArray();
            float[] expected = cases.get("raw_output").data();
            assertEquals(expected.length, raw.length);
            double maxDiff = maxAbsDiff(raw, expected);
            assertTrue(maxDiff <= 1e-4, "max |ours - official| = " + maxDiff);

            float[] delta = Perturbation.bounded(model.rawOutput(input, code, false), info.epsilon()).toFloatArray();
            assertTrue(maxAbsDiff(delta, cases.get("delta").data()) <= 1e-4);
            // The codes in the case are the label codes of labels 0, 3 and 7.
            float[] codes = cases.get("label_code").data();
            float[] labels = cases.get("labels").data();
            for (int i = 0; i < labels.length; i++) {
                assertEquals((int) labels[i], LabelCode.decode(java.util.Arrays.copyOfRange(codes, i * 16, i * 16 + 16)));
            }
        }
    }

    static double maxAbsDiff(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
