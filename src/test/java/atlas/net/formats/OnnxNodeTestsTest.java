package atlas.net.formats;

import ai.onnx.proto.OnnxMl;
import atlas.net.ModelException;
import atlas.net.Network;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * ONNX's own node tests (Debian package libonnx-testdata: each folder holds model.onnx and
 * test_data_set_0/input_N.pb, output_0.pb) for the ops the reader lowers: the first input is the data, the
 * others (weights, shapes, slopes) are bound as constants, and the lowered network's forward pass must give
 * ONNX's expected output. Skipped, with a message, where the package is not installed.
 */
class OnnxNodeTestsTest {
    static final Path NODE_TESTS = Path.of(System.getProperty("atlas.onnxTestData", "/usr/share/libonnx-testdata/data/node"));

    /** Node tests of supported ops whose data is float and whose constants are inputs after the first. */
    static final List<String> SUPPORTED = List.of(
            "test_add", "test_add_bcast", "test_sub", "test_sub_bcast", "test_mul", "test_mul_bcast", "test_div", "test_div_bcast",
            "test_relu", "test_leakyrelu", "test_leakyrelu_default", "test_leakyrelu_example",
            "test_prelu_broadcast", "test_prelu_example",
            "test_gemm_all_attributes", "test_gemm_alpha", "test_gemm_beta", "test_gemm_default_matrix_bias",
            "test_gemm_default_no_bias", "test_gemm_default_scalar_bias", "test_gemm_default_single_elem_vector_bias",
            "test_gemm_default_vector_bias", "test_gemm_default_zero_bias", "test_gemm_transposeB",
            "test_matmul_2d",
            "test_flatten_axis0", "test_flatten_axis1", "test_flatten_axis2", "test_flatten_axis3", "test_flatten_default_axis",
            "test_flatten_negative_axis1", "test_flatten_negative_axis2", "test_flatten_negative_axis3", "test_flatten_negative_axis4",
            "test_reshape_extended_dims", "test_reshape_negative_dim", "test_reshape_negative_extended_dims", "test_reshape_one_dim",
            "test_reshape_reduced_dims", "test_reshape_reordered_all_dims", "test_reshape_reordered_last_dims",
            "test_reshape_zero_and_negative_dim", "test_reshape_zero_dim",
            "test_conv_with_autopad_same", "test_conv_with_strides_and_asymmetric_padding", "test_conv_with_strides_no_padding",
            "test_conv_with_strides_padding", "test_basic_conv_with_padding", "test_basic_conv_without_padding",
            "test_batchnorm_epsilon", "test_batchnorm_example",
            "test_averagepool_2d_ceil", "test_averagepool_2d_default", "test_averagepool_2d_pads", "test_averagepool_2d_pads_count_include_pad",
            "test_averagepool_2d_precomputed_pads", "test_averagepool_2d_precomputed_pads_count_include_pad",
            "test_averagepool_2d_precomputed_same_upper", "test_averagepool_2d_precomputed_strides", "test_averagepool_2d_same_lower",
            "test_averagepool_2d_same_upper", "test_averagepool_2d_strides", "test_averagepool_2d_dilations",
            "test_globalaveragepool", "test_globalaveragepool_precomputed",
            "test_identity", "test_dropout_default", "test_dropout_default_ratio", "test_dropout_default_mask",
            "test_constant_pad", "test_edge_pad", "test_reflect_pad",
            "test_unsqueeze_axis_0", "test_unsqueeze_axis_1", "test_unsqueeze_negative_axes",
            // MaxPool on the small inputs (4x4, 5x5); the 3x32x32 cases lower to a few hundred MB of dense
            // comparison matrices, too much for the default test heap (see docs/formats.md)
            "test_maxpool_2d_ceil", "test_maxpool_2d_dilations", "test_maxpool_2d_precomputed_pads",
            "test_maxpool_2d_precomputed_same_upper", "test_maxpool_2d_precomputed_strides",
            "test_globalmaxpool", "test_globalmaxpool_precomputed");

    /** Node tests of ops the reader must refuse with a one-line message naming the op. */
    static final List<String> REFUSED = List.of("test_maxpool_with_argmax_2d_precomputed_pads", "test_softmax_example", "test_sigmoid", "test_convtranspose");

    @TestFactory
    List<DynamicTest> supportedOpsGiveOnnxsExpectedOutputs() {
        Assumptions.assumeTrue(Files.isDirectory(NODE_TESTS),
                "libonnx-testdata is not installed (" + NODE_TESTS + "): skipping ONNX's node tests; apt-get install libonnx-testdata to run them");
        List<DynamicTest> tests = new ArrayList<>();
        for (String name : SUPPORTED) {
            Path dir = NODE_TESTS.resolve(name);
            if (!Files.isDirectory(dir)) continue; // this release of the test data lacks it
            tests.add(DynamicTest.dynamicTest(name, () -> runNodeTest(dir)));
        }
        assertThat(tests).as("node tests found").hasSizeGreaterThan(40);
        for (String name : REFUSED) {
            Path dir = NODE_TESTS.resolve(name);
            if (!Files.isDirectory(dir)) continue;
            tests.add(DynamicTest.dynamicTest(name + " is refused", () -> {
                OnnxMl.ModelProto model = parse(dir.resolve("model.onnx"));
                String op = model.getGraph().getNode(0).getOpType();
                assertThatThrownBy(() -> OnnxReader.lower(model, bindAllButFirst(model, dir)))
                        .isInstanceOf(ModelException.class)
                        .hasMessageContaining(op)
                        .hasMessageNotContaining("\n");
            }));
        }
        return tests;
    }

    private static OnnxMl.ModelProto parse(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            return OnnxMl.ModelProto.parseFrom(in);
        }
    }

    private static Tensor tensor(Path pb, String name) throws IOException {
        OnnxReader.Const c = OnnxReader.constOf(OnnxMl.TensorProto.parseFrom(Files.readAllBytes(pb)), name);
        long[] shape = new long[c.shape().length];
        for (int k = 0; k < shape.length; k++) shape[k] = c.shape()[k];
        return new Tensor(name, shape, c.data(), DType.F64);
    }

    private static Map<String, Tensor> bindAllButFirst(OnnxMl.ModelProto model, Path dir) throws IOException {
        Map<String, Tensor> bound = new HashMap<>();
        List<OnnxMl.ValueInfoProto> inputs = model.getGraph().getInputList();
        for (int k = 1; k < inputs.size(); k++) {
            Path pb = dir.resolve("test_data_set_0/input_" + k + ".pb");
            if (Files.exists(pb)) bound.put(inputs.get(k).getName(), tensor(pb, inputs.get(k).getName()));
        }
        return bound;
    }

    private static void runNodeTest(Path dir) throws IOException {
        OnnxMl.ModelProto model = parse(dir.resolve("model.onnx"));
        String op0 = model.getGraph().getNode(0).getOpType();
        if (model.getOpsetImport(0).getVersion() < OnnxReader.MIN_OPSET && (op0.equals("GlobalAveragePool") || op0.equals("GlobalMaxPool"))) {
            // GlobalAveragePool and GlobalMaxPool are unchanged since opset 1: the same test at the lowest opset the reader takes
            model = model.toBuilder().setOpsetImport(0, model.getOpsetImport(0).toBuilder().setVersion(OnnxReader.MIN_OPSET)).build();
        }
        Network net = OnnxReader.lower(model, bindAllButFirst(model, dir));
        Tensor x = tensor(dir.resolve("test_data_set_0/input_0.pb"), "x");
        Tensor want = tensor(dir.resolve("test_data_set_0/output_0.pb"), "y");
        double[] y = net.forward(x.data());
        assertThat(y).hasSize(want.data().length);
        for (int k = 0; k < y.length; k++)
            assertThat(y[k]).as(dir.getFileName() + " output " + k).isCloseTo(want.data()[k], within(1e-5 * (1 + Math.abs(want.data()[k]))));
    }
}
