package atlas.net.formats;

import atlas.error.BadInputException;

import ai.onnx.proto.OnnxMl;
import atlas.net.Activation;
import atlas.net.DenseLayer;
import atlas.net.Network;
import atlas.net.Skip;
import com.google.protobuf.ByteString;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Writes a network as an ONNX model (opset 13): per layer a Gemm ({@code transB=1}, the nn.Linear layout), skips
 * as Gemm/Add, then Relu, or PRelu with a one-element slope for leaky ReLU (an initializer keeps the slope's
 * every bit, where LeakyRelu's float attribute would round it). Weights are DOUBLE by default, so reading
 * the file back gives the same network bit for bit; {@link DType#F32} writes the float model PyTorch users
 * expect.
 */
final class OnnxWriter {
    public static final int OPSET = 13;

    private OnnxWriter() {}

    public static OnnxMl.ModelProto toModel(Network net, DType dtype) {
        if (dtype != DType.F64 && dtype != DType.F32) throw new BadInputException("ONNX export writes F64 or F32 weights, not " + dtype);
        int elemType = dtype == DType.F64 ? OnnxMl.TensorProto.DataType.DOUBLE_VALUE : OnnxMl.TensorProto.DataType.FLOAT_VALUE;
        OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("relu_atlas");
        g.addInput(valueInfo("input", elemType, net.inputDim()));
        String[] h = new String[net.depth() + 1];
        h[0] = "input";
        for (int i = 1; i <= net.depth(); i++) {
            DenseLayer l = net.layer(i);
            String p = "layers." + i;
            g.addInitializer(tensor(p + ".weight", dtype, l.weights(), l.units(), l.inputSize()));
            g.addInitializer(tensor(p + ".bias", dtype, l.bias(), l.units()));
            String z = p + ".linear";
            g.addNode(node("Gemm", p + ".gemm", z, h[i - 1], p + ".weight", p + ".bias").addAttribute(intAttr("transB", 1)));
            int s = 0;
            for (Skip skip : l.skips()) {
                String term;
                if (skip.isIdentity()) {
                    term = h[skip.from()];
                } else {
                    String w = p + ".skip" + s + ".weight";
                    g.addInitializer(tensor(w, dtype, skip.weights(), l.units(), skip.cols()));
                    term = p + ".skip" + s + ".term";
                    g.addNode(node("Gemm", p + ".skip" + s + ".gemm", term, h[skip.from()], w).addAttribute(intAttr("transB", 1)));
                }
                String sum = p + ".sum" + s;
                g.addNode(node("Add", p + ".skip" + s + ".add", sum, z, term));
                z = sum;
                s++;
            }
            String out = i == net.depth() ? "output" : p + ".out";
            switch (l.activation()) {
                case RELU -> g.addNode(node("Relu", p + ".relu", out, z));
                case LEAKY_RELU -> {
                    g.addInitializer(tensor(p + ".slope", dtype, new double[]{l.leak()}, 1));
                    g.addNode(node("PRelu", p + ".prelu", out, z, p + ".slope"));
                }
                case IDENTITY -> g.addNode(node("Identity", p + ".identity", out, z));
            }
            h[i] = out;
        }
        g.addOutput(valueInfo("output", elemType, net.outputDim()));
        return model(g);
    }

    /** The model around graph {@code g}: IR version 7, opset {@link #OPSET}, this tool as producer. */
    static OnnxMl.ModelProto model(OnnxMl.GraphProto.Builder g) {
        return OnnxMl.ModelProto.newBuilder()
                .setIrVersion(7)
                .setProducerName("relu-atlas")
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(g)
                .build();
    }

    static OnnxMl.NodeProto.Builder node(String op, String name, String output, String... inputs) {
        OnnxMl.NodeProto.Builder b = OnnxMl.NodeProto.newBuilder().setOpType(op).setName(name).addOutput(output);
        for (String in : inputs) b.addInput(in);
        return b;
    }

    static OnnxMl.AttributeProto intAttr(String name, long v) {
        return OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.INT).setI(v).build();
    }

    /** A value of shape [N, ...shape] (a symbolic batch, as the reader takes). */
    static OnnxMl.ValueInfoProto valueInfo(String name, int elemType, int... shape) {
        OnnxMl.TensorShapeProto.Builder s = OnnxMl.TensorShapeProto.newBuilder()
                .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("N"));
        for (int d : shape) s.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        return OnnxMl.ValueInfoProto.newBuilder().setName(name)
                .setType(OnnxMl.TypeProto.newBuilder().setTensorType(
                        OnnxMl.TypeProto.Tensor.newBuilder().setElemType(elemType).setShape(s)))
                .build();
    }

    /** An initializer holding {@code data} as little-endian {@code dtype} values. */
    static OnnxMl.TensorProto tensor(String name, DType dtype, double[] data, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(data.length * dtype.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : data) dtype.write(b, v);
        OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name)
                .setDataType(dtype == DType.F64 ? OnnxMl.TensorProto.DataType.DOUBLE_VALUE : OnnxMl.TensorProto.DataType.FLOAT_VALUE)
                .setRawData(ByteString.copyFrom(b.array()));
        for (long d : dims) t.addDims(d);
        return t.build();
    }

}
