package atlas.net.formats;

import atlas.net.ModelException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Reads the tensors of a {@code torch.save} file (PyTorch 1.6+ zip layout: {@code <archive>/data.pkl}, a pickle
 * whose tensors refer by key to raw little-endian storages {@code <archive>/data/<key>}). No Python and no
 * code from the file runs. A state_dict (or a checkpoint dict holding one under {@code state_dict},
 * {@code model_state_dict} or {@code model}) gives its tensors in file order; a pickled module is refused.
 */
final class TorchZip {
    /** The largest pickle or storage entry read (a bound against hostile or wrongly named files). */
    static final long MAX_ENTRY = 1L << 30;

    private TorchZip() {}

    public static List<Tensor> read(Path file) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry pkl = null;
            for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
                ZipEntry e = en.nextElement();
                String n = e.getName();
                if (n.endsWith("data.pkl") && (n.equals("data.pkl") || n.indexOf('/') == n.length() - "data.pkl".length() - 1)) {
                    pkl = e;
                    break;
                }
            }
            if (pkl == null) throw new ModelException("a zip file without data.pkl: not a torch.save file");
            String prefix = pkl.getName().substring(0, pkl.getName().length() - "data.pkl".length());
            ZipEntry order = zip.getEntry(prefix + "byteorder");
            if (order != null) {
                String bo = new String(bytes(zip, order), StandardCharsets.US_ASCII).trim();
                if (!bo.equals("little")) throw new ModelException("storages are " + bo + "-endian; only little-endian files are read");
            }
            Object root = TorchPickle.load(bytes(zip, pkl));
            Map<?, ?> dict = stateDict(root);
            List<Tensor> tensors = new ArrayList<>();
            Map<String, ByteBuffer> storages = new HashMap<>();
            for (Map.Entry<?, ?> e : dict.entrySet()) {
                String name = String.valueOf(e.getKey());
                Object v = e.getValue();
                if (!(v instanceof TorchPickle.TensorRef t))
                    throw new ModelException("entry '" + name + "' is not a tensor (" + describe(v) + "): only a state_dict of tensors is read");
                DType dtype = switch (t.storage().type()) {
                    case "FloatStorage" -> DType.F32;
                    case "DoubleStorage" -> DType.F64;
                    case "HalfStorage" -> DType.F16;
                    case "BFloat16Storage" -> DType.BF16;
                    default -> throw new ModelException("tensor '" + name + "' is stored as " + t.storage().type() + " (supported: float, double, half, bfloat16)");
                };
                ByteBuffer storage = storages.get(t.storage().key());
                if (storage == null) {
                    ZipEntry se = zip.getEntry(prefix + "data/" + t.storage().key());
                    if (se == null) throw new ModelException("tensor '" + name + "': storage data/" + t.storage().key() + " is missing from the archive");
                    storage = ByteBuffer.wrap(bytes(zip, se)).order(ByteOrder.LITTLE_ENDIAN);
                    storages.put(t.storage().key(), storage);
                }
                tensors.add(gather(name, t, dtype, storage));
            }
            return tensors;
        } catch (java.util.zip.ZipException e) {
            throw new ModelException("not a zip archive (" + e.getMessage() + "); torch.save files older than PyTorch 1.6 are not read: re-save with a recent PyTorch");
        } catch (IOException e) {
            throw new ModelException("cannot read " + file + ": " + e.getMessage());
        }
    }

    private static Map<?, ?> stateDict(Object root) {
        if (root instanceof TorchPickle.Call c)
            throw new ModelException("the file pickles a " + describe(c) + " object, not a state_dict: save model.state_dict() (or export ONNX)");
        if (!(root instanceof Map<?, ?> m)) throw new ModelException("the file holds a " + describe(root) + ", not a state_dict");
        boolean anyTensor = m.values().stream().anyMatch(v -> v instanceof TorchPickle.TensorRef);
        if (!anyTensor) {
            for (String k : List.of("state_dict", "model_state_dict", "model")) {
                if (m.get(k) instanceof Map<?, ?> inner) return stateDict(inner);
            }
            throw new ModelException("the file holds no tensors (keys " + m.keySet() + ")");
        }
        return m;
    }

    private static String describe(Object v) {
        if (v == null) return "None";
        if (v instanceof TorchPickle.Call c) return c.callable() instanceof TorchPickle.Global g ? g.qualified() : "call";
        return v.getClass().getSimpleName();
    }

    private static Tensor gather(String name, TorchPickle.TensorRef t, DType dtype, ByteBuffer storage) {
        long[] size = t.size(), stride = t.stride();
        if (size.length != stride.length) throw new ModelException("tensor '" + name + "': size and stride differ in length");
        int n = (int) Tensor.elementCount(size, name);
        long storageElems = storage.capacity() / dtype.bytes();
        double[] data = new double[n];
        long[] idx = new long[size.length];
        for (int k = 0; k < n; k++) {
            long pos = t.offset();
            for (int d = 0; d < size.length; d++) pos += idx[d] * stride[d];
            if (pos < 0 || pos >= storageElems)
                throw new ModelException("tensor '" + name + "': element " + k + " lies outside its storage (" + storageElems + " elements)");
            data[k] = dtype.read(storage, (int) (pos * dtype.bytes()));
            for (int d = size.length - 1; d >= 0; d--) {
                if (++idx[d] < size[d]) break;
                idx[d] = 0;
            }
        }
        return new Tensor(name, size, data, dtype);
    }

    private static byte[] bytes(ZipFile zip, ZipEntry e) throws IOException {
        if (e.getSize() > MAX_ENTRY) throw new ModelException(e.getName() + " is " + e.getSize() + " bytes, more than this reader takes");
        try (InputStream in = zip.getInputStream(e)) {
            byte[] b = in.readNBytes((int) Math.min(MAX_ENTRY + 1, e.getSize() < 0 ? MAX_ENTRY + 1 : e.getSize()));
            if (b.length > MAX_ENTRY) throw new ModelException(e.getName() + " is larger than this reader takes");
            return b;
        }
    }
}
