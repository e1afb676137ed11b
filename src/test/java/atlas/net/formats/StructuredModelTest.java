package atlas.net.formats;

import atlas.geometry.Rectangle;
import atlas.geometry.Tolerance;
import atlas.net.ModelException;
import atlas.net.ModelFormat;
import atlas.net.Network;
import atlas.regions.LinearRegion;
import atlas.regions.PlanePartition;
import atlas.regions.PlanePartitioner;
import atlas.regions.PlaneSlice;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;

import static atlas.net.formats.ModelFilesTest.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * relu-atlas-model/2: ONNX CNNs converted to /2 load as the same network as the ONNX file (bit for bit) and
 * still give PyTorch's outputs; /2 -> ONNX -> /2 is the same text; a /2 file written by hand in this test
 * gives the outputs of a forward pass written out loop by loop here; malformed files fail in one line that
 * names the layer and the field.
 */
class StructuredModelTest {
    @TempDir
    Path tmp;

    static final ObjectMapper JSON = new ObjectMapper();

    /** The fixtures with structured layers and the recorded PyTorch outputs they must give (file, record, key). */
    static final List<String[]> CNNS = List.of(
            new String[]{"cnn.onnx", "expected.json", "cnn"},
            new String[]{"maxpool.onnx", "expected.json", "maxpool"},
            new String[]{"ops-cnn-opset13.onnx", "ops-expected.json", "ops-cnn"},
            new String[]{"ops-autopad.onnx", "ops-expected.json", "ops-autopad"});

    @Test
    void onnxCnnsConvertToTwoAndLoadAsTheSameNetwork() throws IOException {
        for (String[] c : CNNS) {
            Path onnx = fixture(c[0]);
            ModelFiles.Loaded loaded = ModelFiles.readStructured(onnx, ImportOptions.DEFAULT);
            assertThat(loaded.structure()).as(c[0] + ": " + loaded.whyNot()).isNotNull();
            assertThat(loaded.structure().hasStructuredLayers()).isTrue();
            Path json = tmp.resolve(c[0] + ".json");
            ModelFiles.write(loaded, json, DType.F64);
            assertThat(Files.readString(json)).startsWith("{\"format\":\"relu-atlas-model/2\"");
            Network fromJson = ModelFiles.read(json, ImportOptions.DEFAULT);
            assertThat(fromJson).as(c[0]).isEqualTo(ModelFiles.read(onnx, ImportOptions.DEFAULT));
            // and, independently of our reader, PyTorch's own outputs
            ModelFilesTest.assertMatchesRecorded(fromJson, JSON.readTree(fixture(c[1]).toFile()).get(c[2]), c[0]);
        }
    }

    @Test
    void twoToOnnxToTwoIsBitExact() throws IOException {
        for (String[] c : CNNS) {
            StructuredModel s = ModelFiles.readStructured(fixture(c[0]), ImportOptions.DEFAULT).structure();
            String text = StructuredJson.toJson(s);
            byte[] onnx = s.toOnnx(DType.F64).toByteArray();
            OnnxReader.Imported back = OnnxReader.readWithStructure(new ByteArrayInputStream(onnx));
            assertThat(back.structure()).as(c[0] + ": " + back.whyNot()).isNotNull();
            assertThat(StructuredJson.toJson(back.structure())).as(c[0]).isEqualTo(text);
            assertThat(back.network()).isEqualTo(s.lower());
            // and through files, as `atlas convert` does it
            Path j1 = tmp.resolve("a.json"), o = tmp.resolve("a.onnx"), j2 = tmp.resolve("b.json");
            Files.writeString(j1, text);
            ModelFiles.write(ModelFiles.readStructured(j1, ImportOptions.DEFAULT), o, DType.F64);
            ModelFiles.write(ModelFiles.readStructured(o, ImportOptions.DEFAULT), j2, DType.F64);
            assertThat(Files.readString(j2)).isEqualTo(text);
        }
    }

    @Test
    void theReadmeCnnIsKeptAsKernels() throws IOException {
        Path onnx = Path.of("docs/examples/cnn-mnist.onnx");
        ModelFiles.Loaded loaded = ModelFiles.readStructured(onnx, ImportOptions.DEFAULT);
        Path v2 = tmp.resolve("cnn2.json"), v1 = tmp.resolve("cnn1.json");
        ModelFiles.write(loaded, v2, DType.F64);
        ModelFiles.write(loaded.network(), v1, DType.F64); // the lowered net: relu-atlas-model/1
        assertThat(Files.readString(v1)).startsWith("{\"format\":\"relu-atlas-model/1\"");
        // 2,400 conv and dense weights as kernels against 331,842 lowered weights
        assertThat(Files.size(v2) * 50).isLessThan(Files.size(v1));
        assertThat(ModelFiles.read(v2, ImportOptions.DEFAULT)).isEqualTo(ModelFiles.read(v1, ImportOptions.DEFAULT));
    }

    @Test
    void plainDenseNetsStayVersionOne() throws IOException {
        for (String f : List.of("mlp.onnx", "mixed.onnx")) {
            ModelFiles.Loaded loaded = ModelFiles.readStructured(fixture(f), ImportOptions.DEFAULT);
            Path json = tmp.resolve(f + ".json");
            ModelFiles.write(loaded, json, DType.F64);
            assertThat(Files.readString(json)).as(f).startsWith("{\"format\":\"relu-atlas-model/1\"");
            assertThat(ModelFormat.read(json)).isEqualTo(loaded.network());
        }
    }

    @Test
    void planeRegionsOfTwoEqualThoseOfOnnx() throws IOException {
        Network onnx = ModelFiles.read(fixture("maxpool.onnx"), ImportOptions.DEFAULT);
        Path json = tmp.resolve("maxpool.json");
        ModelFiles.write(ModelFiles.readStructured(fixture("maxpool.onnx"), ImportOptions.DEFAULT), json, DType.F64);
        Network two = ModelFiles.read(json, ImportOptions.DEFAULT);
        Random rnd = new Random(2);
        PlaneSlice slice = PlaneSlice.throughPoints(ConvTwinTest.gauss(rnd, 64, 1), ConvTwinTest.gauss(rnd, 64, 1), ConvTwinTest.gauss(rnd, 64, 1));
        Rectangle rect = new Rectangle(-1, 2, -1, 2);
        PlanePartition a = new PlanePartitioner(onnx, slice, rect, Tolerance.DEFAULT).getResult();
        PlanePartition b = new PlanePartitioner(two, slice, rect, Tolerance.DEFAULT).getResult();
        assertThat(a.count()).isGreaterThan(10).isEqualTo(b.count());
        assertThat(patterns(a)).isEqualTo(patterns(b));
        assertThat(b.totalArea()).isCloseTo(9.0, within(1e-9));
    }

    private static Set<String> patterns(PlanePartition p) {
        Set<String> s = new HashSet<>();
        for (LinearRegion r : p.regions()) s.add(r.pattern().toString());
        return s;
    }

    // ---------------------------------------------------------------- a file written by hand

    /**
     * 1x4x4 input; conv 1->2 3x3 pad 1; batch-norm; per-channel PReLU; add the conv output (value 1); relu;
     * max-pool 2x2 stride 2; avg-pool 2x2 stride 1 with top/left padding; flatten; dense 8->3; leaky relu;
     * dense 3->1.
     */
    static final double[] K = {0.5, -0.25, 0.125, 1, 0, -1, 0.75, 0.5, -0.5, /* channel 2 */ -0.3, 0.2, 0.1, 0.4, -0.6, 0.9, 0, 0.3, -0.2};
    static final double[] KB = {0.1, -0.05}, G = {1.5, 0.8}, BETA = {0.2, -0.1}, MEAN = {0.05, -0.2}, VAR = {0.5, 2.0}, SLOPE = {0.1, -0.2};
    static final double EPS = 0.001; // read as the float 0.001f
    static final double[][] D1 = {{0.3, -0.1, 0.2, 0.5, -0.4, 0.1, 0.25, -0.3}, {-0.2, 0.4, 0.1, -0.1, 0.3, 0.2, -0.5, 0.6}, {0.1, 0.1, -0.3, 0.2, 0.2, -0.1, 0.4, 0.05}};
    static final double[] D1B = {0.01, -0.02, 0.03}, D2 = {1.0, -0.5, 0.25};
    static final double LEAK = 0.05;

    static ObjectNode handWritten() {
        ObjectNode root = JSON.createObjectNode().put("format", "relu-atlas-model/2");
        root.set("input_shape", JSON.valueToTree(new int[]{1, 4, 4}));
        ArrayNode layers = root.putArray("layers");
        double[][][][] k = new double[2][1][3][3];
        for (int i = 0; i < 18; i++) k[i / 9][0][(i % 9) / 3][i % 3] = K[i];
        ObjectNode conv = layers.addObject().put("type", "conv2d");
        conv.set("kernel", JSON.valueToTree(new int[]{3, 3}));
        conv.set("padding", JSON.valueToTree(new int[]{1, 1, 1, 1}));
        conv.set("weights", JSON.valueToTree(k));
        conv.set("bias", JSON.valueToTree(KB));
        ObjectNode bn = layers.addObject().put("type", "batchnorm");
        bn.set("gamma", JSON.valueToTree(G));
        bn.set("beta", JSON.valueToTree(BETA));
        bn.set("mean", JSON.valueToTree(MEAN));
        bn.set("var", JSON.valueToTree(VAR));
        bn.put("eps", EPS);
        layers.addObject().put("type", "prelu").set("slope", JSON.valueToTree(SLOPE));
        layers.addObject().put("type", "add").put("from", 1);
        layers.addObject().put("type", "relu");
        ObjectNode mp = layers.addObject().put("type", "maxpool");
        mp.set("kernel", JSON.valueToTree(new int[]{2, 2}));
        mp.set("stride", JSON.valueToTree(new int[]{2, 2}));
        ObjectNode ap = layers.addObject().put("type", "avgpool");
        ap.set("kernel", JSON.valueToTree(new int[]{2, 2}));
        ap.set("padding", JSON.valueToTree(new int[]{1, 1, 0, 0}));
        layers.addObject().put("type", "flatten");
        ObjectNode d1 = layers.addObject().put("type", "dense");
        d1.set("weights", JSON.valueToTree(D1));
        d1.set("bias", JSON.valueToTree(D1B));
        layers.addObject().put("type", "leaky_relu").put("leak", LEAK);
        layers.addObject().put("type", "dense").set("weights", JSON.valueToTree(new double[][]{D2}));
        return root;
    }

    /** The hand-written model's forward pass, loop by loop (no code of the reader). */
    static double reference(double[] x) {
        double eps = (float) EPS;
        double[][][] c = new double[2][4][4];
        for (int oc = 0; oc < 2; oc++)
            for (int y = 0; y < 4; y++) for (int xx = 0; xx < 4; xx++) {
                double s = KB[oc];
                for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) {
                    int iy = y - 1 + i, ix = xx - 1 + j;
                    if (iy >= 0 && iy < 4 && ix >= 0 && ix < 4) s += K[oc * 9 + i * 3 + j] * x[iy * 4 + ix];
                }
                c[oc][y][xx] = s;
            }
        double[][][] r = new double[2][4][4];
        for (int oc = 0; oc < 2; oc++)
            for (int y = 0; y < 4; y++) for (int xx = 0; xx < 4; xx++) {
                double b = G[oc] * (c[oc][y][xx] - MEAN[oc]) / Math.sqrt(VAR[oc] + eps) + BETA[oc];
                double p = b > 0 ? b : SLOPE[oc] * b;
                r[oc][y][xx] = Math.max(0, p + c[oc][y][xx]);
            }
        double[][][] m = new double[2][2][2];
        for (int oc = 0; oc < 2; oc++)
            for (int y = 0; y < 2; y++) for (int xx = 0; xx < 2; xx++)
                m[oc][y][xx] = Math.max(Math.max(r[oc][2 * y][2 * xx], r[oc][2 * y][2 * xx + 1]), Math.max(r[oc][2 * y + 1][2 * xx], r[oc][2 * y + 1][2 * xx + 1]));
        double[] flat = new double[8];
        for (int oc = 0; oc < 2; oc++)
            for (int y = 0; y < 2; y++) for (int xx = 0; xx < 2; xx++) {
                // window rows y-1..y, columns xx-1..xx; padding cells do not count
                double s = 0;
                int n = 0;
                for (int i = y - 1; i <= y; i++) for (int j = xx - 1; j <= xx; j++)
                    if (i >= 0 && j >= 0) { s += m[oc][i][j]; n++; }
                flat[(oc * 2 + y) * 2 + xx] = s / n;
            }
        double out = 0;
        for (int u = 0; u < 3; u++) {
            double z = D1B[u];
            for (int i = 0; i < 8; i++) z += D1[u][i] * flat[i];
            out += D2[u] * (z > 0 ? z : LEAK * z);
        }
        return out;
    }

    @Test
    void aHandWrittenFileMeansWhatItSays() throws IOException {
        Path f = tmp.resolve("hand.json");
        Files.writeString(f, handWritten().toString());
        Network net = ModelFiles.read(f, ImportOptions.DEFAULT);
        assertThat(net.inputDim()).isEqualTo(16);
        Random rnd = new Random(5);
        for (int s = 0; s < 200; s++) {
            double[] x = ConvTwinTest.gauss(rnd, 16, 1.0);
            assertThat(net.forward(x)[0]).isCloseTo(reference(x), within(1e-12));
        }
        // and it round-trips through its own text
        StructuredModel m = ModelFiles.readStructured(f, ImportOptions.DEFAULT).structure();
        String text = StructuredJson.toJson(m);
        assertThat(StructuredJson.toJson(StructuredJson.parse(JSON.readTree(text)))).isEqualTo(text);
    }

    @Test
    void versionOneReadersSayWhatTwoIs() {
        assertThatThrownBy(() -> ModelFormat.parse(handWritten().toString()))
                .isInstanceOf(ModelException.class).hasMessageContaining("relu-atlas-model/2 is read where a MODEL is read");
    }

    // ---------------------------------------------------------------- malformed files

    static ObjectNode layer(ObjectNode root, int k) {
        return (ObjectNode) root.get("layers").get(k - 1);
    }

    @Test
    void malformedFilesFailInOneLineNamingTheLayer() throws IOException {
        record Case(String what, Consumer<ObjectNode> mutate, String message) {}
        List<Case> cases = List.of(
                new Case("unknown top field", r -> r.put("input_dim", 16), "unknown field 'input_dim'"),
                new Case("unknown layer field", r -> layer(r, 1).put("strides", 2), "layer 1 (conv2d): unknown field 'strides'"),
                new Case("unknown type", r -> layer(r, 5).put("type", "sigmoid"), "layer 5 (sigmoid): unknown type"),
                new Case("no type", r -> layer(r, 5).remove("type"), "layer 5: field 'type' is missing"),
                new Case("kernel differs", r -> layer(r, 1).set("kernel", JSON.valueToTree(new int[]{5, 5})), "kernel [5, 5] differs from the weights' 3x3"),
                new Case("ragged weights", r -> ((ArrayNode) layer(r, 1).get("weights").get(1).get(0).get(2)).remove(0), "layer 1 (conv2d): weights is not rectangular"),
                new Case("channels", r -> r.set("input_shape", JSON.valueToTree(new int[]{3, 4, 4})), "layer 1 (conv2d): weights has 18 entries, expected 54"),
                new Case("conv bias", r -> ((ArrayNode) layer(r, 1).get("bias")).add(1), "layer 1 (conv2d): bias has 3 entries, expected 2"),
                new Case("stride 0", r -> layer(r, 1).set("stride", JSON.valueToTree(new int[]{0, 1})), "layer 1 (conv2d): stride[0] = 0 must be positive"),
                new Case("negative pad", r -> layer(r, 1).set("padding", JSON.valueToTree(new int[]{1, -1, 1, 1})), "padding[1] = -1 is negative"),
                new Case("window too big", r -> layer(r, 6).set("kernel", JSON.valueToTree(new int[]{9, 9})), "layer 6 (maxpool): the window (9) is larger than the padded input (4)"),
                new Case("bn length", r -> ((ArrayNode) layer(r, 2).get("mean")).add(0), "layer 2 (batchnorm): a parameter has 3 entries, expected 2"),
                new Case("bn var", r -> ((ArrayNode) layer(r, 2).get("var")).set(0, JSON.getNodeFactory().numberNode(-1.0)), "layer 2 (batchnorm): var[0] = -1.0 is negative"),
                new Case("bn eps missing", r -> layer(r, 2).remove("eps"), "layer 2 (batchnorm): eps is missing"),
                new Case("prelu slope", r -> ((ArrayNode) layer(r, 3).get("slope")).add(0.5), "layer 3 (prelu): slope has 3 entries, expected 2"),
                new Case("add shapes", r -> layer(r, 4).put("from", 0), "layer 4 (add): adds value 0 of shape [1, 4, 4] to value 3 of shape [2, 4, 4]"),
                new Case("add from later", r -> layer(r, 4).put("from", 7), "layer 4 (add): from = 7 must name an earlier value (0..3)"),
                new Case("input later", r -> layer(r, 5).put("input", 5), "layer 5 (relu): input = 5 must name an earlier value (0..4)"),
                new Case("dense on image", r -> ((ArrayNode) r.get("layers")).remove(7), "layer 8 (dense): reads a value of shape [2, 2, 2]; a dense layer reads a vector"),
                new Case("dense columns", r -> ((ArrayNode) layer(r, 9).get("weights").get(0)).add(1), "layer 9 (dense): weights is not rectangular"),
                new Case("dense inputs", r -> layer(r, 11).set("weights", JSON.valueToTree(new double[][]{{1, 2}})), "layer 11 (dense): weights has 2 columns, expected 3"),
                new Case("NaN weight", r -> ((ArrayNode) layer(r, 9).get("weights").get(1)).set(2, JSON.getNodeFactory().numberNode(Double.NaN)), "layer 9 (dense): weights[1][2] is "),
                new Case("string weight", r -> ((ArrayNode) layer(r, 9).get("bias")).set(0, JSON.getNodeFactory().textNode("x")), "layer 9 (dense): bias[0] is not a number"),
                new Case("leak text", r -> layer(r, 10).put("leak", "big"), "layer 10 (leaky_relu): leak is not a number"),
                new Case("ceil text", r -> layer(r, 6).put("ceil_mode", 1), "layer 6 (maxpool): ceil_mode is not true or false"),
                new Case("avgpool dilation", r -> layer(r, 7).set("dilation", JSON.valueToTree(new int[]{2, 2})), "layer 7 (avgpool): unknown field 'dilation'"),
                new Case("input shape rank", r -> r.set("input_shape", JSON.valueToTree(new int[]{4, 4})), "input_shape [4, 4]: expected [n] or [C, H, W]"),
                new Case("no layers", r -> r.putArray("layers"), "the network has no layers"),
                new Case("groups", r -> layer(r, 1).put("groups", 2), "layer 1 (conv2d): groups = 2 does not divide 1 input"),
                new Case("huge input", r -> r.set("input_shape", JSON.valueToTree(new int[]{1, 2147483647, 2147483647})), "has more than 2^31 values"),
                new Case("huge padding", r -> layer(r, 1).set("padding", JSON.valueToTree(new int[]{1, 1, 2147483647, 1})), "layer 1 (conv2d): "),
                new Case("huge image", r -> r.set("input_shape", JSON.valueToTree(new int[]{1, 40000, 40000})), "more than the 2^31 an array holds"));
        for (Case c : cases) {
            ObjectNode root = handWritten();
            c.mutate().accept(root);
            Path f = tmp.resolve("bad.json");
            Files.writeString(f, root.toString());
            assertThatThrownBy(() -> ModelFiles.read(f, ImportOptions.DEFAULT)).as(c.what())
                    .isInstanceOf(ModelException.class)
                    .hasMessageStartingWith("bad.json: ")
                    .hasMessageContaining(c.message())
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
    }
}
