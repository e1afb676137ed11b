package atlas.net;

import atlas.io.AtomicFiles;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes the {@code relu-atlas-model/1} JSON format:
 * <pre>{"format":"relu-atlas-model/1","input_dim":n,
 *  "layers":[{"weights":[[...]],"bias":[...],"activation":"relu"|"leaky_relu"|"identity","leak":0.01,
 *             "skips":[{"from":j,"weights":[[...]]}]}]}</pre>
 * Weights are row-major, one row per unit of the layer. {@code leak} defaults to 0.01, {@code skips} to none,
 * a skip without {@code weights} is the identity. NaN and Infinity literals are read (so that they can be
 * reported as such) and rejected by validation. Every error is a {@link ModelException} whose one-line message
 * names the layer and the field.
 */
public final class ModelFormat {
    public static final String FORMAT = "relu-atlas-model/1";
    public static final double DEFAULT_LEAK = 0.01;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private ModelFormat() {}

    /** Reads a model file. */
    public static Network read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ModelException("model file not found: " + file);
        } catch (CharacterCodingException e) {
            throw new ModelException("model file " + file + " is not UTF-8 text (a binary file such as an image?)");
        } catch (IOException e) {
            throw new ModelException("cannot read model file " + file + ": " + e.getMessage());
        }
        try {
            return parse(text);
        } catch (ModelException e) {
            throw new ModelException(file.getFileName() + ": " + e.getMessage(), e);
        }
    }

    /** Parses a model from JSON text. */
    public static Network parse(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            String msg = e.getOriginalMessage().split("\n")[0];
            var loc = e.getLocation();
            throw new ModelException("malformed JSON" + (loc != null ? " at line " + loc.getLineNr() + ", column " + loc.getColumnNr() : "") + ": " + msg);
        }
        if (root == null || !root.isObject()) throw new ModelException("the model is not a JSON object");
        JsonNode format = root.get("format");
        if (format == null) throw new ModelException("field 'format' is missing (expected \"" + FORMAT + "\")");
        if (!FORMAT.equals(format.asText())) throw new ModelException("format is \"" + format.asText() + "\", expected \"" + FORMAT + "\"");
        JsonNode in = root.get("input_dim");
        if (in == null || !in.isIntegralNumber()) throw new ModelException("field 'input_dim' is missing or not an integer");
        int inputDim = in.asInt();
        if (inputDim <= 0) throw new ModelException("input_dim must be positive, got " + inputDim);
        JsonNode layersNode = root.get("layers");
        if (layersNode == null || !layersNode.isArray()) throw new ModelException("field 'layers' is missing or not an array");
        if (layersNode.isEmpty()) throw new ModelException("the network has no layers");
        List<DenseLayer> layers = new ArrayList<>();
        int prev = inputDim;
        List<Integer> sizes = new ArrayList<>();
        sizes.add(inputDim);
        int i = 0;
        for (JsonNode ln : layersNode) {
            i++;
            String where = "layer " + i + ": ";
            if (!ln.isObject()) throw new ModelException(where + "is not a JSON object");
            Matrix w = matrix(ln.get("weights"), where + "weights");
            JsonNode bn = ln.get("bias");
            double[] bias = bn == null ? new double[w.rows] : vector(bn, where + "bias");
            JsonNode an = ln.get("activation");
            if (an == null || !an.isTextual()) throw new ModelException(where + "activation is missing (relu, leaky_relu or identity)");
            Activation act = Activation.fromJsonName(an.asText());
            if (act == null) throw new ModelException(where + "unknown activation \"" + an.asText() + "\" (relu, leaky_relu or identity)");
            double leak = DEFAULT_LEAK;
            JsonNode leakNode = ln.get("leak");
            if (leakNode != null && !leakNode.isNull()) {
                if (!leakNode.isNumber()) throw new ModelException(where + "leak is not a number");
                leak = leakNode.asDouble();
            }
            if (w.cols != prev)
                throw new ModelException(where + "weights has " + w.cols + " columns, expected " + prev
                        + " (the size of " + (i == 1 ? "the input" : "layer " + (i - 1)) + ")");
            List<Skip> skips = new ArrayList<>();
            JsonNode sn = ln.get("skips");
            if (sn != null && !sn.isNull()) {
                if (!sn.isArray()) throw new ModelException(where + "skips is not an array");
                int s = 0;
                for (JsonNode skipNode : sn) {
                    String sw = where + "skips[" + s++ + "]: ";
                    JsonNode from = skipNode.get("from");
                    if (from == null || !from.isIntegralNumber()) throw new ModelException(sw + "from is missing or not an integer");
                    int f = from.asInt();
                    if (f < 0 || f >= i) throw new ModelException(sw + "from = " + f + " must name an earlier layer (0.." + (i - 1) + ")");
                    JsonNode pw = skipNode.get("weights");
                    if (pw == null || pw.isNull()) {
                        skips.add(Skip.identity(f));
                    } else {
                        Matrix p = matrix(pw, sw + "weights");
                        if (p.rows != w.rows) throw new ModelException(sw + "weights has " + p.rows + " rows, expected " + w.rows);
                        if (p.cols != sizes.get(f)) throw new ModelException(sw + "weights has " + p.cols + " columns, expected " + sizes.get(f) + " (the size of layer " + f + ")");
                        skips.add(new Skip(f, p.data, p.cols));
                    }
                }
            }
            layers.add(new DenseLayer(w.cols, w.rows, w.data, bias, act, leak, skips));
            prev = w.rows;
            sizes.add(prev);
        }
        return new Network(inputDim, layers);
    }

    private record Matrix(int rows, int cols, double[] data) {}

    private static Matrix matrix(JsonNode node, String what) {
        if (node == null || node.isNull()) throw new ModelException(what + " is missing");
        if (!node.isArray()) throw new ModelException(what + " is not an array of rows");
        int rows = node.size();
        if (rows == 0) throw new ModelException(what + " has no rows");
        int cols = -1;
        double[] data = null;
        for (int r = 0; r < rows; r++) {
            JsonNode row = node.get(r);
            if (!row.isArray()) throw new ModelException(what + "[" + r + "] is not an array (weights are a list of rows)");
            if (cols < 0) {
                cols = row.size();
                if (cols == 0) throw new ModelException(what + "[0] is empty");
                data = new double[rows * cols];
            } else if (row.size() != cols) {
                throw new ModelException(what + "[" + r + "] has " + row.size() + " entries, but row 0 has " + cols + " (rows must have equal length)");
            }
            for (int c = 0; c < cols; c++) data[r * cols + c] = number(row.get(c), what + "[" + r + "][" + c + "]");
        }
        return new Matrix(rows, cols, data);
    }

    private static double[] vector(JsonNode node, String what) {
        if (!node.isArray()) throw new ModelException(what + " is not an array");
        double[] v = new double[node.size()];
        for (int k = 0; k < v.length; k++) v[k] = number(node.get(k), what + "[" + k + "]");
        return v;
    }

    private static double number(JsonNode n, String what) {
        if (n == null || !n.isNumber()) throw new ModelException(what + " is not a number: " + n);
        double v = n.asDouble();
        if (!Double.isFinite(v)) throw new ModelException(what + " is " + v + " (weights must be finite numbers)");
        return v;
    }

    /** The model as JSON text (doubles written so that they read back bit for bit). */
    public static String toJson(Network net) {
        StringWriter sw = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(sw)) {
            write(net, g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sw.toString();
    }

    /** Writes the model file atomically (temporary file, then move). */
    public static void write(Network net, Path file) {
        AtomicFiles.write(file, (OutputStream out) -> {
            try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
                write(net, g);
            }
        });
    }

    private static void write(Network net, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("format", FORMAT);
        g.writeNumberField("input_dim", net.inputDim());
        g.writeArrayFieldStart("layers");
        for (DenseLayer l : net.layers()) {
            g.writeRaw('\n');
            g.writeStartObject();
            g.writeStringField("activation", l.activation().jsonName());
            if (l.activation() == Activation.LEAKY_RELU) g.writeNumberField("leak", l.leak());
            g.writeFieldName("weights");
            writeMatrix(g, l.weights(), l.units(), l.inputSize());
            g.writeFieldName("bias");
            g.writeArray(l.bias(), 0, l.bias().length);
            if (!l.skips().isEmpty()) {
                g.writeArrayFieldStart("skips");
                for (Skip s : l.skips()) {
                    g.writeStartObject();
                    g.writeNumberField("from", s.from());
                    if (!s.isIdentity()) {
                        g.writeFieldName("weights");
                        writeMatrix(g, s.weights(), l.units(), s.cols());
                    }
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
        g.writeRaw('\n');
    }

    private static void writeMatrix(JsonGenerator g, double[] a, int rows, int cols) throws IOException {
        g.writeStartArray();
        for (int r = 0; r < rows; r++) g.writeArray(a, r * cols, cols);
        g.writeEndArray();
    }

}
