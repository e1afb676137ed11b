package atlas.net.formats;

import atlas.io.AtomicFiles;
import atlas.net.Activation;
import atlas.net.ModelException;
import atlas.net.ModelFormat;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads and writes {@code relu-atlas-model/2}: the layers of a {@link StructuredModel} as written
 * (docs/formats.md has the specification):
 * <pre>{"format":"relu-atlas-model/2","input_shape":[1,28,28],
 *  "layers":[{"type":"conv2d","kernel":[5,5],"stride":[2,2],"padding":[0,0,0,0],"dilation":[1,1],"groups":1,
 *             "weights":[[[[...]]]],"bias":[...]},
 *            {"type":"relu"},{"type":"maxpool","kernel":[2,2],"stride":[2,2],...},{"type":"flatten"},
 *            {"type":"dense","weights":[[...]],"bias":[...]}]}</pre>
 * Unknown fields are errors, as in /1; every error is one line naming the layer and the field.
 */
public final class StructuredJson {
    public static final String FORMAT = "relu-atlas-model/2";

    private StructuredJson() {}

    private static final List<String> MODEL_FIELDS = List.of("format", "input_shape", "layers");
    private static final List<String> CONV_FIELDS = List.of("type", "input", "kernel", "stride", "padding", "dilation", "groups", "weights", "bias");
    private static final List<String> MAXPOOL_FIELDS = List.of("type", "input", "kernel", "stride", "padding", "dilation", "ceil_mode");
    private static final List<String> AVGPOOL_FIELDS = List.of("type", "input", "kernel", "stride", "padding", "ceil_mode", "count_include_pad");
    private static final List<String> BN_FIELDS = List.of("type", "input", "gamma", "beta", "mean", "var", "eps");
    private static final List<String> DENSE_FIELDS = List.of("type", "input", "weights", "bias");
    private static final List<String> LEAKY_FIELDS = List.of("type", "input", "leak");
    private static final List<String> PRELU_FIELDS = List.of("type", "input", "slope");
    private static final List<String> ADD_FIELDS = List.of("type", "input", "from");
    private static final List<String> PLAIN_FIELDS = List.of("type", "input");
    private static final String TYPES = "conv2d, batchnorm, maxpool, avgpool, global_maxpool, global_avgpool, flatten, dense, relu, leaky_relu, prelu, add";

    /** Parses a model whose {@code format} field is {@value #FORMAT} (the root of the JSON text). */
    public static StructuredModel parse(JsonNode root) {
        if (root == null || !root.isObject()) throw new ModelException("the model is not a JSON object");
        known(root, MODEL_FIELDS, "");
        JsonNode format = root.get("format");
        if (format == null || !FORMAT.equals(format.asText()))
            throw new ModelException("format is " + (format == null ? "missing" : "\"" + format.asText() + "\"") + ", expected \"" + FORMAT + "\"");
        int[] inputShape = intList(root.get("input_shape"), "input_shape", -1);
        JsonNode layersNode = root.get("layers");
        if (layersNode == null || !layersNode.isArray()) throw new ModelException("field 'layers' is missing or not an array");
        if (layersNode.isEmpty()) throw new ModelException("the network has no layers");
        List<StructuredModel.Layer> layers = new ArrayList<>();
        int k = 0;
        for (JsonNode ln : layersNode) {
            k++;
            if (!ln.isObject()) throw new ModelException("layer " + k + ": is not a JSON object");
            JsonNode tn = ln.get("type");
            if (tn == null || !tn.isTextual()) throw new ModelException("layer " + k + ": field 'type' is missing or not a string (" + TYPES + ")");
            String type = tn.asText();
            String where = "layer " + k + " (" + printable(type) + "): ";
            int input = k - 1;
            JsonNode inNode = ln.get("input");
            if (inNode != null) {
                input = intValue(inNode, where + "input");
                if (input < 0 || input >= k) throw new ModelException(where + "input = " + input + " must name an earlier value (0.." + (k - 1) + ")");
            }
            layers.add(switch (type) {
                case "conv2d" -> {
                    known(ln, CONV_FIELDS, where);
                    Nested w = nested(ln.get("weights"), 4, where + "weights");
                    int[] kernel = ln.has("kernel") ? pair(ln.get("kernel"), where + "kernel", 0) : new int[]{w.dims[2], w.dims[3]};
                    if (kernel[0] != w.dims[2] || kernel[1] != w.dims[3])
                        throw new ModelException(where + "kernel " + Arrays.toString(kernel) + " differs from the weights' " + w.dims[2] + "x" + w.dims[3]);
                    double[] bias = ln.has("bias") ? vector(ln.get("bias"), where + "bias") : null;
                    yield new StructuredModel.Conv2d(input, w.dims[0], w.dims[2], w.dims[3], pair(ln.get("stride"), where + "stride", 1),
                            padding(ln.get("padding"), where + "padding"), pair(ln.get("dilation"), where + "dilation", 1),
                            ln.has("groups") ? positive(ln.get("groups"), where + "groups") : 1, w.data, bias);
                }
                case "maxpool", "avgpool" -> {
                    boolean max = type.equals("maxpool");
                    known(ln, max ? MAXPOOL_FIELDS : AVGPOOL_FIELDS, where);
                    if (!ln.has("kernel")) throw new ModelException(where + "kernel is missing");
                    int[] kernel = pair(ln.get("kernel"), where + "kernel", 0);
                    yield new StructuredModel.Pool(input, max, kernel[0], kernel[1], pair(ln.get("stride"), where + "stride", 1),
                            padding(ln.get("padding"), where + "padding"), max ? pair(ln.get("dilation"), where + "dilation", 1) : new int[]{1, 1},
                            bool(ln.get("ceil_mode"), where + "ceil_mode"), !max && bool(ln.get("count_include_pad"), where + "count_include_pad"));
                }
                case "global_maxpool", "global_avgpool" -> {
                    known(ln, PLAIN_FIELDS, where);
                    yield new StructuredModel.GlobalPool(input, type.equals("global_maxpool"));
                }
                case "batchnorm" -> {
                    known(ln, BN_FIELDS, where);
                    for (String f : List.of("gamma", "beta", "mean", "var", "eps"))
                        if (!ln.has(f)) throw new ModelException(where + f + " is missing");
                    double[] var = vector(ln.get("var"), where + "var");
                    for (int i = 0; i < var.length; i++)
                        if (var[i] < 0) throw new ModelException(where + "var[" + i + "] = " + var[i] + " is negative");
                    double eps = number(ln.get("eps"), where + "eps");
                    if (eps < 0) throw new ModelException(where + "eps = " + eps + " is negative");
                    // ONNX holds epsilon as a float: the model means the float value, read exactly as an ONNX file's
                    yield new StructuredModel.BatchNorm(input, vector(ln.get("gamma"), where + "gamma"), vector(ln.get("beta"), where + "beta"),
                            vector(ln.get("mean"), where + "mean"), var, (float) eps);
                }
                case "flatten" -> {
                    known(ln, PLAIN_FIELDS, where);
                    yield new StructuredModel.Flatten(input);
                }
                case "dense" -> {
                    known(ln, DENSE_FIELDS, where);
                    Nested w = nested(ln.get("weights"), 2, where + "weights");
                    double[] bias = ln.has("bias") ? vector(ln.get("bias"), where + "bias") : null;
                    yield new StructuredModel.Dense(input, w.dims[0], w.dims[1], w.data, bias);
                }
                case "relu" -> {
                    known(ln, PLAIN_FIELDS, where);
                    yield new StructuredModel.Act(input, Activation.RELU, 0.0);
                }
                case "leaky_relu" -> {
                    known(ln, LEAKY_FIELDS, where);
                    yield new StructuredModel.Act(input, Activation.LEAKY_RELU,
                            ln.has("leak") ? number(ln.get("leak"), where + "leak") : ModelFormat.DEFAULT_LEAK);
                }
                case "prelu" -> {
                    known(ln, PRELU_FIELDS, where);
                    yield new StructuredModel.PRelu(input, vector(ln.get("slope"), where + "slope"));
                }
                case "add" -> {
                    known(ln, ADD_FIELDS, where);
                    JsonNode from = ln.get("from");
                    if (from == null) throw new ModelException(where + "from is missing (the earlier value to add)");
                    yield new StructuredModel.Add(input, intValue(from, where + "from"));
                }
                default -> throw new ModelException(where + "unknown type (" + TYPES + ")");
            });
        }
        StructuredModel model = new StructuredModel(inputShape, layers);
        model.shapes(); // every layer fits what it reads
        return model;
    }

    private static void known(JsonNode object, List<String> fields, String where) {
        for (var it = object.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!fields.contains(name))
                throw new ModelException(where + "unknown field '" + printable(name) + "' (known fields: " + String.join(", ", fields) + ")");
        }
    }

    private static String printable(String name) {
        String p = name.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return p.length() > 40 ? p.substring(0, 40) + "..." : p;
    }

    private static int intValue(JsonNode n, String what) {
        if (n == null || !n.isIntegralNumber()) throw new ModelException(what + " is not an integer");
        if (!n.canConvertToInt()) throw new ModelException(what + " = " + n.asText() + " is out of range");
        return n.intValue();
    }

    private static int positive(JsonNode n, String what) {
        int v = intValue(n, what);
        if (v <= 0) throw new ModelException(what + " = " + v + " must be positive");
        return v;
    }

    /** A list of positive integers; {@code length} -1 for any length (at least one). */
    private static int[] intList(JsonNode n, String what, int length) {
        if (n == null || n.isNull()) throw new ModelException(what + " is missing");
        if (!n.isArray() || n.isEmpty()) throw new ModelException(what + " is not a list of integers");
        if (length >= 0 && n.size() != length) throw new ModelException(what + " has " + n.size() + " entries, expected " + length);
        int[] r = new int[n.size()];
        for (int i = 0; i < r.length; i++) r[i] = positive(n.get(i), what + "[" + i + "]");
        return r;
    }

    /** Two positive integers (height, width); {@code dflt} (0 = required) for each when the field is absent. */
    private static int[] pair(JsonNode n, String what, int dflt) {
        if (n == null) {
            if (dflt == 0) throw new ModelException(what + " is missing");
            return new int[]{dflt, dflt};
        }
        return intList(n, what, 2);
    }

    /** Four integers &gt;= 0 (top, left, bottom, right), zeros when absent. */
    private static int[] padding(JsonNode n, String what) {
        if (n == null) return new int[4];
        if (!n.isArray() || n.size() != 4) throw new ModelException(what + " is not 4 integers (top, left, bottom, right)");
        int[] r = new int[4];
        for (int i = 0; i < 4; i++) {
            r[i] = intValue(n.get(i), what + "[" + i + "]");
            if (r[i] < 0) throw new ModelException(what + "[" + i + "] = " + r[i] + " is negative");
        }
        return r;
    }

    private static boolean bool(JsonNode n, String what) {
        if (n == null) return false;
        if (!n.isBoolean()) throw new ModelException(what + " is not true or false");
        return n.booleanValue();
    }

    private static double number(JsonNode n, String what) {
        if (n == null || !n.isNumber()) throw new ModelException(what + " is not a number: " + n);
        double v = n.asDouble();
        if (!Double.isFinite(v)) throw new ModelException(what + " is " + v + " (weights must be finite numbers)");
        return v;
    }

    private static double[] vector(JsonNode n, String what) {
        return nested(n, 1, what).data;
    }

    private record Nested(int[] dims, double[] data) {}

    /** A rectangular nested array of {@code rank} levels of finite numbers, flattened row-major. */
    private static Nested nested(JsonNode n, int rank, String what) {
        if (n == null || n.isNull()) throw new ModelException(what + " is missing");
        int[] dims = new int[rank];
        JsonNode probe = n;
        for (int r = 0; r < rank; r++) {
            if (!probe.isArray() || probe.isEmpty())
                throw new ModelException(what + " is not a " + rank + "-level nested list of numbers" + (rank > 1 ? " (" + shapeWords(rank) + ")" : ""));
            dims[r] = probe.size();
            probe = probe.get(0);
        }
        // rectangular first, so that the size allocated is the count of numbers actually in the file
        rectangular(n, 0, dims, what);
        long total = 1;
        for (int d : dims) total *= d;
        double[] data = new double[Math.toIntExact(total)];
        fill(n, 0, dims, data, new int[]{0}, what);
        return new Nested(dims, data);
    }

    private static String shapeWords(int rank) {
        return rank == 4 ? "[out_channels][in_channels/groups][kh][kw]" : rank == 2 ? "a list of rows" : rank + " levels";
    }

    private static void rectangular(JsonNode n, int level, int[] dims, String what) {
        if (!n.isArray() || n.size() != dims[level])
            throw new ModelException(what + " is not rectangular: a list at depth " + level + " has " + (n.isArray() ? n.size() + " entries" : "a non-list")
                    + ", expected " + dims[level]);
        if (level < dims.length - 1) for (JsonNode c : n) rectangular(c, level + 1, dims, what);
    }

    private static void fill(JsonNode n, int level, int[] dims, double[] data, int[] at, String what) {
        if (!n.isArray() || n.size() != dims[level])
            throw new ModelException(what + " is not rectangular: a list at depth " + level + " has " + (n.isArray() ? n.size() + " entries" : "a non-list")
                    + ", expected " + dims[level]);
        for (int i = 0; i < dims[level]; i++) {
            JsonNode c = n.get(i);
            if (level == dims.length - 1) data[at[0]++] = number(c, what + indexPath(data.length, dims, at[0]));
            else fill(c, level + 1, dims, data, at, what);
        }
    }

    private static String indexPath(int total, int[] dims, int flatPlusOne) {
        int flat = flatPlusOne - 1;
        StringBuilder sb = new StringBuilder();
        int[] idx = new int[dims.length];
        for (int d = dims.length - 1; d >= 0; d--) { idx[d] = flat % dims[d]; flat /= dims[d]; }
        for (int i : idx) sb.append('[').append(i).append(']');
        return sb.toString();
    }

    // ---------------------------------------------------------------- writing

    /** The model as /2 JSON text (doubles written so that they read back bit for bit). */
    public static String toJson(StructuredModel model) {
        StringWriter sw = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(sw)) {
            write(model, g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sw.toString();
    }

    /** Writes the model file atomically. */
    public static void write(StructuredModel model, Path file) {
        model.shapes();
        AtomicFiles.write(file, (OutputStream out) -> {
            try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
                write(model, g);
            }
        });
    }

    private static void write(StructuredModel model, JsonGenerator g) throws IOException {
        List<int[]> shapes = model.shapes();
        g.writeStartObject();
        g.writeStringField("format", FORMAT);
        g.writeFieldName("input_shape");
        g.writeArray(model.inputShape(), 0, model.inputShape().length);
        g.writeArrayFieldStart("layers");
        int k = 0;
        for (StructuredModel.Layer l : model.layers()) {
            k++;
            g.writeRaw('\n');
            g.writeStartObject();
            g.writeStringField("type", l.type());
            if (l.input() != k - 1) g.writeNumberField("input", l.input());
            if (l instanceof StructuredModel.Conv2d c) {
                pairField(g, "kernel", c.kh(), c.kw());
                pairField(g, "stride", c.stride()[0], c.stride()[1]);
                g.writeFieldName("padding");
                g.writeArray(c.padding(), 0, 4);
                pairField(g, "dilation", c.dilation()[0], c.dilation()[1]);
                g.writeNumberField("groups", c.groups());
                g.writeFieldName("weights");
                int cinG = shapes.get(l.input())[0] / c.groups();
                writeNested(g, c.weights(), new int[]{c.outChannels(), cinG, c.kh(), c.kw()}, 0, 0);
                if (c.bias() != null) { g.writeFieldName("bias"); g.writeArray(c.bias(), 0, c.bias().length); }
            } else if (l instanceof StructuredModel.Pool p) {
                pairField(g, "kernel", p.kh(), p.kw());
                pairField(g, "stride", p.stride()[0], p.stride()[1]);
                g.writeFieldName("padding");
                g.writeArray(p.padding(), 0, 4);
                if (p.max()) pairField(g, "dilation", p.dilation()[0], p.dilation()[1]);
                g.writeBooleanField("ceil_mode", p.ceilMode());
                if (!p.max()) g.writeBooleanField("count_include_pad", p.countIncludePad());
            } else if (l instanceof StructuredModel.BatchNorm b) {
                for (String f : List.of("gamma", "beta", "mean", "var")) {
                    double[] v = f.equals("gamma") ? b.gamma() : f.equals("beta") ? b.beta() : f.equals("mean") ? b.mean() : b.var();
                    g.writeFieldName(f);
                    g.writeArray(v, 0, v.length);
                }
                g.writeNumberField("eps", b.eps());
            } else if (l instanceof StructuredModel.Dense d) {
                g.writeFieldName("weights");
                writeNested(g, d.weights(), new int[]{d.units(), d.inputs()}, 0, 0);
                if (d.bias() != null) { g.writeFieldName("bias"); g.writeArray(d.bias(), 0, d.bias().length); }
            } else if (l instanceof StructuredModel.Act a) {
                if (a.activation() == Activation.LEAKY_RELU) g.writeNumberField("leak", a.leak());
            } else if (l instanceof StructuredModel.PRelu r) {
                g.writeFieldName("slope");
                g.writeArray(r.slope(), 0, r.slope().length);
            } else if (l instanceof StructuredModel.Add a) {
                g.writeNumberField("from", a.from());
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
        g.writeRaw('\n');
    }

    private static void pairField(JsonGenerator g, String name, int a, int b) throws IOException {
        g.writeFieldName(name);
        g.writeArray(new int[]{a, b}, 0, 2);
    }

    /** Writes {@code data[offset..]} as a nested list of shape {@code dims[level..]}; returns nothing. */
    private static void writeNested(JsonGenerator g, double[] data, int[] dims, int level, int offset) throws IOException {
        if (level == dims.length - 1) {
            g.writeArray(data, offset, dims[level]);
            return;
        }
        int stride = 1;
        for (int d = level + 1; d < dims.length; d++) stride *= dims[d];
        g.writeStartArray();
        for (int i = 0; i < dims[level]; i++) writeNested(g, data, dims, level + 1, offset + i * stride);
        g.writeEndArray();
    }
}
