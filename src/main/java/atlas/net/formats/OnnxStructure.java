package atlas.net.formats;

import ai.onnx.proto.OnnxMl;
import atlas.net.Activation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Follows the ONNX reader node by node and writes down the layers as they were written
 * ({@link StructuredModel}): Conv as a kernel, BatchNormalization as its statistics, pools as windows. It
 * only watches: the reader's lowering is the network; this is what {@code atlas convert} writes as
 * {@code relu-atlas-model/2}. A graph that uses an op or form /2 has no layer for (Pad, Mul, a per-unit
 * PRelu, a reshape that is not a flatten, an Add of a constant, ...) gets a reason instead of a structure,
 * and is written as the lowered /1 network.
 */
final class OnnxStructure {
    private final Map<String, Integer> index = new HashMap<>();
    private final List<int[]> shapes = new ArrayList<>();
    private final List<StructuredModel.Layer> layers = new ArrayList<>();
    private int[] inputShape;
    private String whyNot;

    /** The graph input: value 0. */
    void input(String name, int[] onnxShape) {
        if (onnxShape.length == 4 && onnxShape[0] == 1) inputShape = Arrays.copyOfRange(onnxShape, 1, 4);
        else if (onnxShape.length == 2 && onnxShape[0] == 1) inputShape = new int[]{onnxShape[1]};
        else { refuse("the input has shape " + Arrays.toString(onnxShape) + " (/2 takes [1, n] or [1, C, H, W])"); return; }
        index.put(name, 0);
        shapes.add(inputShape);
    }

    /** The first reason the graph has no /2 form; null while it has one. */
    String whyNot() { return whyNot; }

    private void refuse(String why) {
        if (whyNot == null) whyNot = why;
    }

    /** The model, once every node is seen; null (and {@link #whyNot}) when some node has no /2 layer. */
    StructuredModel finish(String outputName) {
        if (whyNot != null) return null;
        Integer out = index.get(outputName);
        if (out == null || out != layers.size() || layers.isEmpty()) { refuse("the graph's output is not its last layer"); return null; }
        return new StructuredModel(inputShape, layers);
    }

    /** Records one lowered node; {@code result} is what the reader made of it (a constant or an affine value). */
    void node(OnnxMl.NodeProto n, Map<String, Object> values, Object result) {
        if (whyNot != null || !(result instanceof AffineValue out)) return; // constants (shape arithmetic) are no layers
        String op = n.getOpType();
        String name = n.getName().isEmpty() ? n.getOutput(0) : n.getName();
        String where = "node '" + name + "' (" + op + ")";
        Integer in = index.get(n.getInput(0));
        switch (op) {
            case "Identity", "Dropout" -> {
                if (in == null) { refuse(where + ": its input has no /2 layer"); return; }
                index.put(n.getOutput(0), in);
                return;
            }
            default -> { }
        }
        StructuredModel.Layer layer;
        try {
            layer = layerOf(n, op, where, values, out, in);
        } catch (atlas.net.ModelException e) { // a form the explicit /2 attributes cannot state: no /2 form
            refuse(e.getMessage());
            return;
        }
        if (layer == null) return;
        layers.add(layer);
        int k = layers.size();
        index.put(n.getOutput(0), k);
        int[] s = out.shape;
        shapes.add(s.length >= 1 && s[0] == 1 ? Arrays.copyOfRange(s, 1, s.length) : s);
    }

    private StructuredModel.Layer layerOf(OnnxMl.NodeProto n, String op, String where, Map<String, Object> values, AffineValue out, Integer in) {
        if (in == null && !op.equals("Add")) { refuse(where + ": its data input is not a /2 value"); return null; }
        switch (op) {
            case "Relu" -> { return new StructuredModel.Act(in, Activation.RELU, 0.0); }
            case "LeakyRelu" -> { return new StructuredModel.Act(in, Activation.LEAKY_RELU, OnnxReader.attrF(n, "alpha", 0.01f)); }
            case "PRelu" -> {
                OnnxReader.Const slope = constant(values, n, 1);
                if (slope == null) { refuse(where + ": slope not constant"); return null; }
                double[] per = OnnxOps.broadcast(slope.data(), slope.shape(), out.shape, where);
                boolean uniform = true;
                for (double v : per) uniform &= Double.compare(v, per[0]) == 0;
                if (!uniform) {
                    // one slope per channel (or per unit of a vector): constant over each channel's cells
                    int[] x = shapes.get(in);
                    int ch = x[0], inner = per.length / ch;
                    double[] perChannel = new double[ch];
                    for (int c = 0; c < ch; c++) {
                        perChannel[c] = per[c * inner];
                        for (int i = 0; i < inner; i++)
                            if (Double.compare(per[c * inner + i], perChannel[c]) != 0) { refuse(where + ": slopes that are not one per channel"); return null; }
                    }
                    return new StructuredModel.PRelu(in, perChannel);
                }
                // the reader's rule: one slope for all units is a leaky_relu layer, slope 0 a relu layer
                double s = per[0];
                return s == 0 ? new StructuredModel.Act(in, Activation.RELU, 0.0) : new StructuredModel.Act(in, Activation.LEAKY_RELU, s);
            }
            case "Flatten", "Reshape" -> {
                if (out.shape.length != 2 || out.shape[0] != 1) { refuse(where + ": a reshape to " + Arrays.toString(out.shape) + " is not a flatten"); return null; }
                return new StructuredModel.Flatten(in);
            }
            case "Gemm", "MatMul" -> {
                AffineValue a = (AffineValue) values.get(n.getInput(0));
                OnnxReader.Const b = constant(values, n, 1);
                if (a.shape.length != 2 || a.shape[0] != 1 || b == null || b.shape().length != 2
                        || (op.equals("Gemm") && OnnxReader.attrI(n, "transA", 0) != 0)) {
                    refuse(where + ": only a one-row input times a constant matrix is a /2 dense layer");
                    return null;
                }
                // the reader's matrix, W = alpha * B'^T (rows = units), and its bias beta * C
                boolean gemm = op.equals("Gemm");
                double alpha = gemm ? OnnxReader.attrF(n, "alpha", 1f) : 1.0, beta = gemm ? OnnxReader.attrF(n, "beta", 1f) : 1.0;
                boolean transB = gemm && OnnxReader.attrI(n, "transB", 0) != 0;
                int k = a.shape[1];
                int m = transB ? b.shape()[0] : b.shape()[1];
                double[] w = new double[m * k];
                for (int i = 0; i < m; i++)
                    for (int j = 0; j < k; j++) {
                        double v = transB ? b.data()[i * k + j] : b.data()[j * m + i];
                        w[i * k + j] = gemm ? alpha * v : v;
                    }
                double[] bias = null;
                if (gemm && n.getInputCount() > 2 && !n.getInput(2).isEmpty()) {
                    OnnxReader.Const c = constant(values, n, 2);
                    bias = OnnxOps.broadcast(c.data(), c.shape(), new int[]{1, m}, where).clone();
                    if (beta != 1.0) for (int i = 0; i < bias.length; i++) bias[i] *= beta;
                }
                return new StructuredModel.Dense(in, m, k, w, bias);
            }
            case "Conv" -> {
                OnnxReader.Const w = constant(values, n, 0 + 1);
                int[] x = shapes.get(in);
                OnnxOps.Axis[] ax = OnnxReader.windowAxes(n, where, withBatch(x), w.shape()[2], w.shape()[3], false);
                int[] pads = explicitPads(n, ax, false, where);
                if (pads == null) return null;
                double[] bias = null;
                if (n.getInputCount() > 2 && !n.getInput(2).isEmpty()) bias = constant(values, n, 2).data();
                return new StructuredModel.Conv2d(in, w.shape()[0], w.shape()[2], w.shape()[3], new int[]{ax[0].stride(), ax[1].stride()}, pads,
                        new int[]{ax[0].dilation(), ax[1].dilation()}, (int) OnnxReader.attrI(n, "group", 1), w.data(), bias);
            }
            case "BatchNormalization" -> {
                OnnxReader.Const g = constant(values, n, 1), b = constant(values, n, 2), mean = constant(values, n, 3), var = constant(values, n, 4);
                return new StructuredModel.BatchNorm(in, g.data(), b.data(), mean.data(), var.data(), OnnxReader.attrF(n, "epsilon", 1e-5f));
            }
            case "MaxPool", "AveragePool" -> {
                boolean max = op.equals("MaxPool");
                List<Long> ks = OnnxReader.attrInts(n, "kernel_shape");
                OnnxOps.Axis[] ax = OnnxReader.windowAxes(n, where, withBatch(shapes.get(in)), ks.get(0).intValue(), ks.get(1).intValue(), true);
                if (!max && (ax[0].dilation() != 1 || ax[1].dilation() != 1)) { refuse(where + ": a dilated average pool"); return null; }
                boolean includePad = !max && OnnxReader.attrI(n, "count_include_pad", 0) != 0;
                String autoPad = OnnxReader.attrS(n, "auto_pad", "NOTSET");
                if (includePad && !(autoPad.equals("NOTSET") || autoPad.isEmpty())) { refuse(where + ": count_include_pad with auto_pad"); return null; }
                int[] pads = explicitPads(n, ax, true, where);
                if (pads == null) return null;
                boolean ceil = (autoPad.equals("NOTSET") || autoPad.isEmpty() || autoPad.equals("VALID")) && OnnxReader.attrI(n, "ceil_mode", 0) != 0;
                return new StructuredModel.Pool(in, max, ax[0].kernel(), ax[1].kernel(), new int[]{ax[0].stride(), ax[1].stride()}, pads,
                        new int[]{ax[0].dilation(), ax[1].dilation()}, ceil, includePad);
            }
            case "GlobalMaxPool", "GlobalAveragePool" -> {
                if (shapes.get(in).length != 3) { refuse(where + ": not on a [1, C, H, W] value"); return null; }
                return new StructuredModel.GlobalPool(in, op.equals("GlobalMaxPool"));
            }
            case "Add" -> {
                Integer other = index.get(n.getInput(1));
                if (in == null || other == null) { refuse(where + ": an Add of a constant (/2 adds two values)"); return null; }
                return new StructuredModel.Add(in, other);
            }
            default -> {
                refuse(where + ": no /2 layer for " + op);
                return null;
            }
        }
    }

    private static int[] withBatch(int[] s) {
        int[] r = new int[s.length + 1];
        r[0] = 1;
        System.arraycopy(s, 0, r, 1, s.length);
        return r;
    }

    private static OnnxReader.Const constant(Map<String, Object> values, OnnxMl.NodeProto n, int k) {
        return k < n.getInputCount() && values.get(n.getInput(k)) instanceof OnnxReader.Const c ? c : null;
    }

    /**
     * Explicit pads (top, left, bottom, right) that give the reader's windows: the node's own pads without
     * auto_pad, else the begin padding auto_pad chose and the least end padding that keeps the output size.
     */
    private int[] explicitPads(OnnxMl.NodeProto n, OnnxOps.Axis[] ax, boolean pool, String where) {
        String autoPad = OnnxReader.attrS(n, "auto_pad", "NOTSET");
        List<Long> pads = OnnxReader.attrInts(n, "pads");
        int[] r = new int[4];
        if (autoPad.equals("NOTSET") || autoPad.isEmpty()) {
            for (int k = 0; k < 4 && !pads.isEmpty(); k++) r[k] = pads.get(k).intValue();
            return r;
        }
        if (autoPad.equals("VALID")) return r; // no padding, the same output size formula as NOTSET
        for (int d = 0; d < 2; d++) {
            OnnxOps.Axis a = ax[d];
            int span = a.dilation() * (a.kernel() - 1) + 1;
            r[d] = a.padBegin();
            r[d + 2] = Math.max(0, (a.out() - 1) * a.stride() + span - a.in() - a.padBegin());
            OnnxOps.Axis again = OnnxOps.axis(where, a.in(), a.kernel(), a.stride(), a.dilation(), r[d], r[d + 2], "NOTSET", false);
            if (again.out() != a.out() || again.padBegin() != a.padBegin()) { refuse(where + ": auto_pad " + autoPad + " has no explicit equivalent"); return null; }
        }
        return r;
    }
}
