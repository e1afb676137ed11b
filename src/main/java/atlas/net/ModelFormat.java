package atlas.net;

import atlas.io.AtomicFiles;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

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
    /** The structured format (conv kernels as kernels), read by atlas.net.formats.StructuredJson. */
    public static final String FORMAT_2 = "relu-atlas-model/2";
    public static final double DEFAULT_LEAK = 0.01;

    /**
     * The streaming parser's factory; the tree is built from its tokens here ({@link #readNode}), not by an
     * {@code ObjectMapper}, whose set-up (configs, type factory, deserializer caches) was about a tenth of a second
     * of every short CLI call.
     */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private ModelFormat() {}

    /**
     * The largest model file read (256 MiB, about 20 million weights as JSON text): a larger file, or an endless
     * one such as /dev/zero, is refused before it can exhaust the memory.
     */
    public static final long MAX_BYTES = 256L << 20;

    /** Reads a model file. */
    public static Network read(Path file) {
        return read(file, MAX_BYTES);
    }

    /** Reads a model file of at most {@code maxBytes} bytes. */
    static Network read(Path file, long maxBytes) {
        JsonNode root = readTree(file, maxBytes);
        try {
            return fromTree(root);
        } catch (ModelException e) {
            throw new ModelException(file.getFileName() + ": " + e.getMessage(), e);
        }
    }

    /**
     * A model file's JSON object (bounded, strict UTF-8, exactly one object), before its format is looked at:
     * the model-file reader picks /1 or /2 from its {@code format} field. Errors name the file.
     */
    public static JsonNode readTree(Path file) {
        return readTree(file, MAX_BYTES);
    }

    private static JsonNode readTree(Path file, long maxBytes) {
        String text;
        try {
            if (Files.isDirectory(file)) throw new ModelException("model file " + file + " is a folder");
            text = readBounded(file, maxBytes);
        } catch (NoSuchFileException e) {
            throw new ModelException("model file not found: " + file);
        } catch (CharacterCodingException e) {
            throw new ModelException("model file " + file + " is not UTF-8 text (a binary file such as an image?)");
        } catch (IOException e) {
            String why = e instanceof java.nio.file.AccessDeniedException ? "permission denied" : e.getMessage();
            throw new ModelException("cannot read model file " + file + ": " + why);
        }
        try {
            return parseTree(text);
        } catch (ModelException e) {
            throw new ModelException(file.getFileName() + ": " + e.getMessage(), e);
        }
    }

    /** The file as strict UTF-8 text, refusing more than {@code limit} bytes and NUL bytes (binary files). */
    private static String readBounded(Path file, long limit) throws IOException {
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        byte[] chunk = new byte[1 << 16];
        try (java.io.InputStream in = Files.newInputStream(file)) {
            long total = 0;
            int n;
            while ((n = in.read(chunk)) > 0) {
                for (int k = 0; k < n; k++)
                    if (chunk[k] == 0) throw new ModelException("model file " + file + " is not UTF-8 text (it holds zero bytes: a binary file or a device?)");
                total += n;
                if (total > limit)
                    throw new ModelException("model file " + file + " is larger than " + (limit >= 1 << 20 ? (limit >> 20) + " MiB" : limit + " bytes")
                            + ", the limit for relu-atlas-model/1 files");
                buf.write(chunk, 0, n);
            }
        }
        return java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                .decode(java.nio.ByteBuffer.wrap(buf.toByteArray())).toString();
    }

    /** Parses a model from JSON text: one JSON object and nothing after it but white space. */
    public static Network parse(String json) {
        return fromTree(parseTree(json));
    }

    /** One JSON object and nothing after it but white space, as a tree. */
    public static JsonNode parseTree(String json) {
        JsonNode root;
        try (com.fasterxml.jackson.core.JsonParser parser = FACTORY.createParser(json)) {
            root = parser.nextToken() == null ? null : readNode(parser);
            com.fasterxml.jackson.core.JsonToken extra;
            try {
                extra = parser.nextToken();
            } catch (JsonProcessingException e) {
                extra = com.fasterxml.jackson.core.JsonToken.NOT_AVAILABLE;
            }
            if (extra != null) {
                var loc = parser.currentTokenLocation();
                throw new ModelException("unexpected content after the JSON object" + (loc != null && loc.getLineNr() > 0
                        ? " at line " + loc.getLineNr() + ", column " + loc.getColumnNr() : "") + " (a model file holds exactly one object)");
            }
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            throw new ModelException("malformed JSON" + (loc != null ? " at line " + loc.getLineNr() + ", column " + loc.getColumnNr() : "") + ": " + jsonProblem(e));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (root == null || !root.isObject()) throw new ModelException("the model is not a JSON object");
        return root;
    }

    /**
     * The JSON value that starts at the parser's current token, as a tree (what {@code ObjectMapper.readTree} makes
     * with default settings: integers as int, long or big-integer nodes, other numbers as doubles, the last of
     * duplicate keys kept). Arrays and objects nest by recursion; the parser bounds the depth (1,000 levels).
     */
    private static JsonNode readNode(com.fasterxml.jackson.core.JsonParser p) throws IOException {
        JsonNodeFactory f = JsonNodeFactory.instance;
        switch (p.currentToken()) {
            case START_OBJECT: {
                ObjectNode o = f.objectNode();
                while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    o.set(name, readNode(p));
                }
                return o;
            }
            case START_ARRAY: {
                ArrayNode a = f.arrayNode();
                while (p.nextToken() != com.fasterxml.jackson.core.JsonToken.END_ARRAY) a.add(readNode(p));
                return a;
            }
            case VALUE_NUMBER_INT:
                switch (p.getNumberType()) {
                    case INT: return f.numberNode(p.getIntValue());
                    case LONG: return f.numberNode(p.getLongValue());
                    default: return f.numberNode(p.getBigIntegerValue());
                }
            case VALUE_NUMBER_FLOAT: return f.numberNode(p.getDoubleValue());
            case VALUE_STRING: return f.textNode(p.getText());
            case VALUE_TRUE: return f.booleanNode(true);
            case VALUE_FALSE: return f.booleanNode(false);
            case VALUE_NULL: return f.nullNode();
            default: throw new com.fasterxml.jackson.core.JsonParseException(p, "unexpected token " + p.currentToken());
        }
    }

    /** The network of a parsed {@value #FORMAT} object. */
    public static Network fromTree(JsonNode root) {
        if (root == null || !root.isObject()) throw new ModelException("the model is not a JSON object");
        if (FORMAT_2.equals(root.path("format").asText()))
            throw new ModelException("format is \"" + FORMAT_2 + "\", expected \"" + FORMAT + "\" (relu-atlas-model/2 is read where a MODEL is read, not here)");
        knownFieldsOnly(root, MODEL_FIELDS, "");
        JsonNode format = root.get("format");
        if (format == null) throw new ModelException("field 'format' is missing (expected \"" + FORMAT + "\")");
        if (!FORMAT.equals(format.asText()))
            throw new ModelException("format is \"" + format.asText() + "\", expected \"" + FORMAT + "\"");
        JsonNode in = root.get("input_dim");
        if (in == null || !in.isIntegralNumber()) throw new ModelException("field 'input_dim' is missing or not an integer");
        int inputDim = intValue(in, "input_dim");
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
            knownFieldsOnly(ln, LAYER_FIELDS, where);
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
                    if (!skipNode.isObject()) throw new ModelException(sw + "is not a JSON object");
                    knownFieldsOnly(skipNode, SKIP_FIELDS, sw);
                    JsonNode from = skipNode.get("from");
                    if (from == null || !from.isIntegralNumber()) throw new ModelException(sw + "from is missing or not an integer");
                    int f = intValue(from, sw + "from");
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

    private static final java.util.List<String> MODEL_FIELDS = java.util.List.of("format", "input_dim", "layers");
    private static final java.util.List<String> LAYER_FIELDS = java.util.List.of("weights", "bias", "activation", "leak", "skips");
    private static final java.util.List<String> SKIP_FIELDS = java.util.List.of("from", "weights");

    /**
     * Unknown fields are an error: a misspelt optional field ("biass") would otherwise silently take its default
     * (a zero bias) and give a different network with exit 0.
     */
    private static void knownFieldsOnly(JsonNode object, java.util.List<String> known, String where) {
        for (var it = object.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!known.contains(name))
                throw new ModelException(where + "unknown field '" + printable(name) + "' (known fields: " + String.join(", ", known) + ")");
        }
    }

    /** A field name as it may appear in a one-line message: control characters shown as '?', at most 40 characters. */
    private static String printable(String name) {
        String p = name.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return p.length() > 40 ? p.substring(0, 40) + "..." : p;
    }

    /** An integer field that must fit an int: 4294967298 is an error, not 2. */
    private static int intValue(JsonNode n, String what) {
        if (!n.canConvertToInt())
            throw new ModelException(what + " = " + n.asText() + " is out of range (at most " + Integer.MAX_VALUE + ")");
        return n.intValue();
    }

    /**
     * The parser's complaint in one line, without the library's internals (source descriptions, class and
     * feature names).
     */
    public static String jsonProblem(JsonProcessingException e) {
        String m = e.getOriginalMessage();
        if (m == null) return "not valid JSON";
        for (String cut : new String[]{"\n", " at [Source", " (start marker", " (from `", " (bound as", ": not allowed as per", " (through reference chain"}) {
            int k = m.indexOf(cut);
            if (k >= 0) m = m.substring(0, k);
        }
        if (m.contains("com.fasterxml") || m.contains("jackson") || m.isBlank()) return "not valid JSON";
        return m.replace('`', '\'').strip();
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
