package atlas.net;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The relu-atlas-model/1 format: writing then reading gives an equal network, bit for bit; every invalid file
 * is rejected with a one-line {@link ModelException} naming the layer and the field.
 */
class ModelFormatTest {

    // ---------- round trip ----------

    static Stream<Network> networks() {
        return Stream.of(
                Networks.sawtooth(4),
                Networks.lines(new double[]{1, 0.5}, new double[]{0, -2}, new double[]{0.1, 0.3}),
                Networks.kaiming(7, 2, Networks.uniform(5, 3), 1, Activation.LEAKY_RELU, 0.01, 0.1),
                RandomNets.random(3, 4, new int[]{5, 5, 6}, 2, Activation.LEAKY_RELU, 0.2, true),
                RandomNets.withSkipsEverywhere(4, 3, new int[]{3, 4, 3, 3}, 3, Activation.RELU, 0.01),
                RandomNets.random(5, 784, new int[]{16, 8}, 10, Activation.RELU, 0.01, true),
                awkwardNumbers());
    }

    /** Numbers whose shortest decimal forms are long or tricky: they must come back bit for bit. */
    static Network awkwardNumbers() {
        double[] w = {0.1, 1.0 / 3, -2.0 / 3, Math.PI, 1e-300, -Double.MIN_VALUE, Double.MIN_NORMAL, 1.7976931348623157e308,
                123456789.123456789, -0.0, 5e-324, Math.nextUp(1.0)};
        double[] b = {Math.nextDown(0.5), -1e-17, 6.02214076e23, 2.0 / 7};
        return new Network(3, List.of(
                new DenseLayer(3, 4, w, b, Activation.LEAKY_RELU, 0.3),
                new DenseLayer(4, 1, new double[]{1, -1, 0.25, 1e-5}, new double[]{-0.1}, Activation.IDENTITY, 0.01,
                        List.of(new Skip(0, new double[]{0.7, -0.3, 1e-9}, 3)))));
    }

    /** Every number of the network, bit for bit, and {@link Network#equals}. */
    private static void assertBitForBit(Network a, Network b) {
        assertThat(b).isEqualTo(a);
        assertThat(b.inputDim()).isEqualTo(a.inputDim());
        assertThat(b.depth()).isEqualTo(a.depth());
        for (int i = 1; i <= a.depth(); i++) {
            DenseLayer x = a.layer(i), y = b.layer(i);
            assertThat(y.activation()).isEqualTo(x.activation());
            assertThat(bits(y.weights())).as("layer %d weights", i).containsExactly(bits(x.weights()));
            assertThat(bits(y.bias())).as("layer %d bias", i).containsExactly(bits(x.bias()));
            assertThat(Double.doubleToRawLongBits(y.leak())).as("layer %d leak", i).isEqualTo(Double.doubleToRawLongBits(x.leak()));
            assertThat(y.skips()).hasSameSizeAs(x.skips());
            for (int s = 0; s < x.skips().size(); s++) {
                Skip p = x.skips().get(s), q = y.skips().get(s);
                assertThat(q.from()).isEqualTo(p.from());
                assertThat(q.isIdentity()).isEqualTo(p.isIdentity());
                if (!p.isIdentity()) assertThat(bits(q.weights())).containsExactly(bits(p.weights()));
            }
        }
    }

    private static long[] bits(double[] a) {
        long[] r = new long[a.length];
        for (int k = 0; k < a.length; k++) r[k] = Double.doubleToRawLongBits(a[k]);
        return r;
    }

    @ParameterizedTest
    @MethodSource("networks")
    void toJsonThenParseGivesTheSameNetworkBitForBit(Network net) {
        assertBitForBit(net, ModelFormat.parse(ModelFormat.toJson(net)));
    }

    @ParameterizedTest
    @MethodSource("networks")
    void writeThenReadAFileGivesTheSameNetworkBitForBit(Network net, @TempDir Path dir) {
        Path f = dir.resolve("model.json");
        ModelFormat.write(net, f);
        assertBitForBit(net, ModelFormat.read(f));
        // writing the read network again gives the same text
        assertThat(ModelFormat.toJson(ModelFormat.read(f))).isEqualTo(ModelFormat.toJson(net));
    }

    @Test
    void roundTripGivesAnEqualNetworkWhenReluLayersHaveLeakZero() {
        // regression: the writer omits the leak of non-leaky layers and the reader sets the default 0.01, while
        // Network.equals compares every layer's leak (fixed by normalising the leak of non-leaky layers to 0)
        Network net = Networks.sawtooth(1);
        assertThat(ModelFormat.parse(ModelFormat.toJson(net))).isEqualTo(net);
    }

    @Test
    void roundTripGivesAnEqualNetworkForEveryGeneratedNet() {
        networks().forEach(net -> assertThat(ModelFormat.parse(ModelFormat.toJson(net))).as(net.toString()).isEqualTo(net));
    }

    @Test
    void aWrittenFileLeavesNoTemporaryFileBehind(@TempDir Path dir) throws IOException {
        ModelFormat.write(Networks.sawtooth(2), dir.resolve("m.json"));
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("m.json");
        }
    }

    @Test
    void leakDefaultsToOneHundredth() {
        Network net = ModelFormat.parse("""
                {"format":"relu-atlas-model/1","input_dim":1,"layers":[
                 {"weights":[[1]],"bias":[0],"activation":"leaky_relu"},
                 {"weights":[[1]],"bias":[0],"activation":"identity"}]}""");
        assertThat(net.layer(1).leak()).isEqualTo(0.01);
        assertThat(net.forward(new double[]{-2})[0]).isEqualTo(-0.02);
    }

    @Test
    void theDocumentedExampleReadsAndComputesTheDocumentedFunction() {
        // z_i = W_i h_{i-1} + b_i + sum over skips of P h_from, h_i = act(z_i)
        Network net = ModelFormat.parse("""
                {"format":"relu-atlas-model/1","input_dim":2,"layers":[
                 {"weights":[[1,-1],[2,0.5]],"bias":[0.5,-1],"activation":"relu"},
                 {"weights":[[1,1],[-1,2]],"bias":[0,0.25],"activation":"leaky_relu","leak":0.1,"skips":[{"from":0}]},
                 {"weights":[[1,-2]],"bias":[3],"activation":"identity","skips":[{"from":1,"weights":[[0.5,4]]}]}]}""");
        double x = 0.3, y = -0.7;
        double h11 = Math.max(0, x - y + 0.5), h12 = Math.max(0, 2 * x + 0.5 * y - 1);
        double z21 = h11 + h12 + x, z22 = -h11 + 2 * h12 + 0.25 + y;
        double h21 = z21 > 0 ? z21 : 0.1 * z21, h22 = z22 > 0 ? z22 : 0.1 * z22;
        double out = h21 - 2 * h22 + 3 + 0.5 * h11 + 4 * h12;
        assertThat(net.forward(new double[]{x, y})[0]).isCloseTo(out, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(net.cuttingUnits()).isEqualTo(4);
    }

    // ---------- validation ----------

    private static final String OK_LAYER_2 = "{\"weights\":[[1,1,1]],\"bias\":[0],\"activation\":\"identity\"}";

    /** A model whose first layer is {@code layer1} (3 units on 2 inputs when valid) followed by a valid output layer. */
    private static String withLayer1(String layer1) {
        return "{\"format\":\"relu-atlas-model/1\",\"input_dim\":2,\"layers\":[" + layer1 + "," + OK_LAYER_2 + "]}";
    }

    private static final String OK_LAYER_1 = "{\"weights\":[[1,0],[0,1],[1,1]],\"bias\":[0,0,0],\"activation\":\"relu\"}";

    /** A model with a valid first layer and {@code layer2} as its second (output) layer. */
    private static String withLayer2(String layer2) {
        return "{\"format\":\"relu-atlas-model/1\",\"input_dim\":2,\"layers\":[" + OK_LAYER_1 + "," + layer2 + "]}";
    }

    static Stream<Arguments> invalidModels() {
        return Stream.<String[]>of(
                // json, words the message must contain (all of them, case-insensitive)
                new String[]{"{\"format\":\"relu-atlas-model/1\",", "malformed JSON"},
                new String[]{"[1, 2, 3]", "JSON object"},
                new String[]{"{\"format\":\"relu-atlas-model/2\",\"input_dim\":2,\"layers\":[]}", "format", "relu-atlas-model/1"},
                new String[]{"{\"input_dim\":2,\"layers\":[" + OK_LAYER_1 + "]}", "format", "missing"},
                new String[]{"{\"format\":\"relu-atlas-model/1\",\"layers\":[" + OK_LAYER_1 + "]}", "input_dim"},
                new String[]{"{\"format\":\"relu-atlas-model/1\",\"input_dim\":2.5,\"layers\":[" + OK_LAYER_1 + "]}", "input_dim"},
                new String[]{"{\"format\":\"relu-atlas-model/1\",\"input_dim\":2}", "layers"},
                new String[]{"{\"format\":\"relu-atlas-model/1\",\"input_dim\":2,\"layers\":{}}", "layers"},
                new String[]{"{\"format\":\"relu-atlas-model/1\",\"input_dim\":2,\"layers\":[]}", "no layers"},
                new String[]{withLayer1("{\"bias\":[0,0,0],\"activation\":\"relu\"}"), "layer 1", "weights", "missing"},
                new String[]{withLayer1("{\"weights\":[[1,0],[0,1],[1,1]],\"bias\":[0,0,0]}"), "layer 1", "activation", "missing"},
                new String[]{withLayer1("{\"weights\":[[1,0,0],[0,1,0],[1,1,0]],\"bias\":[0,0,0],\"activation\":\"relu\"}"),
                        "layer 1", "weights", "3 columns", "expected 2"},
                new String[]{withLayer2("{\"weights\":[[1,1]],\"bias\":[0],\"activation\":\"identity\"}"),
                        "layer 2", "weights", "2 columns", "expected 3"},
                new String[]{withLayer1("{\"weights\":[[1,0],[0,1],[1,1]],\"bias\":[0,0],\"activation\":\"relu\"}"),
                        "layer 1", "bias", "2", "3"},
                new String[]{withLayer1("{\"weights\":[[1,0],[0,1],[1,1]],\"bias\":[0,0,0,0],\"activation\":\"relu\"}"),
                        "layer 1", "bias", "4"},
                new String[]{withLayer1("{\"weights\":[[1,0],[0],[1,1]],\"bias\":[0,0,0],\"activation\":\"relu\"}"),
                        "layer 1", "weights[1]", "1 entries"},
                new String[]{withLayer1("{\"weights\":[],\"bias\":[],\"activation\":\"relu\"}"), "layer 1", "weights", "no rows"},
                new String[]{withLayer1("{\"weights\":[[1,0],[0,NaN],[1,1]],\"bias\":[0,0,0],\"activation\":\"relu\"}"),
                        "layer 1", "weights[1][1]", "NaN"},
                new String[]{withLayer1("{\"weights\":[[1,0],[0,1],[Infinity,1]],\"bias\":[0,0,0],\"activation\":\"relu\"}"),
                        "layer 1", "weights[2][0]", "Infinity"},
                new String[]{withLayer1("{\"weights\":[[1,0],[0,1],[1,-Infinity]],\"bias\":[0,0,0],\"activation\":\"relu\"}"),
                        "layer 1", "weights[2][1]", "Infinity"},
                new String[]{withLayer1("{\"weights\":[[1,0],[0,1],[1,1]],\"bias\":[0,NaN,0],\"activation\":\"relu\"}"),
                        "layer 1", "bias[1]", "NaN"},
                new String[]{withLayer1("{\"weights\":[[1,0],[0,1],[1,\"x\"]],\"bias\":[0,0,0],\"activation\":\"relu\"}"),
                        "layer 1", "weights[2][1]", "not a number"},
                new String[]{withLayer1("{\"weights\":[[1,0],[0,1],[1,1]],\"bias\":[0,0,0],\"activation\":\"leaky_relu\",\"leak\":NaN}"),
                        "layer 1", "leak"},
                new String[]{withLayer1("{\"weights\":[[1,0],[0,1],[1,1]],\"bias\":[0,0,0],\"activation\":\"leaky_relu\",\"leak\":\"big\"}"),
                        "layer 1", "leak"},
                new String[]{withLayer1("{\"weights\":[[1,0],[0,1],[1,1]],\"bias\":[0,0,0],\"activation\":\"tanh\"}"),
                        "layer 1", "activation", "tanh"},
                new String[]{withLayer2("{\"weights\":[[1,1,1]],\"bias\":[0],\"activation\":\"identity\",\"skips\":[{\"from\":2}]}"),
                        "layer 2", "skips[0]", "from", "2"},
                new String[]{withLayer2("{\"weights\":[[1,1,1]],\"bias\":[0],\"activation\":\"identity\",\"skips\":[{\"from\":5,\"weights\":[[1]]}]}"),
                        "layer 2", "skips[0]", "from", "5"},
                new String[]{withLayer2("{\"weights\":[[1,1,1]],\"bias\":[0],\"activation\":\"identity\",\"skips\":[{\"from\":-1}]}"),
                        "layer 2", "skips[0]", "from"},
                new String[]{withLayer2("{\"weights\":[[1,1,1]],\"bias\":[0],\"activation\":\"identity\",\"skips\":[{\"weights\":[[1,1]]}]}"),
                        "layer 2", "skips[0]", "from", "missing"},
                new String[]{withLayer2("{\"weights\":[[1,1,1]],\"bias\":[0],\"activation\":\"identity\",\"skips\":[{\"from\":0}]}"),
                        "layer 2", "skips[0]", "identity", "2", "1"},
                new String[]{withLayer2("{\"weights\":[[1,1,1]],\"bias\":[0],\"activation\":\"identity\",\"skips\":[{\"from\":0,\"weights\":[[1,1,1]]}]}"),
                        "layer 2", "skips[0]", "weights", "3 columns", "expected 2"},
                new String[]{withLayer2("{\"weights\":[[1,1,1]],\"bias\":[0],\"activation\":\"identity\",\"skips\":[{\"from\":0,\"weights\":[[1,1],[1,1]]}]}"),
                        "layer 2", "skips[0]", "weights", "2 rows", "expected 1"},
                new String[]{withLayer2("{\"weights\":[[1,1,1]],\"bias\":[0],\"activation\":\"identity\",\"skips\":[{\"from\":1,\"weights\":[[1,NaN,1]]}]}"),
                        "layer 2", "skips[0]", "weights[0][1]", "NaN"},
                new String[]{withLayer2("{\"weights\":[[1,1,1]],\"bias\":[0],\"activation\":\"identity\",\"skips\":{\"from\":0}}"),
                        "layer 2", "skips"},
                new String[]{"{\"format\":\"relu-atlas-model/1\",\"input_dim\":2,\"layers\":[" + OK_LAYER_1 + ", 7]}", "layer 2"})
                .map(a -> Arguments.of(a[0], java.util.Arrays.copyOfRange(a, 1, a.length)));
    }

    @ParameterizedTest(name = "{index}: {1}")
    @MethodSource("invalidModels")
    void invalidModelsGiveAOneLineMessageNamingLayerAndField(String json, String[] words) {
        assertThatThrownBy(() -> ModelFormat.parse(json))
                .isInstanceOf(ModelException.class)
                .satisfies(e -> {
                    String m = e.getMessage();
                    assertThat(m).as("one line").doesNotContain("\n").doesNotContain("\r").isNotBlank();
                    assertThat(m.length()).as("a short message: %s", m).isLessThan(300);
                    for (String w : words) assertThat(m).containsIgnoringCase(w);
                });
    }

    @ParameterizedTest
    @CsvSource({"0", "-3"})
    void aNonPositiveInputDimIsReportedAsInputDim(int inputDim) {
        String json = "{\"format\":\"relu-atlas-model/1\",\"input_dim\":" + inputDim + ",\"layers\":[" + OK_LAYER_1 + "]}";
        assertThatThrownBy(() -> ModelFormat.parse(json)).isInstanceOf(ModelException.class).hasMessageContaining("input_dim");
    }

    @Test
    void readingAFileNamesTheFileAndTheLayer(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("bad-model.json");
        Files.writeString(f, withLayer1("{\"weights\":[[1,0],[0,1],[1,1]],\"bias\":[0,0,0],\"activation\":\"softplus\"}"));
        assertThatThrownBy(() -> ModelFormat.read(f)).isInstanceOf(ModelException.class)
                .hasMessageContaining("bad-model.json").hasMessageContaining("layer 1").hasMessageContaining("softplus")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void aMissingFileIsAOneLineModelException(@TempDir Path dir) {
        assertThatThrownBy(() -> ModelFormat.read(dir.resolve("nope.json"))).isInstanceOf(ModelException.class)
                .hasMessageContaining("nope.json").satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "no layers                | the network has no layers",
            "layer 2 reads 4 inputs   | layer 2: weights has 4 columns, expected 3",
            "bias too short           | layer 1: bias has 2 entries, expected 3",
            "NaN weight               | layer 1: weights[0][1] is NaN",
            "skip from itself         | layer 2: skips[0]: from = 2",
            "identity skip 2 -> 1     | layer 2: skips[0]: identity skip needs equal sizes"})
    void theNetworkConstructorValidatesLikeTheReader(String what, String message) {
        assertThatThrownBy(() -> build(what)).isInstanceOf(ModelException.class).hasMessageStartingWith(message);
    }

    private static Network build(String what) {
        DenseLayer l1 = new DenseLayer(2, 3, new double[]{1, 0, 0, 1, 1, 1}, new double[3], Activation.RELU, 0.01);
        return switch (what.trim()) {
            case "no layers" -> new Network(2, List.of());
            case "layer 2 reads 4 inputs" -> new Network(2, List.of(l1, new DenseLayer(4, 1, new double[4], new double[1], Activation.IDENTITY, 0)));
            case "bias too short" -> new Network(2, List.of(new DenseLayer(2, 3, new double[6], new double[2], Activation.RELU, 0)));
            case "NaN weight" -> new Network(2, List.of(new DenseLayer(2, 3, new double[]{1, Double.NaN, 0, 0, 0, 0}, new double[3], Activation.RELU, 0)));
            case "skip from itself" -> new Network(2, List.of(l1,
                    new DenseLayer(3, 1, new double[3], new double[1], Activation.IDENTITY, 0, List.of(new Skip(2, new double[]{1}, 1)))));
            case "identity skip 2 -> 1" -> new Network(2, List.of(l1,
                    new DenseLayer(3, 1, new double[3], new double[1], Activation.IDENTITY, 0, List.of(Skip.identity(0)))));
            default -> throw new IllegalArgumentException(what);
        };
    }
}
