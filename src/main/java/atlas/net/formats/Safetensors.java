package atlas.net.formats;

import atlas.io.AtomicFiles;
import atlas.net.ModelException;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The safetensors format (huggingface/safetensors): an 8-byte little-endian header length N, N bytes of JSON
 * mapping each tensor name to {@code {"dtype", "shape", "data_offsets": [begin, end]}} (offsets into the data
 * that follows the header) plus an optional {@code "__metadata__"} map of strings, then the raw little-endian
 * tensor data. Floating types F64, F32, F16 and BF16 are read; anything else is a one-line error.
 */
final class Safetensors {
    /** The spec caps the header at 100 MB; a larger length means the file is not safetensors. */
    static final long MAX_HEADER = 100L << 20;

    /** Made on first use, not when a file is only sniffed: an ObjectMapper's set-up costs a short CLI call ~0.1 s. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    private Safetensors() {}

    /** A file's tensors (in the order of their data in the file) and its metadata. */
    public record Contents(List<Tensor> tensors, Map<String, String> metadata) {
        public Contents {
            tensors = List.copyOf(tensors);
            metadata = Map.copyOf(metadata);
        }
    }

    /** True when the first bytes look like a safetensors header (a plausible length, then '{'). */
    static boolean sniff(byte[] head, long fileSize) {
        if (head.length < 9) return false;
        long n = ByteBuffer.wrap(head, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return n >= 2 && n <= MAX_HEADER && n + 8 <= fileSize && head[8] == '{';
    }

    public static Contents read(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) throw new ModelException("not a safetensors file: only " + size + " bytes");
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0);
            long n = lenBuf.getLong(0);
            if (n < 2 || n > MAX_HEADER || n > size - 8)
                throw new ModelException("not a safetensors file: header length " + Long.toUnsignedString(n) + " does not fit the file (" + size + " bytes)");
            ByteBuffer header = ByteBuffer.allocate((int) n);
            readFully(ch, header, 8);
            long dataStart = 8 + n;
            long dataSize = size - dataStart;
            JsonNode root;
            try {
                root = Json.MAPPER.readTree(new String(header.array(), StandardCharsets.UTF_8));
            } catch (JsonProcessingException e) {
                throw new ModelException("safetensors header is not valid JSON: " + atlas.net.ModelFormat.jsonProblem(e));
            }
            if (root == null || !root.isObject()) throw new ModelException("safetensors header is not a JSON object");
            Map<String, String> meta = new LinkedHashMap<>();
            record Entry(String name, DType dtype, long[] shape, long begin, long end) {}
            List<Entry> entries = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                String name = f.getKey();
                JsonNode v = f.getValue();
                if (name.equals("__metadata__")) {
                    if (!v.isObject()) throw new ModelException("safetensors __metadata__ is not an object");
                    v.fields().forEachRemaining(m -> meta.put(m.getKey(), m.getValue().asText()));
                    continue;
                }
                String where = "tensor '" + name + "': ";
                if (!v.isObject()) throw new ModelException(where + "header entry is not an object");
                String dt = v.path("dtype").asText("");
                DType dtype = DType.fromSafetensors(dt);
                if (dtype == null)
                    throw new ModelException(where + "dtype " + (dt.isEmpty() ? "is missing" : dt) + " (supported: F64, F32, F16, BF16)");
                JsonNode sh = v.get("shape"), off = v.get("data_offsets");
                if (sh == null || !sh.isArray()) throw new ModelException(where + "shape is missing");
                if (off == null || !off.isArray() || off.size() != 2 || !off.get(0).canConvertToLong() || !off.get(1).canConvertToLong())
                    throw new ModelException(where + "data_offsets is not a pair of integers");
                long[] shape = new long[sh.size()];
                for (int k = 0; k < shape.length; k++) {
                    if (!sh.get(k).canConvertToLong()) throw new ModelException(where + "shape holds a non-integer");
                    shape[k] = sh.get(k).asLong();
                }
                long count = Tensor.elementCount(shape, name);
                long begin = off.get(0).asLong(), end = off.get(1).asLong();
                if (begin < 0 || end < begin || end > dataSize)
                    throw new ModelException(where + "data_offsets [" + begin + ", " + end + "] lie outside the data (" + dataSize + " bytes)");
                if (end - begin != count * dtype.bytes())
                    throw new ModelException(where + "data_offsets span " + (end - begin) + " bytes, but shape " + Arrays.toString(shape) + " of " + dtype + " needs " + count * dtype.bytes());
                entries.add(new Entry(name, dtype, shape, begin, end));
            }
            entries.sort((a, b) -> Long.compare(a.begin, b.begin));
            List<Tensor> tensors = new ArrayList<>();
            for (Entry e : entries) {
                int bytes = (int) (e.end - e.begin);
                ByteBuffer buf = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
                readFully(ch, buf, dataStart + e.begin);
                double[] data = new double[bytes / e.dtype.bytes()];
                for (int k = 0; k < data.length; k++) data[k] = e.dtype.read(buf, k * e.dtype.bytes());
                tensors.add(new Tensor(e.name, e.shape, data, e.dtype));
            }
            return new Contents(tensors, meta);
        } catch (IOException e) {
            throw new ModelException("cannot read " + file + ": " + e.getMessage());
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            int r = ch.read(buf, pos + buf.position());
            if (r < 0) throw new ModelException("the file ends early");
        }
    }

    /** Writes tensors (each in its own dtype) and metadata, atomically. */
    public static void write(Path file, List<Tensor> tensors, Map<String, String> metadata) {
        byte[] bytes = toBytes(tensors, metadata);
        AtomicFiles.write(file, (OutputStream out) -> out.write(bytes));
    }

    /** The file's bytes: header padded with spaces to a multiple of 8, then the tensors in list order. */
    static byte[] toBytes(List<Tensor> tensors, Map<String, String> metadata) {
        try {
            ByteArrayOutputStream hb = new ByteArrayOutputStream();
            long offset = 0;
            try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(hb)) {
                g.writeStartObject();
                if (!metadata.isEmpty()) {
                    g.writeObjectFieldStart("__metadata__");
                    for (Map.Entry<String, String> m : metadata.entrySet()) g.writeStringField(m.getKey(), m.getValue());
                    g.writeEndObject();
                }
                for (Tensor t : tensors) {
                    g.writeObjectFieldStart(t.name());
                    g.writeStringField("dtype", t.dtype().safetensorsName());
                    g.writeArrayFieldStart("shape");
                    for (long d : t.shape()) g.writeNumber(d);
                    g.writeEndArray();
                    long len = (long) t.data().length * t.dtype().bytes();
                    g.writeArrayFieldStart("data_offsets");
                    g.writeNumber(offset);
                    g.writeNumber(offset + len);
                    g.writeEndArray();
                    g.writeEndObject();
                    offset += len;
                }
                g.writeEndObject();
            }
            while (hb.size() % 8 != 0) hb.write(' ');
            byte[] header = hb.toByteArray();
            ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(8 + header.length + offset)).order(ByteOrder.LITTLE_ENDIAN);
            out.putLong(header.length);
            out.put(header);
            for (Tensor t : tensors) for (double v : t.data()) t.dtype().write(out, v);
            return out.array();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
