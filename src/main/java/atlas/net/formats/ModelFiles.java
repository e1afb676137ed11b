package atlas.net.formats;

import atlas.io.AtomicFiles;
import atlas.net.ModelException;
import atlas.net.ModelFormat;
import atlas.net.Network;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The one door through which models come in and go out: picks the format by content (a zip archive is a
 * torch.save file, a plausible safetensors header is safetensors, JSON text is relu-atlas-model/1) or by the
 * file name ({@code .onnx}, {@code .pt}, {@code .pth}, {@code .safetensors}, {@code .json}). Every error is a
 * one-line {@link ModelException} prefixed with the file name; nothing is returned half-loaded.
 */
public final class ModelFiles {
    /** The largest model file read (a bound against reading something that is not a model). */
    public static final long MAX_BYTES = 2L << 30;

    public enum Kind {
        ATLAS_JSON("relu-atlas-model JSON"), ONNX("ONNX"), SAFETENSORS("safetensors"), TORCH("PyTorch state_dict");

        private final String description;

        Kind(String description) { this.description = description; }

        public String description() { return description; }
    }

    private ModelFiles() {}

    /** Reads any supported model file. */
    public static Network read(Path file, ImportOptions options) {
        Kind kind = probe(file);
        if (kind == Kind.ATLAS_JSON) return readJson(file).network();
        try {
            return switch (kind) {
                case ATLAS_JSON -> throw new IllegalStateException();
                case SAFETENSORS -> {
                    Safetensors.Contents c = Safetensors.read(file);
                    yield LinearStack.toNetwork(c.tensors(), c.metadata(), LinearStack.Order.NATURAL_NAME, options);
                }
                case TORCH -> LinearStack.toNetwork(TorchZip.read(file), java.util.Map.of(), LinearStack.Order.FILE, options);
                case ONNX -> {
                    try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
                        yield OnnxReader.read(in);
                    } catch (IOException e) {
                        throw new ModelException("cannot read: " + e.getMessage());
                    }
                }
            };
        } catch (ModelException e) {
            throw new ModelException(file.getFileName() + " (" + kind.description() + "): " + e.getMessage(), e);
        } catch (OutOfMemoryError e) {
            throw new ModelException(file.getFileName() + " (" + kind.description() + "): too large to lower in this JVM's memory (raise -Xmx)");
        }
    }

    /** The checks every read starts with (there, a file, not too large, not empty), then its format. */
    private static Kind probe(Path file) {
        long size;
        byte[] head = new byte[16];
        int got;
        try (InputStream in = Files.newInputStream(file)) {
            size = Files.size(file);
            got = in.readNBytes(head, 0, head.length);
        } catch (NoSuchFileException e) {
            throw new ModelException("model file not found: " + file);
        } catch (IOException e) {
            throw new ModelException("cannot read model file " + file + ": " + e.getMessage());
        }
        if (Files.isDirectory(file)) throw new ModelException("model file " + file + " is a folder");
        if (size > MAX_BYTES) throw new ModelException(file.getFileName() + ": " + size + " bytes, more than the " + (MAX_BYTES >> 30) + " GiB a model may have");
        if (size == 0) throw new ModelException(file.getFileName() + ": the file is empty");
        byte[] h = java.util.Arrays.copyOf(head, got);
        return detect(file, h, size);
    }

    /**
     * A model with, where it has one, its layers as written: what {@code atlas convert} reads, so that a CNN
     * stays a CNN in the file it writes.
     *
     * @param network   the network the engines run
     * @param structure the layers as written (relu-atlas-model/2 files, ONNX graphs /2 can hold), else null
     * @param whyNot    for an ONNX graph without a /2 form: why (one line); else null
     */
    public record Loaded(Network network, StructuredModel structure, String whyNot) {}

    /** Reads any supported model file, keeping its structure where the format has one (JSON /2, ONNX). */
    public static Loaded readStructured(Path file, ImportOptions options) {
        Kind kind = probe(file);
        if (kind == Kind.ATLAS_JSON) return readJson(file);
        if (kind != Kind.ONNX) return new Loaded(read(file, options), null, null);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            OnnxReader.Imported imp = OnnxReader.readWithStructure(in);
            return new Loaded(imp.network(), imp.structure(), imp.whyNot());
        } catch (IOException e) {
            throw new ModelException(file.getFileName() + " (" + kind.description() + "): cannot read: " + e.getMessage());
        } catch (ModelException e) {
            throw new ModelException(file.getFileName() + " (" + kind.description() + "): " + e.getMessage(), e);
        } catch (OutOfMemoryError e) {
            throw new ModelException(file.getFileName() + " (" + kind.description() + "): too large to lower in this JVM's memory (raise -Xmx)");
        }
    }

    /** A relu-atlas JSON file: /1 or /2 by its {@code format} field. Errors name the file. */
    private static Loaded readJson(Path file) {
        com.fasterxml.jackson.databind.JsonNode root = ModelFormat.readTree(file); // its messages name the file
        try {
            if (ModelFormat.FORMAT_2.equals(root.path("format").asText())) {
                StructuredModel m = StructuredJson.parse(root);
                return new Loaded(m.lower(), m, null);
            }
            return new Loaded(ModelFormat.fromTree(root), null, null);
        } catch (ModelException e) {
            throw new ModelException(file.getFileName() + ": " + e.getMessage(), e);
        } catch (OutOfMemoryError e) {
            throw new ModelException(file.getFileName() + ": too large to lower in this JVM's memory (raise -Xmx)");
        }
    }

    /** The format of a file from its first bytes and, where those do not decide, its name. */
    public static Kind detect(Path file, byte[] head, long size) {
        String ext = extension(file);
        if (head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) return Kind.TORCH;
        if (Safetensors.sniff(head, size)) return Kind.SAFETENSORS;
        switch (ext) {
            case "onnx" -> { return Kind.ONNX; }
            case "pt", "pth" -> throw new ModelException(file.getFileName() + ": not a zip archive, so not a torch.save file from PyTorch 1.6 or later");
            case "safetensors" -> throw new ModelException(file.getFileName() + ": no safetensors header (8-byte length, then JSON)");
            default -> { }
        }
        int k = 0;
        while (k < head.length && Character.isWhitespace(head[k])) k++;
        if (k < head.length && head[k] == '{') return Kind.ATLAS_JSON;
        if (head.length > 0 && head[0] == 0x08 && !ext.equals("json")) return Kind.ONNX; // protobuf field 1 (ir_version), varint
        return Kind.ATLAS_JSON; // the JSON reader names what is wrong (not UTF-8, malformed JSON, ...)
    }

    /** The format a file name asks for when writing. */
    public static Kind kindForWriting(Path file) {
        return switch (extension(file)) {
            case "json" -> Kind.ATLAS_JSON;
            case "onnx" -> Kind.ONNX;
            case "safetensors" -> Kind.SAFETENSORS;
            case "pt", "pth" -> throw new ModelException(file.getFileName() + ": writing torch.save files is not supported; write .safetensors (safetensors.torch.load_file reads it) or .onnx");
            default -> throw new ModelException(file.getFileName() + ": cannot tell the format from the name (use .json, .onnx or .safetensors)");
        };
    }

    /**
     * Writes a model in the format its file name names, atomically. A model with structured layers (conv,
     * batch-norm, pools) is written as such to JSON (relu-atlas-model/2) and ONNX (Conv, BatchNormalization,
     * ... nodes); a plain dense one, or one without a structure, as its dense layers (JSON /1).
     */
    public static void write(Loaded model, Path file, DType dtype) {
        StructuredModel s = model.structure();
        if (s == null || !s.hasStructuredLayers()) { write(model.network(), file, dtype); return; }
        switch (kindForWriting(file)) {
            case ATLAS_JSON -> StructuredJson.write(s, file);
            case ONNX -> {
                byte[] bytes = s.toOnnx(dtype).toByteArray();
                AtomicFiles.write(file, (OutputStream out) -> out.write(bytes));
            }
            default -> write(model.network(), file, dtype);
        }
    }

    /** Writes a network in the format its file name names, atomically. */
    public static void write(Network net, Path file, DType dtype) {
        switch (kindForWriting(file)) {
            case ATLAS_JSON -> ModelFormat.write(net, file);
            case ONNX -> {
                byte[] bytes = OnnxWriter.toModel(net, dtype).toByteArray();
                AtomicFiles.write(file, (OutputStream out) -> out.write(bytes));
            }
            case SAFETENSORS -> Safetensors.write(file, LinearStack.toTensors(net, dtype), LinearStack.metadata(net));
            default -> throw new IllegalStateException();
        }
    }

    private static String extension(Path file) {
        String n = file.getFileName() == null ? "" : file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
