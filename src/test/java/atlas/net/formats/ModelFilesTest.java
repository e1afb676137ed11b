package atlas.net.formats;

import atlas.net.Activation;
import atlas.net.DenseLayer;
import atlas.net.ModelException;
import atlas.net.ModelFormat;
import atlas.net.Network;
import atlas.net.RandomNets;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Model files in and out: fixtures made once by real PyTorch (make_fixtures.py) must give PyTorch's own outputs;
 * every format round-trips bit for bit; bad files fail in one line.
 */
class ModelFilesTest {
    @TempDir
    Path tmp;

    static Path fixture(String name) {
        try {
            return Path.of(ModelFilesTest.class.getResource("/fixtures/models/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode expected(String model) throws IOException {
        return new ObjectMapper().readTree(fixture("expected.json").toFile()).get(model);
    }

    /** The network's outputs equal PyTorch's float32 outputs (to float rounding) on the stored inputs. */
    static void assertMatchesTorch(Network net, String model) throws IOException {
        assertMatchesRecorded(net, expected(model), model);
    }

    /** The network's outputs equal the recorded float32 outputs {@code e} ({"inputs": [...], "outputs": [...]}). */
    static void assertMatchesRecorded(Network net, JsonNode e, String model) {
        for (int s = 0; s < e.get("inputs").size(); s++) {
            JsonNode in = e.get("inputs").get(s), out = e.get("outputs").get(s);
            double[] x = new double[in.size()];
            for (int k = 0; k < x.length; k++) x[k] = in.get(k).asDouble();
            double[] y = net.forward(x);
            assertThat(y).hasSize(out.size());
            for (int k = 0; k < y.length; k++) {
                double want = out.get(k).asDouble();
                assertThat(y[k]).as(model + " sample " + s + " output " + k).isCloseTo(want, within(2e-5 * (1 + Math.abs(want))));
            }
        }
    }

    @Test
    void torchStateDictMatchesPytorch() throws IOException {
        Network net = ModelFiles.read(fixture("mlp.pt"), ImportOptions.DEFAULT);
        assertThat(net.inputDim()).isEqualTo(4);
        assertThat(net.depth()).isEqualTo(3);
        assertThat(net.layer(3).activation()).isEqualTo(Activation.IDENTITY);
        assertMatchesTorch(net, "mlp");
    }

    @Test
    void safetensorsAndOnnxFromPytorchGiveTheSameNetworkAsThePt() throws IOException {
        Network pt = ModelFiles.read(fixture("mlp.pt"), ImportOptions.DEFAULT);
        Network st = ModelFiles.read(fixture("mlp.safetensors"), ImportOptions.DEFAULT);
        Network onnx = ModelFiles.read(fixture("mlp.onnx"), ImportOptions.DEFAULT);
        assertThat(st).isEqualTo(pt);          // the same float32 weights, widened exactly
        assertThat(onnx).isEqualTo(pt);
        assertMatchesTorch(onnx, "mlp");
    }

    @Test
    void bfloat16WeightsAreTheFloatWeightsRoundedToNearestEven() {
        Network f32 = ModelFiles.read(fixture("mlp.safetensors"), ImportOptions.DEFAULT);
        Network bf16 = ModelFiles.read(fixture("mlp-bf16.safetensors"), ImportOptions.DEFAULT);
        for (int i = 1; i <= f32.depth(); i++) {
            double[] a = f32.layer(i).weights(), b = bf16.layer(i).weights();
            for (int k = 0; k < a.length; k++) {
                float rounded = Float.intBitsToFloat((DType.floatToBfloat16((float) a[k]) & 0xffff) << 16);
                assertThat(b[k]).isEqualTo(rounded);
                assertThat(Math.abs(b[k] - a[k])).isLessThanOrEqualTo(Math.ulp((float) a[k]) * 65536);
            }
        }
    }

    @Test
    void namedLayersInACheckpointWithLeakyRelu() throws IOException {
        ImportOptions leaky = ImportOptions.parse("leaky_relu:0.1");
        Network pt = ModelFiles.read(fixture("named-leaky.pt"), leaky);
        // fc1, fc2, fc10: the safetensors names sort naturally (fc10 last), the .pt keeps module order
        Network st = ModelFiles.read(fixture("named-leaky.safetensors"), leaky);
        assertThat(st).isEqualTo(pt);
        assertThat(pt.layer(1).activation()).isEqualTo(Activation.LEAKY_RELU);
        assertMatchesTorch(pt, "named-leaky");
    }

    @Test
    void onnxCnnAndMixedNetMatchPytorch() throws IOException {
        assertMatchesTorch(ModelFiles.read(fixture("cnn.onnx"), ImportOptions.DEFAULT), "cnn");
        // conv + folded batch-norm, per-channel PReLU, dilated grouped conv, residual add, pad + ceil-mode
        // average pool, leaky ReLU, global average pool, dropout
        assertMatchesTorch(ModelFiles.read(fixture("mixed.onnx"), ImportOptions.DEFAULT), "mixed");
    }

    @Test
    void weightsOnlyConvNetAsksForOnnx() {
        assertThatThrownBy(() -> ModelFiles.read(fixture("cnn.pt"), ImportOptions.DEFAULT))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("cnn.pt")
                .hasMessageContaining("torch.onnx.export")
                .hasMessageNotContaining("\n");
    }

    @Test
    void maxPoolNetMatchesPytorchThroughComparisonUnits() throws IOException {
        // Conv(1->2, 3x3) on 8x8, ReLU, MaxPool 2x2 (3x3 cells of 4), Flatten, Linear(18 -> 2)
        Network net = ModelFiles.read(fixture("maxpool.onnx"), ImportOptions.DEFAULT);
        assertMatchesTorch(net, "maxpool");
        // the tournament: 18 windows of 4 cells take 2 rounds, 36 then 18 comparison units (4 - 1 per window)
        assertThat(net.depth()).isEqualTo(4);
        assertThat(net.layer(2).units()).isEqualTo(36);
        assertThat(net.layer(3).units()).isEqualTo(18);
    }

    @Test
    void everyFormatRoundTripsBitForBit() {
        for (long seed = 1; seed <= 4; seed++) {
            Network dense = RandomNets.random(seed, 3, new int[]{6, 5, 4}, 2, seed % 2 == 0 ? Activation.RELU : Activation.LEAKY_RELU, 0.01 * seed, false);
            Network skips = RandomNets.random(seed, 3, new int[]{5, 5, 5}, 2, Activation.RELU, 0, true);
            for (String ext : List.of("json", "onnx", "safetensors")) {
                Path f = tmp.resolve("net" + seed + "." + ext);
                ModelFiles.write(dense, f, DType.F64);
                assertThat(ModelFiles.read(f, ImportOptions.DEFAULT)).as(ext).isEqualTo(dense);
                if (!ext.equals("safetensors")) {
                    ModelFiles.write(skips, f, DType.F64);
                    assertThat(ModelFiles.read(f, ImportOptions.DEFAULT)).as(ext + " with skips").isEqualTo(skips);
                }
            }
            // a chain through every format ends where it started
            Path a = tmp.resolve("a.onnx"), b = tmp.resolve("b.safetensors"), c = tmp.resolve("c.json");
            ModelFiles.write(dense, a, DType.F64);
            ModelFiles.write(ModelFiles.read(a, ImportOptions.DEFAULT), b, DType.F64);
            ModelFiles.write(ModelFiles.read(b, ImportOptions.DEFAULT), c, DType.F64);
            assertThat(ModelFormat.read(c)).isEqualTo(dense);
        }
    }

    @Test
    void safetensorsRefusesSkipsAndFloat32KeepsFloatValues() {
        Network skips = RandomNets.withSkipsEverywhere(3, 2, new int[]{4, 4}, 1, Activation.RELU, 0);
        assertThatThrownBy(() -> ModelFiles.write(skips, tmp.resolve("s.safetensors"), DType.F64))
                .isInstanceOf(ModelException.class).hasMessageContaining("skip");
        Network dense = RandomNets.random(9, 2, new int[]{4}, 1, Activation.RELU, 0, false);
        for (DType t : List.of(DType.F32, DType.F16, DType.BF16)) {
            Path f = tmp.resolve("n-" + t + ".safetensors");
            ModelFiles.write(dense, f, t);
            Network back = ModelFiles.read(f, ImportOptions.DEFAULT);
            double[] w = dense.layer(1).weights(), v = back.layer(1).weights();
            for (int k = 0; k < w.length; k++) {
                ByteBuffer buf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
                t.write(buf, w[k]);
                assertThat(v[k]).isEqualTo(t.read(buf, 0)); // exactly the narrowed value
            }
        }
    }

    @Test
    void halfPrecisionKnownValues() {
        assertThat(DType.halfToFloat((short) 0x3c00)).isEqualTo(1.0f);
        assertThat(DType.halfToFloat((short) 0xc000)).isEqualTo(-2.0f);
        assertThat(DType.halfToFloat((short) 0x7bff)).isEqualTo(65504f);
        assertThat(DType.halfToFloat((short) 0x0001)).isEqualTo(0x1p-24f);
        assertThat(DType.halfToFloat((short) 0x3555)).isEqualTo(0.333251953125f);
        assertThat(DType.floatToHalf(1.0f)).isEqualTo((short) 0x3c00);
        assertThat(DType.floatToHalf(65504f)).isEqualTo((short) 0x7bff);
        assertThat(DType.floatToHalf(1e6f)).isEqualTo((short) 0x7c00);
        assertThat(DType.floatToHalf(0x1p-24f)).isEqualTo((short) 0x0001);
        // 1 + 2^-11 is halfway between 1 and 1 + 2^-10: ties to even (1.0)
        assertThat(DType.floatToHalf(1f + 0x1p-11f)).isEqualTo((short) 0x3c00);
        assertThat(DType.floatToHalf(1f + 3 * 0x1p-11f)).isEqualTo((short) 0x3c02);
        for (int h = 0; h < 0x7c00; h++) assertThat(DType.floatToHalf(DType.halfToFloat((short) h))).isEqualTo((short) h);
        assertThat(DType.floatToBfloat16(1.0f)).isEqualTo((short) 0x3f80);
    }

    @Test
    void badFilesFailInOneLineNamingTheFile() throws IOException {
        Path notZip = tmp.resolve("model.pt");
        Files.writeString(notZip, "hello");
        Path badHeader = tmp.resolve("model.safetensors");
        Files.write(badHeader, new byte[]{(byte) 0xff, 0, 0, 0, 0, 0, 0, 0x7f, '{'});
        Path truncated = tmp.resolve("trunc.safetensors");
        byte[] good = Files.readAllBytes(fixture("mlp.safetensors"));
        Files.write(truncated, java.util.Arrays.copyOf(good, good.length - 10));
        Path garbageOnnx = tmp.resolve("g.onnx");
        Files.write(garbageOnnx, new byte[]{0x08, (byte) 0xff, (byte) 0xff, 0x12, 0x7f, 0x00});
        Path unknown = tmp.resolve("weights.bin");
        Files.write(unknown, new byte[]{1, 2, 3});
        for (Path p : List.of(notZip, badHeader, truncated, garbageOnnx, unknown, tmp.resolve("missing.onnx"))) {
            assertThatThrownBy(() -> ModelFiles.read(p, ImportOptions.DEFAULT)).as(p.toString())
                    .isInstanceOf(ModelException.class)
                    .hasMessageContaining(p.getFileName().toString())
                    .hasMessageNotContaining("\n");
        }
        assertThatThrownBy(() -> ModelFiles.read(truncated, ImportOptions.DEFAULT)).hasMessageContaining("data_offsets");
    }

    @Test
    void stackOrderAndShapesAreChecked() {
        Tensor w1 = new Tensor("a.weight", new long[]{3, 2}, new double[6], DType.F32);
        Tensor w2 = new Tensor("b.weight", new long[]{1, 4}, new double[4], DType.F32);
        assertThatThrownBy(() -> LinearStack.toNetwork(List.of(w1, w2), Map.of(), LinearStack.Order.FILE, ImportOptions.DEFAULT))
                .hasMessageContaining("torch.onnx.export");
        Tensor stat = new Tensor("bn.running_mean", new long[]{3}, new double[3], DType.F32);
        assertThatThrownBy(() -> LinearStack.toNetwork(List.of(w1, stat), Map.of(), LinearStack.Order.FILE, ImportOptions.DEFAULT))
                .hasMessageContaining("bn.running_mean");
        List<String> names = new java.util.ArrayList<>(List.of("fc10.", "fc2.", "fc1."));
        names.sort(LinearStack.NATURAL);
        assertThat(names).containsExactly("fc1.", "fc2.", "fc10.");
        assertThatThrownBy(() -> ImportOptions.parse("tanh")).hasMessageContaining("--activation");
        assertThat(ImportOptions.parse("leaky_relu:0.2").leak()).isEqualTo(0.2);
    }

    @Test
    void denseLayerOfOneUnitSurvivesOnnx() {
        Network tiny = new Network(1, List.of(new DenseLayer(1, 1, new double[]{-0.0}, new double[]{-0.0}, Activation.RELU, 0)));
        Path f = tmp.resolve("tiny.onnx");
        ModelFiles.write(tiny, f, DType.F64);
        assertThat(ModelFiles.read(f, ImportOptions.DEFAULT)).isEqualTo(tiny); // even negative zeros
    }
}
