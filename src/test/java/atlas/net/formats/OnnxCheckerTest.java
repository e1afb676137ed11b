package atlas.net.formats;

import atlas.net.Activation;
import atlas.net.Network;
import atlas.net.RandomNets;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Exported ONNX files pass ONNX's own checker (Debian python3-onnx) and, evaluated with numpy, give the network's
 * outputs. Skipped, with a message, where Python's onnx package is not installed.
 */
class OnnxCheckerTest {
    static final String PYTHON = "/usr/bin/python3";

    @TempDir
    Path dir;

    static boolean onnxInstalled() {
        try {
            Process p = new ProcessBuilder(PYTHON, "-c", "import onnx, numpy").redirectErrorStream(true).start();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    @Test
    void exportedModelsPassTheCheckerAndComputeTheSameOutputs() throws Exception {
        Assumptions.assumeTrue(onnxInstalled(), "python3-onnx is not installed: skipping ONNX's checker on exported models (apt-get install python3-onnx)");
        Path script = Path.of(getClass().getResource("/fixtures/check_onnx_export.py").toURI());
        // a random net with skips, and the torch-made conv + max-pool net lowered to comparison layers and skips
        for (Network net : List.of(RandomNets.random(21, 3, new int[]{6, 6, 5}, 2, Activation.LEAKY_RELU, 0.1, true),
                ModelFiles.read(ModelFilesTest.fixture("maxpool.onnx"), ImportOptions.DEFAULT)))
            checkExport(net, script);
    }

    /** A structured export (Conv, BatchNormalization, PRelu per channel, MaxPool, Flatten, Gemm nodes) passes the full checker. */
    @Test
    void structuredExportsPassTheChecker() throws Exception {
        Assumptions.assumeTrue(onnxInstalled(), "python3-onnx is not installed: skipping ONNX's checker on exported models (apt-get install python3-onnx)");
        StructuredModel m = ModelFiles.readStructured(ModelFilesTest.fixture("ops-cnn-opset13.onnx"), ImportOptions.DEFAULT).structure();
        assertThat(m).isNotNull();
        for (DType t : new DType[]{DType.F64, DType.F32}) {
            Path model = dir.resolve("structured-" + t + ".onnx");
            java.nio.file.Files.write(model, m.toOnnx(t).toByteArray());
            Process p = new ProcessBuilder(PYTHON, "-c", "import onnx, sys; m = onnx.load(sys.argv[1]); onnx.checker.check_model(m, full_check=True); "
                    + "print(sorted(set(n.op_type for n in m.graph.node)))", model.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            assertThat(out).contains("'Conv'").contains("'BatchNormalization'").contains("'MaxPool'").contains("'PRelu'");
        }
    }

    private void checkExport(Network net, Path script) throws Exception {
        int n = net.inputDim();
        Random rnd = new Random(4);
        double[][] xs = new double[5][n];
        for (double[] x : xs) for (int k = 0; k < n; k++) x[k] = rnd.nextGaussian();
        Path inputs = dir.resolve("inputs-" + n + ".json");
        new ObjectMapper().writeValue(inputs.toFile(), xs);
        for (DType t : new DType[]{DType.F64, DType.F32}) {
            Path model = dir.resolve("net-" + n + "-" + t + ".onnx");
            ModelFiles.write(net, model, t);
            Process p = new ProcessBuilder(PYTHON, script.toString(), model.toString(), inputs.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            JsonNode ys = new ObjectMapper().readTree(out.substring(out.indexOf('[')));
            for (int s = 0; s < xs.length; s++) {
                double[] want = net.forward(xs[s]);
                for (int k = 0; k < want.length; k++)
                    assertThat(ys.get(s).get(k).asDouble()).isCloseTo(want[k], within(t == DType.F64 ? 1e-12 : 1e-4 * (1 + Math.abs(want[k]))));
            }
        }
    }
}
