package atlas.net.formats;

import ai.onnx.proto.OnnxMl;
import atlas.net.Activation;
import atlas.net.ModelException;
import atlas.net.Network;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A network as its layers were written (the {@code relu-atlas-model/2} content): convolutions as kernels,
 * batch-norm as its statistics, pools as windows, rather than the dense matrices the engines run on.
 *
 * <p>Values are numbered: value 0 is the input, value k the output of layer k (1-based). Every layer reads
 * one value ({@code input}, normally k - 1); {@link Add} adds a second one ({@code from}), which is how
 * residual connections are written. Shapes carry no batch dimension: {@code [C, H, W]} for images,
 * {@code [n]} for vectors.
 *
 * <p>The meaning of a model is its ONNX graph ({@link #toOnnx}: one node per layer, the same attributes),
 * and {@link #lower()} is the ONNX reader's lowering of that graph, so a model read from a
 * {@code relu-atlas-model/2} file is the network the ONNX file of the same layers gives, bit for bit.
 */
public record StructuredModel(int[] inputShape, List<Layer> layers) {

    public StructuredModel {
        inputShape = inputShape.clone();
        layers = List.copyOf(layers);
    }

    /** One layer; {@code input} is the value it reads (0 = the model's input, k = layer k's output). */
    public sealed interface Layer permits Conv2d, BatchNorm, Pool, GlobalPool, Flatten, Dense, Act, PRelu, Add {
        int input();

        /** The name in the JSON file's {@code type} field. */
        String type();
    }

    /**
     * A 2-D convolution (ONNX Conv, PyTorch nn.Conv2d). {@code weights} is [outChannels, inChannels/groups,
     * kh, kw] row-major; {@code padding} is top, left, bottom, right; {@code bias} null for none.
     */
    public record Conv2d(int input, int outChannels, int kh, int kw, int[] stride, int[] padding, int[] dilation,
                         int groups, double[] weights, double[] bias) implements Layer {
        public String type() { return "conv2d"; }
    }

    /**
     * Batch normalisation in inference form, per channel: {@code gamma (x - mean) / sqrt(var + eps) + beta}.
     * {@code eps} is a float32 value (ONNX's attribute type; the reader rounds it).
     */
    public record BatchNorm(int input, double[] gamma, double[] beta, double[] mean, double[] var, double eps) implements Layer {
        public String type() { return "batchnorm"; }
    }

    /** A 2-D max or average pool; {@code countIncludePad} only for average pools. */
    public record Pool(int input, boolean max, int kh, int kw, int[] stride, int[] padding, int[] dilation,
                       boolean ceilMode, boolean countIncludePad) implements Layer {
        public String type() { return max ? "maxpool" : "avgpool"; }
    }

    /** The max or mean of every channel over all its cells; [C, H, W] to [C, 1, 1]. */
    public record GlobalPool(int input, boolean max) implements Layer {
        public String type() { return max ? "global_maxpool" : "global_avgpool"; }
    }

    /** [C, H, W] (or any shape) to [C*H*W], C order. */
    public record Flatten(int input) implements Layer {
        public String type() { return "flatten"; }
    }

    /** {@code y = W x + b} on a vector; W is [units, inputs] row-major (nn.Linear's layout); bias null for none. */
    public record Dense(int input, int units, int inputs, double[] weights, double[] bias) implements Layer {
        public String type() { return "dense"; }
    }

    /** relu or leaky_relu (with {@code leak}) of every value. */
    public record Act(int input, Activation activation, double leak) implements Layer {
        public String type() { return activation.jsonName(); }
    }

    /**
     * PReLU with one slope per channel ([C, H, W] values) or per unit ([n] values):
     * {@code max(0, x) + slope * min(0, x)}. ONNX PRelu, PyTorch nn.PReLU(num_parameters=C).
     */
    public record PRelu(int input, double[] slope) implements Layer {
        public String type() { return "prelu"; }
    }

    /** {@code value(input) + value(from)}, two values of one shape (a residual connection). */
    public record Add(int input, int from) implements Layer {
        public String type() { return "add"; }
    }

    /**
     * True when some layer is a convolution, batch-norm, pool or per-channel PReLU: the model needs /2 to be kept
     * as written. Dense layers, activations, flattens and adds are what /1 holds as they are (its layers and
     * skips), so such a model is written as /1, which every reader of /1 reads.
     */
    public boolean hasStructuredLayers() {
        for (Layer l : layers)
            if (l instanceof Conv2d || l instanceof BatchNorm || l instanceof Pool || l instanceof GlobalPool || l instanceof PRelu) return true;
        return false;
    }

    /**
     * The shape of every value (index 0 the input), checking that every layer fits what it reads. Errors are
     * one line naming the layer.
     */
    public List<int[]> shapes() {
        List<int[]> shapes = new ArrayList<>();
        if (inputShape.length != 1 && inputShape.length != 3)
            throw new ModelException("input_shape " + Arrays.toString(inputShape) + ": expected [n] or [C, H, W]");
        double inputSize = 1; // double: three int dimensions can overflow a long
        for (int d : inputShape) {
            if (d <= 0) throw new ModelException("input_shape " + Arrays.toString(inputShape) + " has a dimension that is not positive");
            inputSize *= d;
        }
        if (inputSize > Integer.MAX_VALUE) throw new ModelException("input_shape " + Arrays.toString(inputShape) + " has more than 2^31 values");
        shapes.add(inputShape.clone());
        for (int k = 1; k <= layers.size(); k++) {
            Layer l = layers.get(k - 1);
            String where = "layer " + k + " (" + l.type() + "): ";
            if (l.input() < 0 || l.input() >= k) throw new ModelException(where + "input = " + l.input() + " must name an earlier value (0.." + (k - 1) + ")");
            int[] in = shapes.get(l.input());
            int[] shape;
            if (l instanceof Conv2d c) {
                image(in, where);
                int cin = in[0];
                if (c.groups() <= 0 || cin % c.groups() != 0 || c.outChannels() % c.groups() != 0)
                    throw new ModelException(where + "groups = " + c.groups() + " does not divide " + cin + " input and " + c.outChannels() + " output channels");
                long expect = (long) c.outChannels() * (cin / c.groups()) * c.kh() * c.kw();
                if (c.weights().length != expect)
                    throw new ModelException(where + "weights has " + c.weights().length + " entries, expected " + expect
                            + " = [" + c.outChannels() + ", " + cin / c.groups() + ", " + c.kh() + ", " + c.kw() + "] for " + cin + " input channels");
                if (c.bias() != null && c.bias().length != c.outChannels())
                    throw new ModelException(where + "bias has " + c.bias().length + " entries, expected " + c.outChannels());
                OnnxOps.Axis[] ax = axes(where, in, c.kh(), c.kw(), c.stride(), c.padding(), c.dilation(), false);
                shape = new int[]{c.outChannels(), ax[0].out(), ax[1].out()};
            } else if (l instanceof BatchNorm b) {
                int ch = in[0];
                for (double[] p : List.of(b.gamma(), b.beta(), b.mean(), b.var()))
                    if (p.length != ch) throw new ModelException(where + "a parameter has " + p.length + " entries, expected " + ch + " (one per channel)");
                if (!(b.eps() >= 0) || !Double.isFinite(b.eps())) throw new ModelException(where + "eps = " + b.eps() + " (a finite number >= 0)");
                shape = in;
            } else if (l instanceof Pool p) {
                image(in, where);
                if (!p.max() && (p.dilation()[0] != 1 || p.dilation()[1] != 1))
                    throw new ModelException(where + "an average pool has no dilation (ONNX opset 13)");
                OnnxOps.Axis[] ax = axes(where, in, p.kh(), p.kw(), p.stride(), p.padding(), p.dilation(), p.ceilMode());
                shape = new int[]{in[0], ax[0].out(), ax[1].out()};
            } else if (l instanceof GlobalPool) {
                image(in, where);
                shape = new int[]{in[0], 1, 1};
            } else if (l instanceof Flatten) {
                shape = new int[]{AffineValue.sizeOf(in)};
            } else if (l instanceof Dense d) {
                if (in.length != 1) throw new ModelException(where + "reads a value of shape " + Arrays.toString(in) + "; a dense layer reads a vector (add a flatten layer)");
                if (d.inputs() != in[0]) throw new ModelException(where + "weights has " + d.inputs() + " columns, expected " + in[0] + " (the size of value " + l.input() + ")");
                if (d.bias() != null && d.bias().length != d.units()) throw new ModelException(where + "bias has " + d.bias().length + " entries, expected " + d.units());
                shape = new int[]{d.units()};
            } else if (l instanceof Act) {
                shape = in;
            } else if (l instanceof PRelu r) {
                if (r.slope().length != in[0])
                    throw new ModelException(where + "slope has " + r.slope().length + " entries, expected " + in[0] + " (one per " + (in.length == 3 ? "channel" : "unit") + ")");
                shape = in;
            } else {
                Add a = (Add) l;
                if (a.from() < 0 || a.from() >= k) throw new ModelException(where + "from = " + a.from() + " must name an earlier value (0.." + (k - 1) + ")");
                if (!Arrays.equals(shapes.get(a.from()), in))
                    throw new ModelException(where + "adds value " + a.from() + " of shape " + Arrays.toString(shapes.get(a.from()))
                            + " to value " + a.input() + " of shape " + Arrays.toString(in) + " (shapes must be equal)");
                shape = in;
            }
            for (int d : shape)
                if (d <= 0) throw new ModelException(where + "gives a value of shape " + Arrays.toString(shape) + " (a window, stride or padding out of range)");
            double size = 1, widest = 1;
            for (int d : shape) size *= d;
            for (int[] earlier : shapes) {
                double e = 1;
                for (int d : earlier) e *= d;
                widest = Math.max(widest, e);
            }
            // the engines run the lowered net, whose matrices are (this value) x (an earlier value): Java arrays end at 2^31
            if (size * widest > Integer.MAX_VALUE)
                throw new ModelException(where + "its output of shape " + Arrays.toString(shape) + " would lower to a dense matrix of "
                        + (long) size + " x " + (long) widest + " entries, more than the 2^31 an array holds");
            shapes.add(shape);
        }
        return shapes;
    }

    private static void image(int[] in, String where) {
        if (in.length != 3) throw new ModelException(where + "reads a value of shape " + Arrays.toString(in) + ", expected [C, H, W]");
    }

    private static OnnxOps.Axis[] axes(String where, int[] in, int kh, int kw, int[] stride, int[] pad, int[] dil, boolean ceil) {
        return new OnnxOps.Axis[]{
                OnnxOps.axis(where.substring(0, where.length() - 2), in[1], kh, stride[0], dil[0], pad[0], pad[2], "NOTSET", ceil),
                OnnxOps.axis(where.substring(0, where.length() - 2), in[2], kw, stride[1], dil[1], pad[1], pad[3], "NOTSET", ceil)};
    }

    /** The network the engines run: the ONNX reader's lowering of {@link #toOnnx} (F64, so exact). */
    public Network lower() {
        shapes();
        return OnnxReader.lower(toOnnx(DType.F64), java.util.Map.of());
    }

    // ---------------------------------------------------------------- ONNX

    /**
     * The ONNX graph of these layers (opset 13): one node per layer named {@code layer K}, values
     * {@code h0} (the input, [1, ...shape]) to {@code hK}, the last one named {@code output}.
     */
    public OnnxMl.ModelProto toOnnx(DType dtype) {
        if (dtype != DType.F64 && dtype != DType.F32) throw new ModelException("ONNX export writes F64 or F32 weights, not " + dtype);
        List<int[]> shapes = shapes();
        int elem = dtype == DType.F64 ? OnnxMl.TensorProto.DataType.DOUBLE_VALUE : OnnxMl.TensorProto.DataType.FLOAT_VALUE;
        OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("relu_atlas");
        String[] names = new String[layers.size() + 1];
        names[0] = "input";
        g.addInput(OnnxWriter.valueInfo("input", elem, shapes.get(0)));
        for (int k = 1; k <= layers.size(); k++) {
            Layer l = layers.get(k - 1);
            String p = "layer" + k;
            String out = k == layers.size() ? "output" : "h" + k;
            names[k] = out;
            String in = names[l.input()];
            OnnxMl.NodeProto.Builder n;
            if (l instanceof Conv2d c) {
                int cin = shapes.get(l.input())[0];
                g.addInitializer(OnnxWriter.tensor(p + ".weight", dtype, c.weights(), c.outChannels(), cin / c.groups(), c.kh(), c.kw()));
                OnnxMl.NodeProto.Builder b = c.bias() == null ? OnnxWriter.node("Conv", p, out, in, p + ".weight")
                        : OnnxWriter.node("Conv", p, out, in, p + ".weight", p + ".bias");
                if (c.bias() != null) g.addInitializer(OnnxWriter.tensor(p + ".bias", dtype, c.bias(), c.outChannels()));
                n = b.addAttribute(ints("kernel_shape", c.kh(), c.kw())).addAttribute(ints("strides", c.stride()))
                        .addAttribute(ints("pads", c.padding())).addAttribute(ints("dilations", c.dilation()))
                        .addAttribute(OnnxWriter.intAttr("group", c.groups()));
            } else if (l instanceof BatchNorm b) {
                int ch = b.gamma().length;
                g.addInitializer(OnnxWriter.tensor(p + ".scale", dtype, b.gamma(), ch));
                g.addInitializer(OnnxWriter.tensor(p + ".bias", dtype, b.beta(), ch));
                g.addInitializer(OnnxWriter.tensor(p + ".mean", dtype, b.mean(), ch));
                g.addInitializer(OnnxWriter.tensor(p + ".var", dtype, b.var(), ch));
                n = OnnxWriter.node("BatchNormalization", p, out, in, p + ".scale", p + ".bias", p + ".mean", p + ".var")
                        .addAttribute(floatAttr("epsilon", (float) b.eps()));
            } else if (l instanceof Pool q) {
                OnnxMl.NodeProto.Builder b = OnnxWriter.node(q.max() ? "MaxPool" : "AveragePool", p, out, in)
                        .addAttribute(ints("kernel_shape", q.kh(), q.kw())).addAttribute(ints("strides", q.stride()))
                        .addAttribute(ints("pads", q.padding())).addAttribute(OnnxWriter.intAttr("ceil_mode", q.ceilMode() ? 1 : 0));
                if (q.max()) b.addAttribute(ints("dilations", q.dilation()));
                else b.addAttribute(OnnxWriter.intAttr("count_include_pad", q.countIncludePad() ? 1 : 0));
                n = b;
            } else if (l instanceof GlobalPool q) {
                n = OnnxWriter.node(q.max() ? "GlobalMaxPool" : "GlobalAveragePool", p, out, in);
            } else if (l instanceof Flatten) {
                n = OnnxWriter.node("Flatten", p, out, in).addAttribute(OnnxWriter.intAttr("axis", 1));
            } else if (l instanceof Dense d) {
                g.addInitializer(OnnxWriter.tensor(p + ".weight", dtype, d.weights(), d.units(), d.inputs()));
                if (d.bias() != null) g.addInitializer(OnnxWriter.tensor(p + ".bias", dtype, d.bias(), d.units()));
                n = (d.bias() == null ? OnnxWriter.node("Gemm", p, out, in, p + ".weight") : OnnxWriter.node("Gemm", p, out, in, p + ".weight", p + ".bias"))
                        .addAttribute(OnnxWriter.intAttr("transB", 1));
            } else if (l instanceof Act a) {
                if (a.activation() == Activation.RELU) {
                    n = OnnxWriter.node("Relu", p, out, in);
                    } else { // PRelu with a one-element slope keeps every bit of the leak (LeakyRelu's alpha is a float)
                    g.addInitializer(OnnxWriter.tensor(p + ".slope", dtype, new double[]{a.leak()}, 1));
                    n = OnnxWriter.node("PRelu", p, out, in, p + ".slope");
                }
            } else if (l instanceof PRelu r) {
                int[] sh = shapes.get(l.input());
                g.addInitializer(sh.length == 3 ? OnnxWriter.tensor(p + ".slope", dtype, r.slope(), r.slope().length, 1, 1)
                        : OnnxWriter.tensor(p + ".slope", dtype, r.slope(), r.slope().length));
                n = OnnxWriter.node("PRelu", p, out, in, p + ".slope");
            } else {
                n = OnnxWriter.node("Add", p, out, in, names[((Add) l).from()]);
            }
            g.addNode(n);
        }
        g.addOutput(OnnxWriter.valueInfo("output", elem, shapes.get(layers.size())));
        return OnnxWriter.model(g);
    }

    private static OnnxMl.AttributeProto floatAttr(String name, float v) {
        return OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.FLOAT).setF(v).build();
    }

    private static OnnxMl.AttributeProto ints(String name, int... v) {
        OnnxMl.AttributeProto.Builder b = OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.INTS);
        for (int x : v) b.addInts(x);
        return b.build();
    }
}
