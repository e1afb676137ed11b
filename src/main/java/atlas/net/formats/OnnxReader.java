package atlas.net.formats;

import ai.onnx.proto.OnnxMl;
import atlas.net.Activation;
import atlas.net.DenseLayer;
import atlas.net.ModelException;
import atlas.net.Network;
import atlas.net.Skip;
import com.google.protobuf.ByteString;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Lowers an ONNX graph to a {@link Network}. Every affine op (Gemm, MatMul, Add, Sub, Mul/Div by a constant,
 * Conv, BatchNormalization, AveragePool, GlobalAveragePool, Flatten, Reshape, Identity, Dropout) is composed
 * into an {@link AffineValue} of the layer outputs so far; each activation (Relu, LeakyRelu, PRelu) turns its
 * input into a new layer, MaxPool becomes layers of pairwise comparison units (see {@link #maxPool}), and a value that reads several earlier layers (a residual Add) becomes skips. The
 * graph's input is flattened in C order (NCHW), a symbolic first dimension taken as a batch of 1.
 *
 * <p>Everything is checked before the network is returned; errors are one line naming the node and op.
 */
final class OnnxReader {
    public static final int MIN_OPSET = 11, MAX_OPSET = 21;
    static final String SUPPORTED = "Gemm, MatMul, Add, Sub, Mul, Div, Relu, LeakyRelu, PRelu, Flatten, Reshape, Pad, Conv, "
            + "BatchNormalization, AveragePool, GlobalAveragePool, MaxPool, GlobalMaxPool, Identity, Dropout, Constant, Shape, Gather, Unsqueeze, Concat";

    /** A constant tensor (an initializer, a Constant node or a folded shape computation). */
    record Const(int[] shape, double[] data) {}

    private final Map<String, Object> values = new HashMap<>();
    private final List<DenseLayer> layers = new ArrayList<>();
    private final List<Integer> sizes = new ArrayList<>();
    private final int opset;
    /** Non-null when the caller wants the layers as written too ({@link #readWithStructure}). */
    private final OnnxStructure structure;

    private OnnxReader(int opset, OnnxStructure structure) { this.opset = opset; this.structure = structure; }

    /** Reads a model file (bounded by the caller). */
    public static Network read(InputStream in) {
        return lower(parse(in), Map.of());
    }

    private static OnnxMl.ModelProto parse(InputStream in) {
        try {
            return OnnxMl.ModelProto.parseFrom(in);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new ModelException("not an ONNX model (protobuf: " + e.getMessage().split("\n")[0] + ")");
        } catch (IOException e) {
            throw new ModelException("cannot read the ONNX model: " + e.getMessage());
        }
    }

    /**
     * A model read from ONNX with, where it has one, its {@code relu-atlas-model/2} form.
     *
     * @param network   the lowered network (what {@link #read} gives)
     * @param structure the layers as written, null when the graph uses something /2 has no layer for
     * @param whyNot    why there is no structure (one line), or null
     */
    public record Imported(Network network, StructuredModel structure, String whyNot) {}

    /**
     * Reads a model and follows its nodes into a {@link StructuredModel}, which is kept only when its own
     * lowering gives exactly the same network (so a /2 file written from it means the same network).
     */
    public static Imported readWithStructure(InputStream in) {
        OnnxMl.ModelProto model = parse(in);
        OnnxStructure s = new OnnxStructure();
        Network net = lower(model, Map.of(), s);
        StructuredModel m = s.finish(model.getGraph().getOutput(0).getName());
        if (m == null) return new Imported(net, null, s.whyNot());
        Network again;
        try {
            again = m.lower();
        } catch (ModelException e) {
            return new Imported(net, null, "its relu-atlas-model/2 form does not lower: " + e.getMessage());
        }
        // the /2 form must mean exactly this network, or it is not written
        if (!again.equals(net)) return new Imported(net, null, "its relu-atlas-model/2 form lowers to another network");
        return new Imported(net, m, null);
    }

    /**
     * Lowers a parsed model. {@code bound} gives constant values for graph inputs (ONNX node tests feed
     * weights as inputs); exactly one input must stay free.
     */
    public static Network lower(OnnxMl.ModelProto model, Map<String, Tensor> bound) {
        return lower(model, bound, null);
    }

    private static Network lower(OnnxMl.ModelProto model, Map<String, Tensor> bound, OnnxStructure structure) {
        if (!model.hasGraph()) throw new ModelException("the ONNX model has no graph");
        int opset = -1;
        for (OnnxMl.OperatorSetIdProto o : model.getOpsetImportList()) {
            String d = o.getDomain();
            if (d.isEmpty() || d.equals("ai.onnx")) opset = (int) o.getVersion();
        }
        if (opset < 0) throw new ModelException("the ONNX model imports no default-domain opset");
        if (opset < MIN_OPSET || opset > MAX_OPSET)
            throw new ModelException("ONNX opset " + opset + " is not supported (opsets " + MIN_OPSET + "-" + MAX_OPSET + "); re-export with opset_version=13, say");
        return new OnnxReader(opset, structure).lowerGraph(model.getGraph(), bound);
    }

    private Network lowerGraph(OnnxMl.GraphProto g, Map<String, Tensor> bound) {
        for (OnnxMl.TensorProto t : g.getInitializerList()) values.put(t.getName(), constOf(t, "initializer '" + t.getName() + "'"));
        for (Map.Entry<String, Tensor> e : bound.entrySet()) {
            Tensor t = e.getValue();
            int[] shape = new int[t.rank()];
            for (int k = 0; k < shape.length; k++) shape[k] = t.dim(k);
            values.put(e.getKey(), new Const(shape, t.data()));
        }
        OnnxMl.ValueInfoProto input = null;
        for (OnnxMl.ValueInfoProto vi : g.getInputList()) {
            if (values.containsKey(vi.getName())) continue;
            if (input != null) throw new ModelException("the graph has several inputs ('" + input.getName() + "', '" + vi.getName() + "'); the engines take one");
            input = vi;
        }
        if (input == null) throw new ModelException("the graph has no input that is not an initializer");
        int[] inShape = inputShape(input);
        int inputDim = AffineValue.sizeOf(inShape);
        sizes.add(inputDim);
        values.put(input.getName(), AffineValue.identity(0, inShape, sizes));
        if (structure != null) structure.input(input.getName(), inShape);
        if (g.getOutputCount() == 0) throw new ModelException("the graph has no output");
        String outName = g.getOutput(0).getName();

        // only the nodes the first output needs are lowered (training-only branches and extra outputs are not)
        Map<String, OnnxMl.NodeProto> producer = new HashMap<>();
        for (OnnxMl.NodeProto n : g.getNodeList()) for (String o : n.getOutputList()) if (!o.isEmpty()) producer.put(o, n);
        Set<OnnxMl.NodeProto> needed = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(outName));
        while (!todo.isEmpty()) {
            OnnxMl.NodeProto n = producer.get(todo.pop());
            if (n == null || !needed.add(n)) continue;
            for (String i : n.getInputList()) if (!i.isEmpty()) todo.push(i);
        }
        for (OnnxMl.NodeProto n : g.getNodeList()) if (needed.contains(n)) lowerNode(n);

        Object out = values.get(outName);
        if (out == null) throw new ModelException("the graph's output '" + outName + "' is never computed");
        if (!(out instanceof AffineValue v)) throw new ModelException("the graph's output '" + outName + "' does not depend on the input");
        int last = layers.size();
        if (!(v.identityOf == last && last > 0)) addLayer(v, Activation.IDENTITY, 0.0);
        return new Network(inputDim, layers);
    }

    private static int[] inputShape(OnnxMl.ValueInfoProto vi) {
        if (!vi.getType().hasTensorType() || !vi.getType().getTensorType().hasShape())
            throw new ModelException("input '" + vi.getName() + "' has no tensor shape");
        List<OnnxMl.TensorShapeProto.Dimension> dims = vi.getType().getTensorType().getShape().getDimList();
        if (dims.isEmpty()) throw new ModelException("input '" + vi.getName() + "' is a scalar");
        int[] shape = new int[dims.size()];
        for (int k = 0; k < shape.length; k++) {
            OnnxMl.TensorShapeProto.Dimension d = dims.get(k);
            if (d.hasDimValue() && d.getDimValue() > 0) shape[k] = Math.toIntExact(d.getDimValue());
            else if (k == 0 && dims.size() > 1) shape[k] = 1; // a symbolic batch: one point at a time
            else throw new ModelException("input '" + vi.getName() + "' has a symbolic or empty dimension at position " + k + "; the engines need fixed sizes");
        }
        return shape;
    }

    // ---------------------------------------------------------------- nodes

    private void lowerNode(OnnxMl.NodeProto n) {
        String op = n.getOpType();
        String where = "node '" + (n.getName().isEmpty() ? n.getOutput(0) : n.getName()) + "' (" + op + ")";
        if (!n.getDomain().isEmpty() && !n.getDomain().equals("ai.onnx"))
            throw new ModelException(where + ": domain '" + n.getDomain() + "' is not supported (only the default ONNX domain)");
        Object result = switch (op) {
            case "Identity", "Dropout" -> input(n, 0, where);
            case "Constant" -> constantNode(n, where);
            case "Gemm" -> gemm(n, where);
            case "MatMul" -> matMul(n, where);
            case "Add" -> addSub(n, where, 1.0);
            case "Sub" -> addSub(n, where, -1.0);
            case "Mul" -> mulDiv(n, where, false);
            case "Div" -> mulDiv(n, where, true);
            case "Relu" -> activation(n, where, Activation.RELU, 0.0);
            case "LeakyRelu" -> activation(n, where, Activation.LEAKY_RELU, attrF(n, "alpha", 0.01f));
            case "PRelu" -> prelu(n, where);
            case "Flatten" -> flatten(n, where);
            case "Reshape" -> reshape(n, where);
            case "Pad" -> pad(n, where);
            case "Conv" -> conv(n, where);
            case "BatchNormalization" -> batchNorm(n, where);
            case "AveragePool" -> averagePool(n, where);
            case "GlobalAveragePool" -> globalAveragePool(n, where);
            case "Shape" -> shapeOf(n, where);
            case "Gather" -> gather(n, where);
            case "Unsqueeze" -> unsqueeze(n, where);
            case "Concat" -> concat(n, where);
            case "MaxPool" -> maxPool(n, where);
            case "GlobalMaxPool" -> globalMaxPool(n, where);
            default -> throw new ModelException(where + " is not supported. Supported ops: " + SUPPORTED);
        };
        if (structure != null) structure.node(n, values, result);
        values.put(n.getOutput(0), result);
    }

    private Object input(OnnxMl.NodeProto n, int k, String where) {
        if (k >= n.getInputCount() || n.getInput(k).isEmpty()) throw new ModelException(where + ": input " + k + " is missing");
        Object v = values.get(n.getInput(k));
        if (v == null) throw new ModelException(where + ": input '" + n.getInput(k) + "' is not computed before this node");
        return v;
    }

    private Const constInput(OnnxMl.NodeProto n, int k, String where, String role) {
        Object v = input(n, k, where);
        if (v instanceof Const c) return c;
        throw new ModelException(where + ": the " + role + " must be a constant (an initializer), not computed from the input");
    }

    private AffineValue affineInput(OnnxMl.NodeProto n, int k, String where) {
        Object v = input(n, k, where);
        if (v instanceof AffineValue a) return a;
        throw new ModelException(where + ": input " + k + " is a constant where the network's data is expected");
    }

    private Object gemm(OnnxMl.NodeProto n, String where) {
        AffineValue a = affineInput(n, 0, where);
        Const b = constInput(n, 1, where, "B matrix");
        if (a.shape.length != 2) throw new ModelException(where + ": A has shape " + Arrays.toString(a.shape) + ", expected 2-D");
        double alpha = attrF(n, "alpha", 1f), beta = attrF(n, "beta", 1f);
        boolean transA = attrI(n, "transA", 0) != 0, transB = attrI(n, "transB", 0) != 0;
        if (transA) {
            int r0 = a.shape[0], c0 = a.shape[1];
            a = a.mapLinear(new int[]{c0, r0}, v -> {
                double[] t = new double[v.length];
                for (int i = 0; i < r0; i++) for (int j = 0; j < c0; j++) t[j * r0 + i] = v[i * c0 + j];
                return t;
            }, null);
        }
        if (b.shape.length != 2) throw new ModelException(where + ": B has shape " + Arrays.toString(b.shape) + ", expected 2-D");
        int rowsA = a.shape[0], k = a.shape[1];
        int bk = transB ? b.shape[1] : b.shape[0], m = transB ? b.shape[0] : b.shape[1];
        if (bk != k) throw new ModelException(where + ": A has " + k + " columns but B has " + bk + " rows");
        // the per-row map y = W x with W = alpha * B'^T (m x k)
        double[] w = new double[m * k];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < k; j++) w[i * k + j] = alpha * (transB ? b.data[i * k + j] : b.data[j * m + i]);
        int[] outShape = {rowsA, m};
        double[] bias = null;
        if (n.getInputCount() > 2 && !n.getInput(2).isEmpty()) {
            Const c = constInput(n, 2, where, "C bias");
            bias = OnnxOps.broadcast(c.data, c.shape, outShape, where);
            if (beta != 1.0) { bias = bias.clone(); for (int i = 0; i < bias.length; i++) bias[i] *= beta; }
        }
        return rowMap(a, outShape, w, m, k, bias);
    }

    /** Applies y_row = W x_row (W rows x k) to every row of a value whose last dimension is k. */
    private static AffineValue rowMap(AffineValue a, int[] outShape, double[] w, int rows, int k, double[] bias) {
        int batch = a.size / k;
        if (batch == 1) return a.mapDense(outShape, w, rows, bias);
        return a.mapLinear(outShape, x -> {
            double[] y = new double[batch * rows];
            for (int r = 0; r < batch; r++)
                for (int i = 0; i < rows; i++) {
                    double s = 0;
                    for (int j = 0; j < k; j++) s += w[i * k + j] * x[r * k + j];
                    y[r * rows + i] = s;
                }
            return y;
        }, bias);
    }

    private Object matMul(OnnxMl.NodeProto n, String where) {
        AffineValue a = affineInput(n, 0, where);
        Const b = constInput(n, 1, where, "second factor");
        if (b.shape.length != 2) throw new ModelException(where + ": the constant factor has shape " + Arrays.toString(b.shape) + "; only 2-D matrices are supported");
        int k = b.shape[0], m = b.shape[1];
        if (a.shape[a.shape.length - 1] != k)
            throw new ModelException(where + ": shapes " + Arrays.toString(a.shape) + " and " + Arrays.toString(b.shape) + " do not multiply");
        double[] w = new double[m * k];
        for (int i = 0; i < m; i++) for (int j = 0; j < k; j++) w[i * k + j] = b.data[j * m + i];
        int[] outShape = a.shape.clone();
        outShape[outShape.length - 1] = m;
        return rowMap(a, outShape, w, m, k, null);
    }

    /** An elementwise binary op on two constants, broadcast to their common shape (folded at load time). */
    private static Const foldConstants(Const x, Const y, String where, java.util.function.DoubleBinaryOperator op) {
        int[] shape = OnnxOps.broadcastShape(x.shape, y.shape, where);
        double[] p = OnnxOps.broadcast(x.data, x.shape, shape, where), q = OnnxOps.broadcast(y.data, y.shape, shape, where);
        double[] r = new double[p.length];
        for (int i = 0; i < r.length; i++) r[i] = op.applyAsDouble(p[i], q[i]);
        return new Const(shape, r);
    }

    private Object addSub(OnnxMl.NodeProto n, String where, double sign) {
        Object x = input(n, 0, where), y = input(n, 1, where);
        if (x instanceof Const cx && y instanceof Const cy) return foldConstants(cx, cy, where, (p, q) -> p + sign * q);
        if (x instanceof AffineValue ax && y instanceof AffineValue ay) {
            if (!Arrays.equals(ax.shape, ay.shape))
                throw new ModelException(where + ": adding shapes " + Arrays.toString(ax.shape) + " and " + Arrays.toString(ay.shape) + " (broadcasting between two data branches is not supported)");
            return ax.combine(1.0, ay, sign);
        }
        AffineValue a = x instanceof AffineValue ax ? ax : (AffineValue) y;
        Const c = x instanceof Const cx ? cx : (Const) y;
        double[] cb = OnnxOps.broadcast(c.data, c.shape, a.shape, where);
        if (sign < 0) {
            if (x instanceof Const) { // c - a
                AffineValue neg = a.scaleRows(filled(a.size, -1.0));
                return neg.plusConstant(cb);
            }
            cb = cb.clone();
            for (int i = 0; i < cb.length; i++) cb[i] = -cb[i];
        }
        return a.plusConstant(cb);
    }

    private Object mulDiv(OnnxMl.NodeProto n, String where, boolean divide) {
        Object x = input(n, 0, where), y = input(n, 1, where);
        if (x instanceof Const cx && y instanceof Const cy)
            return foldConstants(cx, cy, where, (p, q) -> divide ? p / q : p * q);
        if (x instanceof AffineValue && y instanceof AffineValue)
            throw new ModelException(where + ": the product of two data branches is not piecewise linear");
        if (divide && !(x instanceof AffineValue)) throw new ModelException(where + ": dividing by the network's data is not piecewise linear");
        AffineValue a = x instanceof AffineValue ax ? ax : (AffineValue) y;
        Const c = x instanceof Const cx ? cx : (Const) y;
        double[] d = OnnxOps.broadcast(c.data, c.shape, a.shape, where).clone();
        if (divide) for (int i = 0; i < d.length; i++) d[i] = 1.0 / d[i];
        return a.scaleRows(d);
    }

    private static double[] filled(int n, double v) {
        double[] r = new double[n];
        Arrays.fill(r, v);
        return r;
    }

    // ---------------------------------------------------------------- activations: new layers

    private Object activation(OnnxMl.NodeProto n, String where, Activation act, double leak) {
        AffineValue a = affineInput(n, 0, where);
        return addLayer(a, act, leak);
    }

    private Object prelu(OnnxMl.NodeProto n, String where) {
        AffineValue a = affineInput(n, 0, where);
        Const slope = constInput(n, 1, where, "slope");
        double[] s = OnnxOps.broadcast(slope.data, slope.shape, a.shape, where);
        boolean uniform = true;
        for (double v : s) uniform &= Double.compare(v, s[0]) == 0;
        if (uniform) return addLayer(a, s[0] == 0 ? Activation.RELU : Activation.LEAKY_RELU, s[0]);
        // per-unit slopes: prelu(z) = a*z + (1-a)*relu(z) exactly, so one relu layer on z (the same cuts) and the
        // next layers read a*z through skips from z's own sources
        AffineValue h = addLayer(a, Activation.RELU, 0.0);
        double[] keep = new double[s.length];
        for (int i = 0; i < s.length; i++) keep[i] = 1.0 - s[i];
        return h.scaleRows(keep).combine(1.0, a.scaleRows(s), 1.0);
    }

    /** Makes {@code pre} the pre-activation of a new layer; returns that layer's output as a value. */
    private AffineValue addLayer(AffineValue pre, Activation act, double leak) {
        int last = layers.size();
        int units = pre.size;
        Map<Integer, double[]> m = pre.matrices();
        if (m.isEmpty()) throw new ModelException("an activation of a constant: the layer does not depend on the input");
        double[] w = m.get(last);
        if (w == null) w = new double[units * sizes.get(last)];
        List<Skip> skips = new ArrayList<>();
        for (Map.Entry<Integer, double[]> e : m.entrySet()) {
            int j = e.getKey();
            if (j == last) continue;
            int cols = sizes.get(j);
            skips.add(isIdentity(e.getValue(), units, cols) ? Skip.identity(j) : new Skip(j, e.getValue(), cols));
        }
        double[] bias = pre.offset == null ? new double[units] : pre.offset;
        layers.add(new DenseLayer(sizes.get(last), units, w, bias, act, leak, skips));
        sizes.add(units);
        return AffineValue.identity(layers.size(), pre.shape, sizes);
    }

    private static boolean isIdentity(double[] m, int rows, int cols) {
        if (rows != cols) return false;
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                if (Double.doubleToRawLongBits(m[i * cols + j]) != Double.doubleToRawLongBits(i == j ? 1.0 : 0.0)) return false;
        return true;
    }

    // ---------------------------------------------------------------- shapes

    private Object flatten(OnnxMl.NodeProto n, String where) {
        Object v = input(n, 0, where);
        int[] shape = v instanceof AffineValue a ? a.shape : ((Const) v).shape;
        int axis = (int) attrI(n, "axis", 1);
        if (axis < 0) axis += shape.length;
        if (axis < 0 || axis > shape.length) throw new ModelException(where + ": axis " + axis + " is out of range for rank " + shape.length);
        int outer = 1, inner = 1;
        for (int k = 0; k < shape.length; k++) { if (k < axis) outer *= shape[k]; else inner *= shape[k]; }
        int[] out = {outer, inner};
        return v instanceof AffineValue a ? a.reshape(out) : new Const(out, ((Const) v).data);
    }

    private Object reshape(OnnxMl.NodeProto n, String where) {
        Object v = input(n, 0, where);
        Const target = constInput(n, 1, where, "target shape");
        int[] shape = v instanceof AffineValue a ? a.shape : ((Const) v).shape;
        int size = AffineValue.sizeOf(shape);
        boolean allowZero = attrI(n, "allowzero", 0) != 0;
        int[] out = new int[target.data.length];
        int infer = -1, known = 1;
        for (int k = 0; k < out.length; k++) {
            long d = (long) target.data[k];
            if (d == -1) {
                if (infer >= 0) throw new ModelException(where + ": more than one -1 in the target shape");
                infer = k;
                continue;
            }
            if (d == 0 && !allowZero) {
                if (k >= shape.length) throw new ModelException(where + ": 0 at position " + k + " copies a dimension the input lacks");
                d = shape[k];
            }
            if (d < 0) throw new ModelException(where + ": target shape entry " + d);
            out[k] = (int) d;
            known *= (int) d;
        }
        if (infer >= 0) {
            if (known == 0 || size % known != 0) throw new ModelException(where + ": cannot infer -1 from " + size + " elements");
            out[infer] = size / known;
        }
        if (AffineValue.sizeOf(out) != size)
            throw new ModelException(where + ": cannot reshape " + Arrays.toString(shape) + " to " + Arrays.toString(out));
        return v instanceof AffineValue a ? a.reshape(out) : new Const(out, ((Const) v).data);
    }

    private Object pad(OnnxMl.NodeProto n, String where) {
        AffineValue x = affineInput(n, 0, where);
        String mode = attrS(n, "mode", "constant");
        if (!mode.equals("constant") && !mode.equals("edge") && !mode.equals("reflect"))
            throw new ModelException(where + ": mode " + mode + " (constant, edge or reflect)");
        Const pads = constInput(n, 1, where, "pads");
        int rank = x.shape.length;
        if (n.getInputCount() > 3 && !n.getInput(3).isEmpty()) throw new ModelException(where + ": the axes input is not supported");
        if (pads.data.length != 2 * rank) throw new ModelException(where + ": pads has " + pads.data.length + " entries, expected " + 2 * rank);
        double value = 0;
        if (n.getInputCount() > 2 && !n.getInput(2).isEmpty()) value = constInput(n, 2, where, "constant_value").data[0];
        int[] begin = new int[rank], out = new int[rank];
        for (int k = 0; k < rank; k++) {
            begin[k] = (int) pads.data[k];
            out[k] = x.shape[k] + begin[k] + (int) pads.data[k + rank];
            if (out[k] <= 0) throw new ModelException(where + ": pads remove the whole axis " + k);
            if (mode.equals("reflect") && (begin[k] >= x.shape[k] || pads.data[k + rank] >= x.shape[k]))
                throw new ModelException(where + ": reflect padding wider than the axis");
        }
        // each output cell reads one input cell (or none: the constant); the map is linear, the constant an offset
        int size = AffineValue.sizeOf(out);
        int[] src = new int[size];
        int[] idx = new int[rank];
        for (int i = 0; i < size; i++) {
            int flat = 0;
            boolean inside = true;
            for (int k = 0; k < rank; k++) {
                int j = idx[k] - begin[k], len = x.shape[k];
                if (j < 0 || j >= len) {
                    if (mode.equals("constant")) inside = false;
                    else if (mode.equals("edge")) j = j < 0 ? 0 : len - 1;
                    else j = j < 0 ? -j : 2 * (len - 1) - j;
                }
                flat = flat * len + Math.max(0, Math.min(len - 1, j));
            }
            src[i] = inside ? flat : -1;
            for (int k = rank - 1; k >= 0; k--) {
                if (++idx[k] < out[k]) break;
                idx[k] = 0;
            }
        }
        double[] fill = null;
        if (value != 0) {
            fill = new double[size];
            for (int i = 0; i < size; i++) if (src[i] < 0) fill[i] = value;
        }
        return x.mapLinear(out, v -> {
            double[] y = new double[size];
            for (int i = 0; i < size; i++) if (src[i] >= 0) y[i] = v[src[i]];
            return y;
        }, fill);
    }

    private Object shapeOf(OnnxMl.NodeProto n, String where) {
        Object v = input(n, 0, where);
        int[] shape = v instanceof AffineValue a ? a.shape : ((Const) v).shape;
        int start = (int) attrI(n, "start", 0), end = (int) attrI(n, "end", shape.length);
        if (start < 0) start += shape.length;
        if (end < 0) end += shape.length;
        start = Math.max(0, Math.min(start, shape.length));
        end = Math.max(start, Math.min(end, shape.length));
        double[] d = new double[end - start];
        for (int k = start; k < end; k++) d[k - start] = shape[k];
        return new Const(new int[]{d.length}, d);
    }

    private Object gather(OnnxMl.NodeProto n, String where) {
        Const data = constInput(n, 0, where, "data");
        Const idx = constInput(n, 1, where, "indices");
        int axis = (int) attrI(n, "axis", 0);
        if (axis < 0) axis += data.shape.length;
        if (data.shape.length != 1 || axis != 0) throw new ModelException(where + ": only Gather on a 1-D constant (shape arithmetic) is supported");
        double[] r = new double[idx.data.length];
        for (int i = 0; i < r.length; i++) {
            int k = (int) idx.data[i];
            if (k < 0) k += data.data.length;
            if (k < 0 || k >= data.data.length) throw new ModelException(where + ": index " + (int) idx.data[i] + " out of range");
            r[i] = data.data[k];
        }
        return new Const(idx.shape, r);
    }

    private Object unsqueeze(OnnxMl.NodeProto n, String where) {
        Object v = input(n, 0, where);
        List<Long> axes;
        if (opset >= 13) {
            Const a = constInput(n, 1, where, "axes");
            axes = new ArrayList<>();
            for (double d : a.data) axes.add((long) d);
        } else {
            axes = attrInts(n, "axes");
        }
        int[] shape = v instanceof AffineValue a ? a.shape : ((Const) v).shape;
        int rank = shape.length + axes.size();
        boolean[] isNew = new boolean[rank];
        for (long ax : axes) {
            int k = (int) (ax < 0 ? ax + rank : ax);
            if (k < 0 || k >= rank || isNew[k]) throw new ModelException(where + ": bad axis " + ax);
            isNew[k] = true;
        }
        int[] out = new int[rank];
        for (int k = 0, s = 0; k < rank; k++) out[k] = isNew[k] ? 1 : shape[s++];
        return v instanceof AffineValue a ? a.reshape(out) : new Const(out, ((Const) v).data);
    }

    private Object concat(OnnxMl.NodeProto n, String where) {
        int axis = (int) attrI(n, "axis", 0);
        List<Const> parts = new ArrayList<>();
        for (int k = 0; k < n.getInputCount(); k++) parts.add(constInput(n, k, where, "input " + k + " (only constants, i.e. shape arithmetic, can be concatenated)"));
        for (Const c : parts) if (c.shape.length != 1) throw new ModelException(where + ": only 1-D constants are concatenated");
        if (axis != 0 && axis != -1) throw new ModelException(where + ": axis " + axis + " on 1-D tensors");
        int total = 0;
        for (Const c : parts) total += c.data.length;
        double[] r = new double[total];
        int at = 0;
        for (Const c : parts) { System.arraycopy(c.data, 0, r, at, c.data.length); at += c.data.length; }
        return new Const(new int[]{total}, r);
    }

    // ---------------------------------------------------------------- conv, batch-norm, pools

    private static void requireNchw(AffineValue a, String where) {
        if (a.shape.length != 4)
            throw new ModelException(where + ": input has shape " + Arrays.toString(a.shape) + "; only 2-D (N, C, H, W) is supported");
    }

    private Object conv(OnnxMl.NodeProto n, String where) {
        AffineValue x = affineInput(n, 0, where);
        requireNchw(x, where);
        Const w = constInput(n, 1, where, "weight");
        if (w.shape.length != 4) throw new ModelException(where + ": weight has shape " + Arrays.toString(w.shape) + "; only 2-D convolutions are supported");
        int batch = x.shape[0], cin = x.shape[1];
        int cout = w.shape[0], groups = (int) attrI(n, "group", 1);
        if (groups <= 0 || cin % groups != 0 || cout % groups != 0 || w.shape[1] != cin / groups)
            throw new ModelException(where + ": weight " + Arrays.toString(w.shape) + " does not fit " + cin + " input channels in " + groups + " groups");
        List<Long> ks = attrInts(n, "kernel_shape");
        if (!ks.isEmpty() && (ks.size() != 2 || ks.get(0) != w.shape[2] || ks.get(1) != w.shape[3]))
            throw new ModelException(where + ": kernel_shape " + ks + " differs from the weight's " + w.shape[2] + "x" + w.shape[3]);
        OnnxOps.Axis[] ax = windowAxes(n, where, x.shape, w.shape[2], w.shape[3], false);
        double[] bias = null;
        int[] outShape = {batch, cout, ax[0].out(), ax[1].out()};
        if (n.getInputCount() > 2 && !n.getInput(2).isEmpty()) {
            Const b = constInput(n, 2, where, "bias");
            if (b.data.length != cout) throw new ModelException(where + ": bias has " + b.data.length + " entries, expected " + cout);
            bias = OnnxOps.broadcast(b.data, new int[]{cout, 1, 1}, outShape, where);
        }
        double[] kernel = w.data;
        return x.mapLinear(outShape, v -> OnnxOps.conv(v, batch, cin, ax[0], ax[1], kernel, cout, groups), bias);
    }

    /** The two spatial axes of a conv or pool node from its attributes. */
    static OnnxOps.Axis[] windowAxes(OnnxMl.NodeProto n, String where, int[] shape, int kh, int kw, boolean pool) {
        List<Long> strides = attrInts(n, "strides"), dil = attrInts(n, "dilations"), pads = attrInts(n, "pads");
        String autoPad = attrS(n, "auto_pad", "NOTSET");
        boolean ceil = pool && attrI(n, "ceil_mode", 0) != 0;
        if (!strides.isEmpty() && strides.size() != 2) throw new ModelException(where + ": strides " + strides + " (2-D only)");
        if (!dil.isEmpty() && dil.size() != 2) throw new ModelException(where + ": dilations " + dil + " (2-D only)");
        if (!pads.isEmpty() && pads.size() != 4) throw new ModelException(where + ": pads " + pads + " (2-D only: top, left, bottom, right)");
        int sh = strides.isEmpty() ? 1 : strides.get(0).intValue(), sw = strides.isEmpty() ? 1 : strides.get(1).intValue();
        int dh = dil.isEmpty() ? 1 : dil.get(0).intValue(), dw = dil.isEmpty() ? 1 : dil.get(1).intValue();
        int pt = pads.isEmpty() ? 0 : pads.get(0).intValue(), pl = pads.isEmpty() ? 0 : pads.get(1).intValue();
        int pb = pads.isEmpty() ? 0 : pads.get(2).intValue(), pr = pads.isEmpty() ? 0 : pads.get(3).intValue();
        return new OnnxOps.Axis[]{
                OnnxOps.axis(where, shape[2], kh, sh, dh, pt, pb, autoPad, ceil),
                OnnxOps.axis(where, shape[3], kw, sw, dw, pl, pr, autoPad, ceil)};
    }

    private Object batchNorm(OnnxMl.NodeProto n, String where) {
        AffineValue x = affineInput(n, 0, where);
        if (attrI(n, "training_mode", 0) != 0) throw new ModelException(where + ": training_mode=1; export the model in eval() mode");
        Const scale = constInput(n, 1, where, "scale"), b = constInput(n, 2, where, "bias");
        Const mean = constInput(n, 3, where, "mean"), var = constInput(n, 4, where, "variance");
        double eps = attrF(n, "epsilon", 1e-5f);
        if (x.shape.length < 2) throw new ModelException(where + ": input has shape " + Arrays.toString(x.shape) + ", expected (N, C, ...)");
        int c = x.shape[1];
        for (Const t : List.of(scale, b, mean, var))
            if (t.data.length != c) throw new ModelException(where + ": a parameter has " + t.data.length + " entries, expected " + c + " (one per channel)");
        int inner = x.size / (x.shape[0] * c);
        double[] mul = new double[x.size], add = new double[x.size];
        for (int i = 0; i < x.size; i++) {
            int ch = (i / inner) % c;
            double a = scale.data[ch] / Math.sqrt(var.data[ch] + eps);
            mul[i] = a;
            add[i] = b.data[ch] - a * mean.data[ch];
        }
        return x.scaleRows(mul).plusConstant(add);
    }

    private Object averagePool(OnnxMl.NodeProto n, String where) {
        AffineValue x = affineInput(n, 0, where);
        requireNchw(x, where);
        List<Long> ks = attrInts(n, "kernel_shape");
        if (ks.size() != 2) throw new ModelException(where + ": kernel_shape " + ks + " (2-D pooling only)");
        OnnxOps.Axis[] ax = windowAxes(n, where, x.shape, ks.get(0).intValue(), ks.get(1).intValue(), true);
        List<Long> pads = attrInts(n, "pads");
        String autoPad = attrS(n, "auto_pad", "NOTSET");
        boolean explicit = autoPad.equals("NOTSET") || autoPad.isEmpty();
        int padEndH = explicit && !pads.isEmpty() ? pads.get(2).intValue() : 0;
        int padEndW = explicit && !pads.isEmpty() ? pads.get(3).intValue() : 0;
        boolean includePad = attrI(n, "count_include_pad", 0) != 0;
        int batch = x.shape[0], c = x.shape[1];
        int[] outShape = {batch, c, ax[0].out(), ax[1].out()};
        return x.mapLinear(outShape, v -> OnnxOps.averagePool(v, batch, c, ax[0], ax[1], padEndH, padEndW, includePad), null);
    }

    /**
     * MaxPool lowered exactly to a tournament of pairwise maxima, {@code max(a, b) = b + relu(a - b)}: each
     * round pairs up the remaining candidates of every window and adds one ReLU layer with one unit per pair,
     * whose pre-activation is {@code a - b}. A unit is on exactly when {@code a > b}, so the units' on/off bits
     * are the comparisons of the tournament and the argmax of every window is part of the activation pattern;
     * every engine then splits regions along the cuts {@code a = b} as it does for any neuron. A k-cell window
     * takes k - 1 comparison units in ceil(log2 k) layers. Padding cells are -infinity in ONNX, so they never
     * enter a window's candidates.
     */
    private Object maxPool(OnnxMl.NodeProto n, String where) {
        AffineValue x = affineInput(n, 0, where);
        requireNchw(x, where);
        if (n.getOutputCount() > 1 && !n.getOutput(1).isEmpty())
            throw new ModelException(where + ": the Indices output is not supported (export without return_indices)");
        if (attrI(n, "storage_order", 0) != 0) throw new ModelException(where + ": storage_order=1 only matters for Indices, which are not supported");
        List<Long> ks = attrInts(n, "kernel_shape");
        if (ks.size() != 2) throw new ModelException(where + ": kernel_shape " + ks + " (2-D pooling only)");
        OnnxOps.Axis[] ax = windowAxes(n, where, x.shape, ks.get(0).intValue(), ks.get(1).intValue(), true);
        int batch = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3];
        int oh = ax[0].out(), ow = ax[1].out();
        int[] outShape = {batch, c, oh, ow};
        int cells = batch * c * oh * ow;
        // the candidates of every output cell: flat indices into the current value
        int[][] cand = new int[cells][];
        int[] buf = new int[ax[0].kernel() * ax[1].kernel()];
        for (int p = 0, cell = 0; p < batch * c; p++) {
            for (int oy = 0; oy < oh; oy++) for (int ox = 0; ox < ow; ox++, cell++) {
                int m = 0;
                for (int i = 0; i < ax[0].kernel(); i++) {
                    int iy = oy * ax[0].stride() - ax[0].padBegin() + i * ax[0].dilation();
                    if (iy < 0 || iy >= h) continue;
                    for (int j = 0; j < ax[1].kernel(); j++) {
                        int ix = ox * ax[1].stride() - ax[1].padBegin() + j * ax[1].dilation();
                        if (ix >= 0 && ix < w) buf[m++] = (p * h + iy) * w + ix;
                    }
                }
                if (m == 0) throw new ModelException(where + ": output cell (" + oy + ", " + ox + ") has a window made only of padding");
                cand[cell] = Arrays.copyOf(buf, m);
            }
        }
        return tournament(x, cand, outShape);
    }

    /** GlobalMaxPool: one window per channel over all spatial cells, lowered as {@link #maxPool} does. */
    private Object globalMaxPool(OnnxMl.NodeProto n, String where) {
        AffineValue x = affineInput(n, 0, where);
        if (x.shape.length < 3) throw new ModelException(where + ": input has shape " + Arrays.toString(x.shape) + ", expected (N, C, spatial...)");
        int planes = x.shape[0] * x.shape[1], inner = x.size / planes;
        int[] outShape = new int[x.shape.length];
        Arrays.fill(outShape, 1);
        outShape[0] = x.shape[0];
        outShape[1] = x.shape[1];
        int[][] cand = new int[planes][inner];
        for (int p = 0; p < planes; p++) for (int k = 0; k < inner; k++) cand[p][k] = p * inner + k;
        return tournament(x, cand, outShape);
    }

    /**
     * The maxima of the candidate sets {@code cand[cell]} (flat indices into {@code x}), one per output cell, as
     * rounds of pairwise comparison units (see {@link #maxPool}).
     */
    private AffineValue tournament(AffineValue x, int[][] cand, int[] outShape) {
        int cells = cand.length;
        AffineValue v = x;
        while (true) {
            int pairs = 0, singles = 0;
            for (int[] cs : cand) { pairs += cs.length / 2; singles += cs.length % 2; }
            if (pairs == 0) break;
            // a - b for every pair (window order: the first cell of a pair is a)
            int[] ia = new int[pairs], ib = new int[pairs], carry = new int[singles];
            int[][] next = new int[cells][];
            int pi = 0, si = 0;
            for (int cell = 0; cell < cells; cell++) {
                int[] cs = cand[cell];
                int[] nx = new int[cs.length / 2 + cs.length % 2];
                for (int k = 0; k + 1 < cs.length; k += 2) { ia[pi] = cs[k]; ib[pi] = cs[k + 1]; nx[k / 2] = pi++; }
                if (cs.length % 2 == 1) { carry[si] = cs[cs.length - 1]; nx[nx.length - 1] = pairs + si++; }
                next[cell] = nx;
            }
            final int np = pairs, ns = singles;
            AffineValue diff = v.mapLinear(new int[]{np}, u -> {
                double[] d = new double[np];
                for (int k = 0; k < np; k++) d[k] = u[ia[k]] - u[ib[k]];
                return d;
            }, null);
            AffineValue on = addLayer(diff, Activation.RELU, 0.0);
            // the winners: b + relu(a - b) for each pair, then the unpaired candidates as they are
            AffineValue base = v.mapLinear(new int[]{np + ns}, u -> {
                double[] d = new double[np + ns];
                for (int k = 0; k < np; k++) d[k] = u[ib[k]];
                for (int k = 0; k < ns; k++) d[np + k] = u[carry[k]];
                return d;
            }, null);
            AffineValue gain = on.mapLinear(new int[]{np + ns}, u -> Arrays.copyOf(u, np + ns), null);
            v = base.combine(1.0, gain, 1.0);
            cand = next;
        }
        int[] pick = new int[cells];
        for (int cell = 0; cell < cells; cell++) pick[cell] = cand[cell][0];
        return v.mapLinear(outShape, u -> {
            double[] d = new double[cells];
            for (int k = 0; k < cells; k++) d[k] = u[pick[k]];
            return d;
        }, null);
    }

    private Object globalAveragePool(OnnxMl.NodeProto n, String where) {
        AffineValue x = affineInput(n, 0, where);
        if (x.shape.length < 3) throw new ModelException(where + ": input has shape " + Arrays.toString(x.shape) + ", expected (N, C, spatial...)");
        int batch = x.shape[0], c = x.shape[1], inner = x.size / (batch * c);
        int[] outShape = new int[x.shape.length];
        Arrays.fill(outShape, 1);
        outShape[0] = batch;
        outShape[1] = c;
        return x.mapLinear(outShape, v -> {
            double[] y = new double[batch * c];
            for (int p = 0; p < batch * c; p++) {
                double s = 0;
                for (int k = 0; k < inner; k++) s += v[p * inner + k];
                y[p] = s / inner;
            }
            return y;
        }, null);
    }

    // ---------------------------------------------------------------- constants and attributes

    private Object constantNode(OnnxMl.NodeProto n, String where) {
        for (OnnxMl.AttributeProto a : n.getAttributeList()) {
            switch (a.getName()) {
                case "value" -> { return constOf(a.getT(), where); }
                case "value_float" -> { return new Const(new int[0], new double[]{a.getF()}); }
                case "value_int" -> { return new Const(new int[0], new double[]{a.getI()}); }
                case "value_floats" -> {
                    double[] d = new double[a.getFloatsCount()];
                    for (int i = 0; i < d.length; i++) d[i] = a.getFloats(i);
                    return new Const(new int[]{d.length}, d);
                }
                case "value_ints" -> {
                    double[] d = new double[a.getIntsCount()];
                    for (int i = 0; i < d.length; i++) d[i] = a.getInts(i);
                    return new Const(new int[]{d.length}, d);
                }
                default -> { }
            }
        }
        throw new ModelException(where + ": no value attribute this reader understands");
    }

    /** Decodes a TensorProto (raw_data or typed fields; float, double, half, bfloat16, int32, int64). */
    static Const constOf(OnnxMl.TensorProto t, String where) {
        if (t.getDataLocation() == OnnxMl.TensorProto.DataLocation.EXTERNAL)
            throw new ModelException(where + ": weights in external data files are not supported; save the model with its weights inside");
        int[] shape = new int[t.getDimsCount()];
        long[] lshape = new long[shape.length];
        for (int k = 0; k < shape.length; k++) { lshape[k] = t.getDims(k); shape[k] = (int) t.getDims(k); }
        int n = (int) Tensor.elementCount(lshape, where);
        double[] d = new double[n];
        ByteString raw = t.getRawData();
        int type = t.getDataType();
        ByteBuffer rb = raw.isEmpty() ? null : raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        int width = switch (type) {
            case 1, 6 -> 4;        // FLOAT, INT32
            case 11, 7 -> 8;       // DOUBLE, INT64
            case 10, 16 -> 2;      // FLOAT16, BFLOAT16
            default -> throw new ModelException(where + ": tensor data type " + OnnxMl.TensorProto.DataType.forNumber(type) + " is not supported (float, double, float16, bfloat16, int32, int64)");
        };
        if (rb != null && rb.remaining() != (long) n * width)
            throw new ModelException(where + ": raw_data has " + rb.remaining() + " bytes, expected " + (long) n * width);
        for (int i = 0; i < n; i++) {
            if (rb != null) {
                int at = i * width;
                d[i] = switch (type) {
                    case 1 -> rb.getFloat(at);
                    case 11 -> rb.getDouble(at);
                    case 6 -> rb.getInt(at);
                    case 7 -> rb.getLong(at);
                    case 10 -> DType.halfToFloat(rb.getShort(at));
                    default -> Float.intBitsToFloat((rb.getShort(at) & 0xffff) << 16);
                };
            } else {
                d[i] = switch (type) {
                    case 1 -> checkedGet(t.getFloatDataCount(), n, where) ? t.getFloatData(i) : 0;
                    case 11 -> checkedGet(t.getDoubleDataCount(), n, where) ? t.getDoubleData(i) : 0;
                    case 7 -> checkedGet(t.getInt64DataCount(), n, where) ? t.getInt64Data(i) : 0;
                    case 6 -> checkedGet(t.getInt32DataCount(), n, where) ? t.getInt32Data(i) : 0;
                    case 10 -> checkedGet(t.getInt32DataCount(), n, where) ? DType.halfToFloat((short) t.getInt32Data(i)) : 0;
                    default -> checkedGet(t.getInt32DataCount(), n, where) ? Float.intBitsToFloat((t.getInt32Data(i) & 0xffff) << 16) : 0;
                };
            }
        }
        return new Const(shape, d);
    }

    private static boolean checkedGet(int have, int need, String where) {
        if (have != need) throw new ModelException(where + ": holds " + have + " values, expected " + need);
        return true;
    }

    static OnnxMl.AttributeProto attr(OnnxMl.NodeProto n, String name) {
        for (OnnxMl.AttributeProto a : n.getAttributeList()) if (a.getName().equals(name)) return a;
        return null;
    }

    static long attrI(OnnxMl.NodeProto n, String name, long dflt) {
        OnnxMl.AttributeProto a = attr(n, name);
        return a == null ? dflt : a.getI();
    }

    static double attrF(OnnxMl.NodeProto n, String name, float dflt) {
        OnnxMl.AttributeProto a = attr(n, name);
        return a == null ? dflt : a.getF();
    }

    static String attrS(OnnxMl.NodeProto n, String name, String dflt) {
        OnnxMl.AttributeProto a = attr(n, name);
        return a == null ? dflt : a.getS().toStringUtf8();
    }

    static List<Long> attrInts(OnnxMl.NodeProto n, String name) {
        OnnxMl.AttributeProto a = attr(n, name);
        return a == null ? List.of() : a.getIntsList();
    }


}
