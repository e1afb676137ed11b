package atlas.net.formats;

import atlas.net.Activation;
import atlas.net.DenseLayer;
import atlas.net.ModelException;
import atlas.net.Network;
import atlas.net.Skip;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A plain stack of Linear layers from a weights-only file (state_dict or safetensors): tensors named
 * {@code <prefix>.weight} ([out, in]) and optionally {@code <prefix>.bias} ([out]), one prefix per layer.
 * A file of weights has no graph, so anything else (a 4-D conv kernel, batch-norm statistics) is refused
 * with a message that asks for ONNX. Our own safetensors exports carry the activations in their metadata.
 */
final class LinearStack {
    static final String META_FORMAT = "format";
    static final String META_ACTIVATIONS = "relu_atlas.activations";
    static final String META_LEAKS = "relu_atlas.leaks";
    static final String META_LAYERS = "relu_atlas.layers";
    static final String FORMAT_VALUE = "relu-atlas-model/1 dense stack";

    private static final String ASK_FOR_GRAPH =
            "a weights file has no graph, so only a plain stack of Linear layers can be read from it; export the model with torch.onnx.export and give the .onnx file";

    private LinearStack() {}

    /** How the layer order is decided when the file has no relu_atlas.layers metadata. */
    enum Order { FILE, NATURAL_NAME }

    static Network toNetwork(List<Tensor> tensors, Map<String, String> metadata, Order order, ImportOptions opts) {
        Map<String, Tensor[]> byPrefix = new LinkedHashMap<>();
        for (Tensor t : tensors) {
            String n = t.name();
            String prefix;
            int slot;
            if (n.equals("weight") || n.endsWith(".weight")) { prefix = n.substring(0, n.length() - "weight".length()); slot = 0; }
            else if (n.equals("bias") || n.endsWith(".bias")) { prefix = n.substring(0, n.length() - "bias".length()); slot = 1; }
            else throw new ModelException("tensor '" + n + "' " + Arrays.toString(t.shape()) + " is not a Linear weight or bias: " + ASK_FOR_GRAPH);
            Tensor[] pair = byPrefix.computeIfAbsent(prefix, k -> new Tensor[2]);
            if (pair[slot] != null) throw new ModelException("tensor '" + n + "' appears twice");
            pair[slot] = t;
        }
        if (byPrefix.isEmpty()) throw new ModelException("the file holds no tensors");
        List<String> prefixes = new ArrayList<>(byPrefix.keySet());
        String layerList = metadata.get(META_LAYERS);
        if (layerList != null) {
            List<String> named = new ArrayList<>();
            for (String p : layerList.split(",", -1)) named.add(p.isEmpty() ? "" : p + ".");
            if (!new java.util.HashSet<>(named).equals(new java.util.HashSet<>(prefixes)))
                throw new ModelException("metadata " + META_LAYERS + " = \"" + layerList + "\" does not name the file's layers " + prefixes);
            prefixes = named;
        } else if (order == Order.NATURAL_NAME) {
            prefixes.sort(NATURAL);
        }
        List<String> acts = metadata.containsKey(META_ACTIVATIONS) ? List.of(metadata.get(META_ACTIVATIONS).split(",", -1)) : null;
        List<String> leaks = metadata.containsKey(META_LEAKS) ? List.of(metadata.get(META_LEAKS).split(",", -1)) : null;
        if (acts != null && acts.size() != prefixes.size())
            throw new ModelException("metadata " + META_ACTIVATIONS + " names " + acts.size() + " activations for " + prefixes.size() + " layers");
        List<DenseLayer> layers = new ArrayList<>();
        int inputDim = -1, prev = -1;
        for (int i = 0; i < prefixes.size(); i++) {
            String p = prefixes.get(i);
            Tensor[] pair = byPrefix.get(p);
            String layerName = p.isEmpty() ? "(top level)" : p.substring(0, p.length() - 1);
            Tensor w = pair[0], b = pair[1];
            if (w == null) throw new ModelException("layer " + layerName + " has a bias but no weight");
            if (w.rank() != 2)
                throw new ModelException("tensor '" + w.name() + "' has shape " + Arrays.toString(w.shape()) + ", not [out, in] (a conv or other non-Linear layer?): " + ASK_FOR_GRAPH);
            int rows = w.dim(0), cols = w.dim(1);
            if (b != null && (b.rank() != 1 || b.dim(0) != rows))
                throw new ModelException("tensor '" + b.name() + "' has shape " + Arrays.toString(b.shape()) + ", expected [" + rows + "]");
            if (i == 0) inputDim = cols;
            else if (cols != prev)
                throw new ModelException("layer " + layerName + " takes " + cols + " inputs but the layer before (in " + (order == Order.FILE ? "file" : "name") + " order) has " + prev + " outputs: " + ASK_FOR_GRAPH);
            Activation act;
            double leak;
            if (acts != null) {
                act = Activation.fromJsonName(acts.get(i));
                if (act == null) throw new ModelException("metadata " + META_ACTIVATIONS + ": unknown activation \"" + acts.get(i) + "\"");
                leak = leaks != null && i < leaks.size() && !leaks.get(i).isEmpty() ? Double.parseDouble(leaks.get(i)) : 0.0;
            } else if (i == prefixes.size() - 1) {
                act = Activation.IDENTITY;
                leak = 0.0;
            } else {
                act = opts.hidden();
                leak = opts.leak();
            }
            layers.add(new DenseLayer(cols, rows, w.data(), b == null ? new double[rows] : b.data(), act, leak));
            prev = rows;
        }
        return new Network(inputDim, layers);
    }

    /** The network as named tensors {@code 0.weight, 0.bias, 2.weight, ...} (nn.Sequential numbering with an activation module between Linears). */
    static List<Tensor> toTensors(Network net, DType dtype) {
        List<Tensor> out = new ArrayList<>();
        for (int i = 1; i <= net.depth(); i++) {
            DenseLayer l = net.layer(i);
            for (Skip s : l.skips())
                throw new ModelException("layer " + i + " has a skip from layer " + s.from() + ": a plain stack of Linear layers cannot hold it; write ONNX or relu-atlas JSON");
            String p = Integer.toString(2 * (i - 1));
            out.add(new Tensor(p + ".weight", new long[]{l.units(), l.inputSize()}, l.weights(), dtype));
            out.add(new Tensor(p + ".bias", new long[]{l.units()}, l.bias(), dtype));
        }
        return out;
    }

    /** Metadata that lets the stack read back with its activations and leaks. */
    static Map<String, String> metadata(Network net) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(META_FORMAT, FORMAT_VALUE);
        StringBuilder acts = new StringBuilder(), leaks = new StringBuilder(), names = new StringBuilder();
        for (int i = 1; i <= net.depth(); i++) {
            String sep = i > 1 ? "," : "";
            acts.append(sep).append(net.layer(i).activation().jsonName());
            leaks.append(sep).append(net.layer(i).activation() == Activation.LEAKY_RELU ? Double.toString(net.layer(i).leak()) : "");
            names.append(sep).append(2 * (i - 1));
        }
        m.put(META_ACTIVATIONS, acts.toString());
        m.put(META_LEAKS, leaks.toString());
        m.put(META_LAYERS, names.toString());
        return m;
    }

    private static final Pattern CHUNK = Pattern.compile("\\d+|\\D+");

    /** Names compared with their digit runs as numbers: {@code fc2 < fc10}, {@code 2. < 10.}. */
    static final Comparator<String> NATURAL = (a, b) -> {
        Matcher ma = CHUNK.matcher(a), mb = CHUNK.matcher(b);
        while (true) {
            boolean ha = ma.find(), hb = mb.find();
            if (!ha || !hb) return Boolean.compare(ha, hb);
            String x = ma.group(), y = mb.group();
            int c;
            if (Character.isDigit(x.charAt(0)) && Character.isDigit(y.charAt(0))) {
                c = new java.math.BigInteger(x).compareTo(new java.math.BigInteger(y));
            } else {
                c = x.compareTo(y);
            }
            if (c != 0) return c;
        }
    };
}
