package atlas.cli;

import atlas.data.mnist.Idx;
import atlas.error.BadInputException;
import atlas.net.Activation;
import atlas.net.DenseLayer;
import atlas.net.ModelFormat;
import atlas.net.Network;
import atlas.net.Networks;
import atlas.net.Skip;
import atlas.net.formats.DType;
import atlas.net.formats.ModelFiles;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile input, generated from a seed: mutated model files (relu-atlas JSON, ONNX, safetensors), images, IDX
 * files and flag values, run in-process through the CLI. For every input:
 * <ul>
 *   <li>an input that an independent check (below, written for this test) calls invalid exits 2 or 3, never 0;</li>
 *   <li>a non-zero exit prints one line {@code atlas: ...} (a picocli usage error may add {@code Try 'atlas ... --help'.}),
 *       with no stack trace, no exception class name and nothing of the JSON library;</li>
 *   <li>no input makes the tool fail internally (exit 4, 1 or 5) or run past a bound ({@value #LIMIT_S} s).</li>
 * </ul>
 * The counts (inputs tried, exit codes) are printed.
 */
class HostileInputFuzzTest {
    static final long SEED = 20261202L;
    static final int LIMIT_S = 20;

    static ExecutorService worker;
    static String oldProgress;

    @BeforeAll
    static void setUp() {
        worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-worker");
            t.setDaemon(true);
            return t;
        });
        oldProgress = System.getProperty("atlas.progress");
        System.setProperty("atlas.progress", "none");
    }

    @AfterAll
    static void tearDown() {
        worker.shutdownNow();
        if (oldProgress == null) System.clearProperty("atlas.progress");
        else System.setProperty("atlas.progress", oldProgress);
    }

    record Outcome(int code, String err) {}

    /** Tallies per family and the problems found. */
    static final class Tally {
        final Map<String, Map<Integer, Integer>> codes = new TreeMap<>();
        final List<String> problems = new ArrayList<>();
        int tried;

        void check(String family, String what, boolean invalid, Outcome o) {
            tried++;
            codes.computeIfAbsent(family, k -> new TreeMap<>()).merge(o.code(), 1, Integer::sum);
            String tag = family + " [" + what + "]: ";
            if (o.code() == Integer.MIN_VALUE) { problems.add(tag + "still running after " + LIMIT_S + " s"); return; }
            if (o.code() != 0 && o.code() != 2 && o.code() != 3) problems.add(tag + "exit " + o.code() + ": " + firstLines(o.err()));
            if (invalid && o.code() == 0) problems.add(tag + "invalid input accepted (exit 0)");
            if (o.code() != 0) {
                String msg = oneLineProblem(o.err());
                if (msg != null) problems.add(tag + msg + ": " + firstLines(o.err()));
            }
        }

        void problem(String p) { problems.add(p); }

        String summary() {
            StringBuilder sb = new StringBuilder("hostile inputs tried: " + tried);
            codes.forEach((f, m) -> sb.append("\n  ").append(f).append(": ").append(m));
            return sb.toString();
        }
    }

    /** Null when {@code err} is one {@code atlas: } line (plus picocli's usage hint), else what is wrong with it. */
    static String oneLineProblem(String err) {
        List<String> lines = err.strip().lines().toList();
        if (lines.isEmpty()) return "no message";
        if (!lines.get(0).startsWith("atlas: ")) return "message does not start with 'atlas: '";
        if (lines.size() > 2 || (lines.size() == 2 && !lines.get(1).startsWith("Try 'atlas"))) return "more than one line";
        String l = lines.get(0);
        for (String bad : new String[]{"Exception", "\tat ", "com.fasterxml", "jackson", "Jackson", "JsonNode", "java.lang", "java.io", "Source:"})
            if (l.contains(bad)) return "message contains '" + bad + "'";
        return null;
    }

    static String firstLines(String s) {
        String t = s.strip();
        return t.length() > 300 ? t.substring(0, 300) + "..." : t;
    }

    static Outcome atlas(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        Future<Integer> f = worker.submit(() -> AtlasCommand.newCommandLine(new PrintWriter(out), new PrintWriter(err)).execute(args));
        try {
            return new Outcome(f.get(LIMIT_S, TimeUnit.SECONDS), err.toString());
        } catch (TimeoutException e) {
            f.cancel(true);
            // the worker may still be busy: give later inputs a fresh one
            worker.shutdownNow();
            worker = Executors.newSingleThreadExecutor();
            return new Outcome(Integer.MIN_VALUE, err.toString());
        } catch (Exception e) {
            return new Outcome(99, "test harness: " + e);
        }
    }

    // ------------------------------------------------------------------ models

    static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /**
     * The independent validity check: null if {@code text} is a relu-atlas-model/1 file by the README's
     * description, else why not. Written from the format's description, not from the reader's code.
     */
    static String whyInvalid(String text) {
        JsonNode root;
        try {
            root = STRICT.readTree(text);
        } catch (Exception e) {
            return "not one JSON object";
        }
        if (root == null || !root.isObject()) return "not an object";
        if (!onlyFields(root, "format", "input_dim", "layers")) return "unknown field";
        if (!root.path("format").isTextual() || !root.get("format").asText().equals("relu-atlas-model/1")) return "format";
        JsonNode in = root.get("input_dim");
        if (in == null || !in.isIntegralNumber() || !in.canConvertToInt() || in.intValue() < 1) return "input_dim";
        JsonNode layers = root.get("layers");
        if (layers == null || !layers.isArray() || layers.isEmpty()) return "layers";
        List<Integer> sizes = new ArrayList<>(List.of(in.intValue()));
        int i = 0;
        for (JsonNode l : layers) {
            i++;
            if (!l.isObject()) return "layer not an object";
            if (!onlyFields(l, "weights", "bias", "activation", "leak", "skips")) return "unknown layer field";
            int[] shape = matrixShape(l.get("weights"));
            if (shape == null || shape[1] != sizes.get(sizes.size() - 1)) return "weights";
            int rows = shape[0];
            JsonNode b = l.get("bias");
            if (b != null && (!b.isArray() || b.size() != rows || !allFinite(b))) return "bias";
            JsonNode a = l.get("activation");
            if (a == null || !a.isTextual() || !Set.of("relu", "leaky_relu", "identity").contains(a.asText())) return "activation";
            JsonNode leak = l.get("leak");
            if (leak != null && !leak.isNull() && (!leak.isNumber() || !Double.isFinite(leak.asDouble()))) return "leak";
            JsonNode skips = l.get("skips");
            if (skips != null && !skips.isNull()) {
                if (!skips.isArray()) return "skips";
                for (JsonNode s : skips) {
                    if (!s.isObject() || !onlyFields(s, "from", "weights")) return "skip";
                    JsonNode from = s.get("from");
                    if (from == null || !from.isIntegralNumber() || !from.canConvertToInt() || from.intValue() < 0 || from.intValue() >= i) return "skip from";
                    int fromSize = sizes.get(from.intValue());
                    JsonNode w = s.get("weights");
                    if (w == null || w.isNull()) {
                        if (fromSize != rows) return "identity skip size";
                    } else {
                        int[] ps = matrixShape(w);
                        if (ps == null || ps[0] != rows || ps[1] != fromSize) return "skip weights";
                    }
                }
            }
            sizes.add(rows);
        }
        return null;
    }

    private static boolean onlyFields(JsonNode o, String... known) {
        for (var it = o.fieldNames(); it.hasNext(); ) if (!Set.of(known).contains(it.next())) return false;
        return true;
    }

    private static int[] matrixShape(JsonNode w) {
        if (w == null || !w.isArray() || w.isEmpty()) return null;
        int cols = -1;
        for (JsonNode row : w) {
            if (!row.isArray() || row.isEmpty() || !allFinite(row)) return null;
            if (cols >= 0 && row.size() != cols) return null;
            cols = row.size();
        }
        return new int[]{w.size(), cols};
    }

    private static boolean allFinite(JsonNode a) {
        for (JsonNode x : a) if (!x.isNumber() || !Double.isFinite(x.asDouble())) return false;
        return true;
    }

    /** Seed models: a leaky net with a projected skip (the README's example), a deeper relu net, an identity skip. */
    static List<String> seedModels() {
        String readme = "{\"format\": \"relu-atlas-model/1\",\n \"input_dim\": 2,\n \"layers\": [\n"
                + "   {\"weights\": [[1.0, -2.0], [0.5, 0.5]], \"bias\": [0.1, 0.0], \"activation\": \"leaky_relu\", \"leak\": 0.01},\n"
                + "   {\"weights\": [[1.0, 1.0]], \"bias\": [0.0], \"activation\": \"identity\",\n"
                + "    \"skips\": [{\"from\": 0, \"weights\": [[0.3, 0.0]]}]}\n ]}\n";
        String deep = ModelFormat.toJson(Networks.kaiming(5, 2, new int[]{3, 3}, 1, Activation.RELU, 0, 0.1));
        Network id = new Network(2, List.of(
                new DenseLayer(2, 2, new double[]{1, -1, 0.5, 2}, new double[]{0.1, -0.2}, Activation.RELU, 0),
                new DenseLayer(2, 2, new double[]{0.3, 0.7, -1, 1}, new double[]{0, 0.05}, Activation.RELU, 0, List.of(Skip.identity(0))),
                new DenseLayer(2, 1, new double[]{1, -1}, new double[]{0}, Activation.IDENTITY, 0)));
        return List.of(readme, deep, ModelFormat.toJson(id));
    }

    static final String ALPHABET = "{}[]\",:0123456789eE.-+ \n\tnaxyzNIf\u0000\u00e9";

    static final List<JsonNode> HOSTILE_VALUES;
    static {
        JsonNodeFactory f = JsonNodeFactory.instance;
        HOSTILE_VALUES = List.of(f.numberNode(1e308), f.numberNode(-1e308), f.numberNode(1e155), f.numberNode(-3e200),
                f.numberNode(4294967298L), f.numberNode(-1), f.numberNode(0), f.numberNode(2.5), f.numberNode(1e-320),
                f.numberNode(new BigInteger("100000000000000000000000000000000000000002")), f.textNode("x"), f.textNode("2"),
                f.nullNode(), f.booleanNode(true), f.arrayNode(), f.objectNode(), f.arrayNode().add(f.arrayNode()),
                f.numberNode(Double.NaN), f.numberNode(Double.POSITIVE_INFINITY));
    }

    /** One mutation of {@code text}; the description names it. */
    static String[] mutate(String text, Random rnd) throws Exception {
        int op = rnd.nextInt(8);
        switch (op) {
            case 0 -> {
                int end = text.lastIndexOf('}');
                int p = rnd.nextInt(end);
                return new String[]{text.substring(0, p), "truncated at " + p};
            }
            case 1 -> {
                String[] tails = {" xyz", text, " {}", " ]", "\u0000", ",", "\"", " 1"};
                String t = tails[rnd.nextInt(tails.length)];
                return new String[]{text + t, "trailing content"};
            }
            case 2 -> {
                int p = rnd.nextInt(text.length());
                char c = ALPHABET.charAt(rnd.nextInt(ALPHABET.length()));
                return new String[]{text.substring(0, p) + c + text.substring(p + 1), "char " + p + " -> " + (int) c};
            }
            case 3 -> {
                int p = rnd.nextInt(text.length() + 1);
                char c = ALPHABET.charAt(rnd.nextInt(ALPHABET.length()));
                return new String[]{text.substring(0, p) + c + text.substring(p), "insert " + (int) c + " at " + p};
            }
            case 4 -> {
                int p = rnd.nextInt(text.length());
                return new String[]{text.substring(0, p) + text.substring(p + 1), "delete " + p};
            }
            default -> {
                ObjectNode root = (ObjectNode) STRICT.readTree(text);
                List<JsonNode> containers = new ArrayList<>();
                collect(root, containers);
                JsonNode c = containers.get(rnd.nextInt(containers.size()));
                String what;
                if (c instanceof ObjectNode o) {
                    List<String> names = new ArrayList<>();
                    o.fieldNames().forEachRemaining(names::add);
                    String name = names.get(rnd.nextInt(names.size()));
                    if (rnd.nextInt(4) == 0) { o.remove(name); what = "remove " + name; }
                    else { JsonNode v = HOSTILE_VALUES.get(rnd.nextInt(HOSTILE_VALUES.size())); o.set(name, v); what = name + " = " + v; }
                } else {
                    ArrayNode a = (ArrayNode) c;
                    int k = rnd.nextInt(a.size());
                    int kind = rnd.nextInt(3);
                    if (kind == 0) { a.remove(k); what = "remove element " + k; }
                    else if (kind == 1) { a.add(a.get(k).deepCopy()); what = "append a copy of element " + k; }
                    else { JsonNode v = HOSTILE_VALUES.get(rnd.nextInt(HOSTILE_VALUES.size())); a.set(k, v); what = "element " + k + " = " + v; }
                }
                // NaN and Infinity are written as the literals the reader accepts, so that they reach the check
                return new String[]{root.toString().replace("\"NaN\"", "NaN").replace("\"Infinity\"", "Infinity"), what};
            }
        }
    }

    private static void collect(JsonNode n, List<JsonNode> out) {
        if ((n.isObject() || n.isArray()) && !n.isEmpty()) out.add(n);
        for (Iterator<JsonNode> it = n.elements(); it.hasNext(); ) collect(it.next(), out);
    }

    static String[] commandFor(int k, Path model) {
        String m = model.toString();
        return switch (k % 4) {
            case 0 -> new String[]{"regions", m, "--json"};
            case 1 -> new String[]{"point", m, "--x", "0.3,0.6", "--json"};
            case 2 -> new String[]{"line", m, "--from", "0,0", "--to", "1,1", "--json"};
            default -> new String[]{"enumerate", m, "--box", "0,1", "--max-regions", "200", "--json", "--no-progress"};
        };
    }

    @Test
    void hostileInputsGetOneLineErrorsAndNeverPass(@TempDir Path dir) throws Exception {
        Random rnd = new Random(SEED);
        Tally t = new Tally();
        List<String> seeds = seedModels();
        for (String s : seeds) assertThat(whyInvalid(s)).as("the seed models are valid").isNull();

        // 1. relu-atlas JSON models
        int validMutants = 0;
        for (int k = 0; k < 520; k++) {
            String seed = seeds.get(k % seeds.size());
            String[] m = mutate(seed, rnd);
            Path f = dir.resolve("m" + k + ".json");
            Files.writeString(f, m[0], StandardCharsets.UTF_8);
            String why = whyInvalid(m[0]);
            if (why == null) validMutants++;
            t.check("json model", m[1] + (why == null ? "" : ", invalid: " + why), why != null, atlas(commandFor(k, f)));
            Files.delete(f);
        }

        // 2. ONNX and safetensors bytes: truncations must fail; flipped bytes may still be a model, but must not crash
        Network net = Networks.kaiming(7, 2, new int[]{4, 3}, 1, Activation.RELU, 0, 0.1);
        for (String ext : new String[]{"onnx", "safetensors"}) {
            Path good = dir.resolve("good." + ext);
            ModelFiles.write(net, good, DType.F32);
            byte[] bytes = Files.readAllBytes(good);
            assertThat(atlas("regions", good.toString(), "--json").code()).isZero();
            for (int k = 0; k < 60; k++) {
                byte[] b;
                String what;
                boolean invalid;
                if (k % 3 == 0) {
                    int n = rnd.nextInt(bytes.length);
                    b = Arrays.copyOf(bytes, n);
                    what = "truncated to " + n;
                    invalid = true;
                } else {
                    b = bytes.clone();
                    int flips = 1 + rnd.nextInt(3);
                    for (int j = 0; j < flips; j++) b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
                    what = flips + " random bytes";
                    invalid = false;
                }
                Path f = dir.resolve("b" + k + "." + ext);
                Files.write(f, b);
                t.check(ext, what, invalid, atlas(commandFor(k, f)));
                Files.delete(f);
            }
        }

        // 3. images for train: truncated, corrupted and non-image files (invalid unless the JDK's decoder still reads them)
        BufferedImage img = new BufferedImage(24, 24, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 24; y++) for (int x = 0; x < 24; x++) img.setRGB(x, y, (x * 10) << 8 | y * 10);
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        ImageIO.write(img, "png", png);
        byte[] pngBytes = png.toByteArray();
        for (int k = 0; k < 40; k++) {
            byte[] b;
            String what;
            if (k == 0) { b = new byte[0]; what = "empty"; }
            else if (k == 1) { b = "{\"format\": \"relu-atlas-model/1\"}".getBytes(StandardCharsets.UTF_8); what = "JSON text"; }
            else if (k % 2 == 0) { int n = rnd.nextInt(pngBytes.length); b = Arrays.copyOf(pngBytes, n); what = "truncated to " + n; }
            else { b = pngBytes.clone(); for (int j = 0; j < 4; j++) b[rnd.nextInt(Math.min(64, b.length))] = (byte) rnd.nextInt(256); what = "header bytes changed"; }
            boolean decodes;
            try { decodes = ImageIO.read(new ByteArrayInputStream(b)) != null; } catch (Exception | Error e) { decodes = false; }
            Path f = dir.resolve("i" + k + ".png");
            Files.write(f, b);
            t.check("image", what, !decodes, atlas("train", "--image", f.toString(), "--points", "50", "--validation", "10",
                    "--shape", "1x3", "--epochs", "1", "--every", "0", "--no-frames", "--out", dir.resolve("run" + k).toString()));
            Files.delete(f);
        }

        // 4. IDX files: a changed header byte, truncation or extra bytes is a one-line BadInputException from the reader
        byte[] pixels = new byte[3 * 5 * 4];
        rnd.nextBytes(pixels);
        Path goodIdx = dir.resolve("good-idx3-ubyte");
        Idx.writeImages(goodIdx, 3, 5, 4, pixels);
        byte[] idx = Files.readAllBytes(goodIdx);
        for (int k = 0; k < 60; k++) {
            byte[] b;
            String what;
            if (k % 3 == 0) { int n = rnd.nextInt(idx.length); b = Arrays.copyOf(idx, n); what = "truncated to " + n; }
            else if (k % 3 == 1) { b = idx.clone(); int p = rnd.nextInt(16); b[p] = (byte) (b[p] ^ (1 + rnd.nextInt(255))); what = "header byte " + p; }
            else { b = Arrays.copyOf(idx, idx.length + 1 + rnd.nextInt(9)); what = "extra bytes"; }
            Path f = dir.resolve("x" + k + "-idx3-ubyte");
            Files.write(f, b);
            Outcome o;
            try {
                Idx.readImages(f);
                o = new Outcome(0, "");
            } catch (BadInputException e) {
                o = new Outcome(2, "atlas: " + e.getMessage());
            } catch (Throwable e) {
                o = new Outcome(4, e.toString());
            }
            t.check("idx", what, true, o);
            Files.delete(f);
        }

        // 5. plane files (regions --plane FILE, 3 inputs) and polytope files (enumerate --polytope FILE): a truncated
        //    file or content after the object is invalid; other mutations may leave a usable file but must not crash
        Path net3 = dir.resolve("net3.json");
        ModelFormat.write(Networks.kaiming(3, 3, new int[]{4}, 1, Activation.RELU, 0, 0.1), net3);
        String[] planes = {"{\"points\": [[0, 0, 0], [1, 0, 0], [0, 1, 0.5]]}", "{\"origin\": [0, 0, 0], \"directions\": [[1, 0, 0], [0, 1, 0]]}"};
        String polytope = "{\"A\": [[-1, 0, 0], [0, -1, 0], [0, 0, -1], [1, 1, 1]], \"b\": [0, 0, 0, 1]}";
        for (int k = 0; k < 160; k++) {
            boolean plane = k % 2 == 0;
            String[] mu = mutate(plane ? planes[(k / 2) % 2] : polytope, rnd);
            Path f = dir.resolve("p" + k + ".json");
            Files.writeString(f, mu[0], StandardCharsets.UTF_8);
            boolean invalid = mu[1].startsWith("truncated") || mu[1].equals("trailing content");
            String[] args = plane ? new String[]{"regions", net3.toString(), "--plane", f.toString(), "--json"}
                    : new String[]{"enumerate", net3.toString(), "--polytope", f.toString(), "--max-regions", "100", "--json", "--no-progress"};
            t.check(plane ? "plane file" : "polytope file", mu[1], invalid, atlas(args));
            Files.delete(f);
        }

        // 6. flag values: each (command, flag, value) below is invalid by the command's documented meaning
        Path model = dir.resolve("model.json");
        Files.writeString(model, seeds.get(0));
        String m = model.toString();
        String[] badNumbers = {"", " ", "NaN", "Infinity", "-Infinity", "1e309", "abc", "0x10", ",", "1,,2", "--", "1e", "\u0000"};
        String[][] bases = {
                {"regions", m, "--domain"}, {"line", m, "--to", "1,1", "--from"}, {"line", m, "--from", "0,0", "--to"},
                {"point", m, "--x"}, {"enumerate", m, "--no-progress", "--box"}, {"fold", m, "--to", "1,1", "--from"},
                {"stats", m, "--no-progress", "--box"}, {"regions", m, "--size"}, {"regions", m, "--side-eps"},
                {"fold", m, "--from", "0,0", "--to", "1,1", "--samples"}, {"enumerate", m, "--box", "0,1", "--no-progress", "--max-regions"},
                {"train", "--image", "ring", "--image-size", "32", "--points", "50", "--validation", "10", "--no-frames", "--every", "0", "--epochs"},
                {"train", "--image", "ring", "--image-size", "32", "--points", "50", "--validation", "10", "--no-frames", "--every", "0", "--epochs", "1", "--lr"},
                {"train", "--image", "ring", "--image-size", "32", "--points", "50", "--validation", "10", "--no-frames", "--every", "0", "--epochs", "1", "--shape"},
                {"tropical", "--random"}, {"bench", "predict", "--points", "100", "--shapes"},
                {"bench", "enumerate", "--dims", "2", "--widths", "3", "--time-limit", "1", "--half-widths"},
                {"cantor", "--level"},
        };
        for (String[] base : bases)
            for (String v : badNumbers) {
                String[] args = Arrays.copyOf(base, base.length + 1);
                args[base.length] = v;
                if (base[0].equals("train")) args = withOut(args, dir.resolve("flagrun").toString());
                t.check("flags", String.join(" ", args).replace(m, "MODEL"), true, atlas(args));
            }
        // values of the right form that are out of range or inconsistent
        String[][] bad = {
                {"regions", m, "--domain", "0,1,1,0"}, {"regions", m, "--domain", "0,1,0"}, {"regions", m, "--domain", "-1e308,1e308,0,1"},
                {"regions", m, "--domain", "0,1e-300,0,1"}, {"regions", m, "--domain", "0,1e308,0,1"}, {"regions", m, "--size", "0"},
                {"regions", m, "--size", "100000"}, {"regions", m, "--size", "2147483648"}, {"regions", m, "--side-eps", "-1"},
                {"regions", m, "--shade", "rainbow"}, {"regions", m, "--plane", "random:x"}, {"regions", m, "--plane", "/dev/null"},
                {"line", m, "--from", "0,0", "--to", "0,0"}, {"line", m, "--from", "0,0,0", "--to", "1,1"},
                {"point", m, "--x", "0.1,0.2,0.3"}, {"point", m, "--x", "1e200,0"}, {"enumerate", m, "--box", "1,0", "--no-progress"},
                {"enumerate", m, "--box", "0,1", "--max-regions", "0", "--no-progress"}, {"enumerate", m, "--box", "0,1", "--threads", "-2", "--no-progress"},
                {"fold", m, "--from", "0,0", "--to", "1,1", "--samples", "1"}, {"fold", m, "--from", "0,0", "--to", "1,1", "--samples", "1e12"},
                {"tropical", "--random", "2-0-1"}, {"tropical", "--random", "2-100000000-1"}, {"cantor", "--level", "-1"}, {"cantor", "--level", "99"},
                {"bench", "predict", "--shapes", "0x8"}, {"bench", "enumerate", "--dims", "2,3", "--half-widths", "1"},
                {"regions", dir.resolve("missing.json").toString()}, {"regions", dir.toString()}, {"regions", "/dev/null"},
                {"regions", m, "--unknown-flag"}, {"nonsense-command"},
        };
        for (String[] args : bad) t.check("flags", String.join(" ", args).replace(m, "MODEL"), true, atlas(args));

        System.out.println(t.summary());
        System.out.println("json mutants that the independent check calls valid (exit 0 or 3 allowed): " + validMutants);
        t.problems.forEach(p -> System.out.println("PROBLEM " + p));
        assertThat(t.problems).as("hostile inputs handled badly").isEmpty();
        assertThat(t.tried).isGreaterThan(1100);
    }

    private static String[] withOut(String[] args, String out) {
        String[] a = Arrays.copyOf(args, args.length + 2);
        a[args.length] = "--out";
        a[args.length + 1] = out;
        return a;
    }
}
