package atlas.data.mnist;

import atlas.error.BadInputException;

import atlas.io.AtomicFiles;

import java.io.BufferedInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The IDX format of the MNIST files (LeCun et al.): a big-endian header, then unsigned bytes.
 *
 * <ul>
 *   <li>images: magic {@code 0x00000803} (two zero bytes, type 0x08 = unsigned byte, 3 dimensions), then the
 *       count, the rows and the columns as 32-bit big-endian integers, then {@code count x rows x cols} pixels,
 *       row-major, 0 = background;</li>
 *   <li>labels: magic {@code 0x00000801}, the count, then {@code count} bytes.</li>
 * </ul>
 *
 * <p>Files may be gzip-compressed (detected by their first two bytes, not by the name). Every read checks the
 * magic number, that the dimensions are positive and that the file holds exactly the announced number of bytes:
 * a truncated file and one with trailing bytes both fail with an {@link IdxFormatException} naming the file,
 * the bytes expected and the bytes found. Cost: one pass over the file; the pixels are kept as bytes.
 */
public final class Idx {
    private Idx() {}

    /** Magic number of an unsigned-byte, 3-dimensional IDX file (images). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of an unsigned-byte, 1-dimensional IDX file (labels). */
    public static final int LABELS_MAGIC = 0x00000801;

    /** The largest payload we accept (a Java array's limit, with margin). */
    private static final long MAX_PAYLOAD = Integer.MAX_VALUE - 64L;

    /** Images as read from a file: {@code count} images of {@code rows x cols} bytes, row-major, one after another. */
    public record Images(int count, int rows, int cols, byte[] pixels) {
        public Images {
            if (count < 0 || rows <= 0 || cols <= 0) throw new BadInputException("bad image dimensions " + count + "x" + rows + "x" + cols);
            if (pixels.length != (long) count * rows * cols)
                throw new BadInputException("pixels has " + pixels.length + " bytes, expected " + (long) count * rows * cols);
        }

        /** The pixel array itself (not copied: large). Do not modify. */
        @Override
        public byte[] pixels() { return pixels; }
    }

    /** Reads an image file (plain or gzip). */
    public static Images readImages(Path file) {
        return read(file, true, (in, name, size) -> {
            int[] dims = header(in, name, IMAGES_MAGIC, 3, size);
            long n = (long) dims[0] * dims[1] * dims[2];
            byte[] px = payload(in, name, n, 16, size);
            return new Images(dims[0], dims[1], dims[2], px);
        });
    }

    /** Reads a label file (plain or gzip). */
    public static byte[] readLabels(Path file) {
        return read(file, false, (in, name, size) -> {
            int[] dims = header(in, name, LABELS_MAGIC, 1, size);
            return payload(in, name, dims[0], 8, size);
        });
    }

    /** Writes an uncompressed image file atomically. {@code pixels} is not modified. */
    public static void writeImages(Path file, int count, int rows, int cols, byte[] pixels) {
        new Images(count, rows, cols, pixels); // validates
        AtomicFiles.write(file, os -> {
            DataOutputStream out = new DataOutputStream(os);
            out.writeInt(IMAGES_MAGIC);
            out.writeInt(count);
            out.writeInt(rows);
            out.writeInt(cols);
            out.write(pixels);
            out.flush();
        });
    }

    /** Writes an uncompressed label file atomically. {@code labels} is not modified. */
    public static void writeLabels(Path file, byte[] labels) {
        AtomicFiles.write(file, os -> {
            DataOutputStream out = new DataOutputStream(os);
            out.writeInt(LABELS_MAGIC);
            out.writeInt(labels.length);
            out.write(labels);
            out.flush();
        });
    }

    /** True when the file starts with the gzip magic bytes 1f 8b. */
    static boolean isGzip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    private interface Body<T> {
        /** @param size the uncompressed size when known (plain files), else -1 */
        T read(InputStream in, String name, long size) throws IOException;
    }

    private static <T> T read(Path file, boolean images, Body<T> body) {
        String name = file.toString();
        try {
            if (Files.isDirectory(file)) throw new IdxFormatException(name + " is a folder, not an IDX " + (images ? "image" : "label") + " file");
            boolean gz = isGzip(file);
            try (InputStream raw = Files.newInputStream(file);
                 InputStream in = gz ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16)
                         : new BufferedInputStream(raw, 1 << 16)) {
                T result = body.read(in, name, gz ? -1 : Files.size(file));
                if (gz) {
                    long extra = 0;
                    while (in.read() >= 0) extra++;
                    if (extra > 0) throw new IdxFormatException(name + " has " + extra + " bytes after the announced data (corrupt or not an IDX file)");
                }
                return result;
            }
        } catch (NoSuchFileException e) {
            throw new IdxFormatException(name + " does not exist");
        } catch (ZipException | EOFException e) {
            throw new IdxFormatException(name + " is a corrupt gzip file: " + e.getMessage());
        } catch (IOException e) {
            throw new BadInputException("cannot read " + name + ": " + e.getMessage(), e);
        }
    }

    private static int[] header(InputStream in, String name, int magic, int dims, long size) throws IOException {
        long headerBytes = 4L + 4L * dims;
        int m = readInt(in, name, headerBytes);
        if (m != magic) {
            String what = magic == IMAGES_MAGIC ? "an image file (0x00000803)" : "a label file (0x00000801)";
            String hint = m == IMAGES_MAGIC ? " - this is an image file" : m == LABELS_MAGIC ? " - this is a label file" : "";
            throw new IdxFormatException(name + ": magic number 0x" + String.format("%08x", m) + ", expected " + what + hint);
        }
        if (size >= 0 && size < headerBytes)
            throw new IdxFormatException(name + " is truncated: " + size + " bytes, shorter than the " + headerBytes + "-byte IDX header");
        int[] d = new int[dims];
        for (int k = 0; k < dims; k++) {
            d[k] = readInt(in, name, headerBytes);
            if (d[k] < 0 || (k > 0 && d[k] == 0))
                throw new IdxFormatException(name + ": dimension " + k + " is " + d[k] + " (must be positive)");
        }
        return d;
    }

    private static byte[] payload(InputStream in, String name, long n, int headerBytes, long size) throws IOException {
        if (n > MAX_PAYLOAD) throw new IdxFormatException(name + ": the header announces " + n + " bytes, more than this reader accepts");
        if (size >= 0 && size != headerBytes + n) {
            if (size < headerBytes + n)
                throw new IdxFormatException(name + " is truncated: the header announces " + (headerBytes + n) + " bytes, the file has " + size);
            throw new IdxFormatException(name + " has " + (size - headerBytes - n) + " bytes after the announced data (corrupt or not an IDX file)");
        }
        byte[] b = new byte[(int) n];
        int off = 0;
        while (off < b.length) {
            int r = in.read(b, off, b.length - off);
            if (r < 0) throw new IdxFormatException(name + " is truncated: the header announces " + (headerBytes + n)
                    + " bytes of data, the file ends after " + (headerBytes + off));
            off += r;
        }
        return b;
    }

    private static int readInt(InputStream in, String name, long headerBytes) throws IOException {
        int v = 0;
        for (int k = 0; k < 4; k++) {
            int b = in.read();
            if (b < 0) throw new IdxFormatException(name + " is truncated: it ends inside the " + headerBytes + "-byte IDX header");
            v = (v << 8) | b;
        }
        return v;
    }
}
