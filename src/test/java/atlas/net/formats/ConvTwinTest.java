package atlas.net.formats;

import ai.onnx.proto.OnnxMl;
import atlas.geometry.Rectangle;
import atlas.geometry.Tolerance;
import atlas.net.Activation;
import atlas.net.DenseLayer;
import atlas.net.Network;
import atlas.regions.LinearRegion;
import atlas.regions.PlanePartition;
import atlas.regions.PlanePartitioner;
import atlas.regions.PlaneSlice;
import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A small conv net built here as an ONNX graph (Conv with stride/padding/dilation, BatchNormalization, Relu,
 * AveragePool, Flatten, Gemm, a residual Add) against its dense twin built from a reference convolution
 * written independently in this test: equal outputs at random points, and the same regions (count, patterns,
 * areas) on a plane through three random inputs.
 */
class ConvTwinTest {
    static final int C = 1, H = 6, W = 6, K = 2; // input 1x6x6, conv to 2 channels

    @Test
    void convNetAndItsDenseTwinAgree() {
        Random rnd = new Random(13);
        double[] kernel = gauss(rnd, K * C * 3 * 3, 0.6), convBias = gauss(rnd, K, 0.2);
        double[] bnScale = {1.3, 0.7}, bnBias = {0.1, -0.2}, bnMean = {0.05, -0.1}, bnVar = {0.8, 1.5};
        double eps = 1e-5;
        int pooled = K * 3 * 3;                        // conv keeps 6x6 (pad 1), avg-pool 2x2 stride 2 -> 3x3
        double[] fc1 = gauss(rnd, 5 * pooled, 0.5), fc1b = gauss(rnd, 5, 0.2);
        double[] skip = gauss(rnd, 5 * C * H * W, 0.2); // a second branch straight from the input
        double[] fc2 = gauss(rnd, 5, 0.5), fc2b = {0.1};

        OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("twin");
        g.addInput(input("x", 1, C, H, W));
        g.addInitializer(tensor("k", kernel, K, C, 3, 3)).addInitializer(tensor("kb", convBias, K));
        g.addInitializer(tensor("s", bnScale, K)).addInitializer(tensor("b", bnBias, K))
                .addInitializer(tensor("m", bnMean, K)).addInitializer(tensor("v", bnVar, K));
        g.addInitializer(tensor("fc1", fc1, 5, pooled)).addInitializer(tensor("fc1b", fc1b, 5));
        g.addInitializer(tensor("skip", skip, C * H * W, 5));
        g.addInitializer(tensor("fc2", fc2, 1, 5)).addInitializer(tensor("fc2b", fc2b, 1));
        g.addNode(node("Conv", "c", List.of("x", "k", "kb"))
                .addAttribute(ints("pads", 1, 1, 1, 1)).addAttribute(ints("kernel_shape", 3, 3)));
        g.addNode(node("BatchNormalization", "bn", List.of("c", "s", "b", "m", "v")));
        g.addNode(node("Relu", "r1", List.of("bn")));
        g.addNode(node("AveragePool", "p", List.of("r1")).addAttribute(ints("kernel_shape", 2, 2)).addAttribute(ints("strides", 2, 2)));
        g.addNode(node("Flatten", "f", List.of("p")));
        g.addNode(node("Gemm", "g1", List.of("f", "fc1", "fc1b")).addAttribute(intAttr("transB", 1)));
        g.addNode(node("Flatten", "xf", List.of("x")));
        g.addNode(node("MatMul", "sk", List.of("xf", "skip")));
        g.addNode(node("Add", "sum", List.of("g1", "sk")));
        g.addNode(node("Relu", "r2", List.of("sum")));
        g.addNode(node("Gemm", "y", List.of("r2", "fc2", "fc2b")).addAttribute(intAttr("transB", 1)));
        g.addOutput(OnnxMl.ValueInfoProto.newBuilder().setName("y"));
        OnnxMl.ModelProto model = OnnxMl.ModelProto.newBuilder().setIrVersion(7)
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(13)).setGraph(g).build();
        Network conv = OnnxReader.lower(model, java.util.Map.of());

        // the dense twin, from a convolution written out pixel by pixel (not OnnxOps)
        int n = C * H * W, convUnits = K * H * W;
        double[] w1 = new double[convUnits * n], b1 = new double[convUnits];
        for (int oc = 0; oc < K; oc++) {
            double a = bnScale[oc] / Math.sqrt(bnVar[oc] + eps);
            for (int oy = 0; oy < H; oy++) for (int ox = 0; ox < W; ox++) {
                int u = (oc * H + oy) * W + ox;
                b1[u] = a * (convBias[oc] - bnMean[oc]) + bnBias[oc];
                for (int dy = -1; dy <= 1; dy++) for (int dx = -1; dx <= 1; dx++) {
                    int iy = oy + dy, ix = ox + dx;
                    if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue; // zero padding
                    w1[u * n + iy * W + ix] = a * kernel[oc * 9 + (dy + 1) * 3 + (dx + 1)];
                }
            }
        }
        // layer 2 reads the pooled conv outputs: fc1 * pool, plus the input branch (a skip from the input)
        double[] w2 = new double[5 * convUnits];
        for (int r = 0; r < 5; r++)
            for (int oc = 0; oc < K; oc++) for (int py = 0; py < 3; py++) for (int px = 0; px < 3; px++) {
                double f = fc1[r * pooled + (oc * 3 + py) * 3 + px] / 4.0;
                for (int dy = 0; dy < 2; dy++) for (int dx = 0; dx < 2; dx++)
                    w2[r * convUnits + (oc * H + 2 * py + dy) * W + 2 * px + dx] += f;
            }
        double[] skipT = new double[5 * n];
        for (int r = 0; r < 5; r++) for (int i = 0; i < n; i++) skipT[r * n + i] = skip[i * 5 + r];
        Network twin = new Network(n, List.of(
                new DenseLayer(n, convUnits, w1, b1, Activation.RELU, 0),
                new DenseLayer(convUnits, 5, w2, fc1b, Activation.RELU, 0, List.of(new atlas.net.Skip(0, skipT, n))),
                new DenseLayer(5, 1, fc2, fc2b, Activation.IDENTITY, 0)));

        assertThat(conv.cuttingUnits()).isEqualTo(twin.cuttingUnits());
        for (int s = 0; s < 50; s++) {
            double[] x = gauss(rnd, n, 1.0);
            assertThat(conv.forward(x)[0]).isCloseTo(twin.forward(x)[0], within(1e-9));
        }

        PlaneSlice slice = PlaneSlice.throughPoints(gauss(rnd, n, 1), gauss(rnd, n, 1), gauss(rnd, n, 1));
        Rectangle rect = new Rectangle(-1, 2, -1, 2);
        PlanePartition a = new PlanePartitioner(conv, slice, rect, Tolerance.DEFAULT).getResult();
        PlanePartition b = new PlanePartitioner(twin, slice, rect, Tolerance.DEFAULT).getResult();
        assertThat(a.count()).isGreaterThan(10).isEqualTo(b.count());
        assertThat(patterns(a)).isEqualTo(patterns(b));
        assertThat(a.totalArea()).isCloseTo(9.0, within(1e-9));
        for (LinearRegion r : a.regions()) {
            LinearRegion twinRegion = b.locate(r.interiorPoint()[0], r.interiorPoint()[1]);
            assertThat(twinRegion.pattern()).isEqualTo(r.pattern());
            assertThat(twinRegion.area()).isCloseTo(r.area(), within(1e-9));
        }
    }

    private static Set<String> patterns(PlanePartition p) {
        Set<String> s = new HashSet<>();
        for (LinearRegion r : p.regions()) s.add(r.pattern().toString());
        return s;
    }

    static double[] gauss(Random rnd, int n, double std) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = std * rnd.nextGaussian();
        return v;
    }

    static OnnxMl.NodeProto.Builder node(String op, String out, List<String> in) {
        return OnnxMl.NodeProto.newBuilder().setOpType(op).setName(out).addOutput(out).addAllInput(in);
    }

    static OnnxMl.AttributeProto ints(String name, long... v) {
        OnnxMl.AttributeProto.Builder a = OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.INTS);
        for (long x : v) a.addInts(x);
        return a.build();
    }

    static OnnxMl.AttributeProto intAttr(String name, long v) {
        return OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.INT).setI(v).build();
    }

    static OnnxMl.ValueInfoProto input(String name, long... dims) {
        OnnxMl.TensorShapeProto.Builder s = OnnxMl.TensorShapeProto.newBuilder();
        for (long d : dims) s.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
                .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(11).setShape(s))).build();
    }

    static OnnxMl.TensorProto tensor(String name, double[] data, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(8 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : data) b.putDouble(v);
        OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name).setDataType(11).setRawData(ByteString.copyFrom(b.array()));
        for (long d : dims) t.addDims(d);
        return t.build();
    }
}
