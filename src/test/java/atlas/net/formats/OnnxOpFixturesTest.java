package atlas.net.formats;

import ai.onnx.proto.OnnxMl;
import atlas.net.ModelException;
import atlas.net.Network;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.Map;

import static atlas.net.formats.ModelFilesTest.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The op list of the ONNX reader against models exported by torch.onnx 1.13 (make_op_fixtures.py; the tests
 * only read its files): the same conv net at opsets 11, 13 and 17 (Conv with padding, dilation and groups,
 * BatchNormalization, MaxPool with padding, ceil_mode and dilation, PRelu per channel and scalar, the
 * Shape/Gather/Unsqueeze/Concat/Reshape chain of {@code x.view(x.size(0), -1)}, Gemm), with Identity and Dropout
 * inserted, and a hand-built graph with auto_pad; each gives PyTorch's outputs. An unsupported op fails in one
 * line naming the op, the node and the supported ops.
 */
class OnnxOpFixturesTest {

    static void assertMatches(Network net, String model) throws IOException {
        JsonNode e = new ObjectMapper().readTree(fixture("ops-expected.json").toFile()).get(model);
        assertThat(e).as(model + " in ops-expected.json").isNotNull();
        // PyTorch computes in float32; the lowered net in double
        ModelFilesTest.assertMatchesRecorded(net, e, model);
    }

    private static OnnxMl.ModelProto parse(String name) throws IOException {
        try (InputStream in = Files.newInputStream(fixture(name))) {
            return OnnxMl.ModelProto.parseFrom(in);
        }
    }

    private static OnnxMl.ModelProto withOpset(OnnxMl.ModelProto m, int opset) {
        return m.toBuilder().setOpsetImport(0, m.getOpsetImport(0).toBuilder().setVersion(opset)).build();
    }

    @Test
    void torchExportsAtOpsets11To17GivePytorchsOutputs() throws IOException {
        Network first = null;
        for (int opset : new int[]{11, 13, 17}) {
            String file = "ops-cnn-opset" + opset + ".onnx";
            assertThat(parse(file).getOpsetImport(0).getVersion()).isEqualTo(opset);
            Network net = ModelFiles.read(fixture(file), ImportOptions.DEFAULT);
            assertMatches(net, "ops-cnn");
            if (first == null) first = net;
            else assertThat(net.cuttingUnits()).isEqualTo(first.cuttingUnits());
        }
        // every window of k cells adds k - 1 comparison units. Pool 1 (kernel 3, stride 2, pad 1, ceil) on 12x12:
        // 7 windows per axis covering 2, 3, 3, 3, 3, 3, 1 cells, so 18^2 cells in 7^2 windows per channel
        int pool1 = 4 * (18 * 18 - 7 * 7);
        // 4x12x12 conv ReLUs, pool 1, 6x5x5 per-channel PReLU units, pool 2 (6x3x3 windows of 4), scalar PReLU
        assertThat(first.cuttingUnits()).isEqualTo(4 * 144 + pool1 + 6 * 25 + 6 * 9 * 3 + 8);
    }

    @Test
    void opsets18To21ReadTheSameGraphAndOthersAreRefused() throws IOException {
        // the ops of this graph have the same semantics up to opset 21 (later versions only add types)
        OnnxMl.ModelProto m = parse("ops-cnn-opset17.onnx");
        for (int opset = 18; opset <= OnnxReader.MAX_OPSET; opset++)
            assertMatches(OnnxReader.lower(withOpset(m, opset), Map.of()), "ops-cnn");
        for (int opset : new int[]{10, 22})
            assertThatThrownBy(() -> OnnxReader.lower(withOpset(m, opset), Map.of()))
                    .isInstanceOf(ModelException.class)
                    .hasMessageContaining("opset " + opset)
                    .hasMessageContaining("11-21")
                    .hasMessageNotContaining("\n");
    }

    @Test
    void identityAndDropoutNodesPassValuesThrough() throws IOException {
        OnnxMl.ModelProto m = parse("ops-identity.onnx");
        int n = m.getGraph().getNodeCount();
        assertThat(m.getGraph().getNode(n - 2).getOpType()).isEqualTo("Identity");
        assertThat(m.getGraph().getNode(n - 1).getOpType()).isEqualTo("Dropout");
        Network net = ModelFiles.read(fixture("ops-identity.onnx"), ImportOptions.DEFAULT);
        assertMatches(net, "ops-cnn");
        assertThat(net).isEqualTo(ModelFiles.read(fixture("ops-cnn-opset13.onnx"), ImportOptions.DEFAULT));
    }

    @Test
    void autoPadSameUpperConvAndSameLowerMaxPool() throws IOException {
        assertMatches(ModelFiles.read(fixture("ops-autopad.onnx"), ImportOptions.DEFAULT), "ops-autopad");
    }

    @Test
    void unsupportedOpIsOneLineNamingOpNodeAndSupportedOps() {
        assertThatThrownBy(() -> ModelFiles.read(fixture("ops-sigmoid.onnx"), ImportOptions.DEFAULT))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("ops-sigmoid.onnx")
                .hasMessageContaining("node '/1/Sigmoid' (Sigmoid) is not supported")
                .hasMessageContaining("Supported ops: Gemm, MatMul")
                .hasMessageContaining("MaxPool")
                .hasMessageNotContaining("\n");
    }
}
