package atlas.data.mnist;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * Extracts regular files from a gzip-compressed tar archive (an npm package tarball), keeping only the files whose
 * base name passes a filter and writing them flat into a folder under their base name (so no archive path can
 * escape the folder). Supports the ustar name prefix; links, folders and other entries are skipped.
 */
final class TarGz {
    private TarGz() {}

    static List<Path> extract(Path archive, Path destination, Predicate<String> keepBaseName) throws IOException {
        List<Path> out = new ArrayList<>();
        Files.createDirectories(destination);
        try (InputStream in = new BufferedInputStream(new GZIPInputStream(Files.newInputStream(archive), 1 << 16), 1 << 16)) {
            byte[] header = new byte[512];
            while (true) {
                if (!readFully(in, header)) break;
                boolean zero = true;
                for (byte b : header) if (b != 0) { zero = false; break; }
                if (zero) break; // end-of-archive marker
                String name = string(header, 0, 100);
                String prefix = string(header, 345, 155);
                if (!prefix.isEmpty() && "ustar".equals(string(header, 257, 5))) name = prefix + "/" + name;
                long size = octal(header, 124, 12, archive);
                char type = (char) header[156];
                long padded = (size + 511) / 512 * 512;
                String base = name.substring(name.lastIndexOf('/') + 1);
                if ((type == '0' || type == 0) && !base.isEmpty() && keepBaseName.test(base)) {
                    Path target = destination.resolve(base);
                    try (OutputStream os = Files.newOutputStream(target)) {
                        copy(in, os, size, archive);
                    }
                    skip(in, padded - size, archive);
                    out.add(target);
                } else {
                    skip(in, padded, archive);
                }
            }
        }
        return out;
    }

    private static String string(byte[] h, int off, int len) {
        int end = off;
        while (end < off + len && h[end] != 0) end++;
        return new String(h, off, end - off, StandardCharsets.US_ASCII).trim();
    }

    private static long octal(byte[] h, int off, int len, Path archive) {
        String s = string(h, off, len);
        try {
            return s.isEmpty() ? 0 : Long.parseLong(s, 8);
        } catch (NumberFormatException e) {
            throw new IdxFormatException(archive + " is not a valid tar archive (bad size field '" + s + "')");
        }
    }

    private static boolean readFully(InputStream in, byte[] b) throws IOException {
        int off = 0;
        while (off < b.length) {
            int r = in.read(b, off, b.length - off);
            if (r < 0) {
                if (off == 0) return false;
                throw new IdxFormatException("truncated tar archive");
            }
            off += r;
        }
        return true;
    }

    private static void copy(InputStream in, OutputStream os, long n, Path archive) throws IOException {
        byte[] buf = new byte[1 << 16];
        while (n > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, n));
            if (r < 0) throw new IdxFormatException(archive + " is truncated");
            os.write(buf, 0, r);
            n -= r;
        }
    }

    private static void skip(InputStream in, long n, Path archive) throws IOException {
        while (n > 0) {
            long s = in.skip(n);
            if (s <= 0) {
                if (in.read() < 0) throw new IdxFormatException(archive + " is truncated");
                s = 1;
            }
            n -= s;
        }
    }
}
