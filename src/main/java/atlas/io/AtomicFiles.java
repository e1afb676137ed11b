package atlas.io;

import atlas.error.BadInputException;

import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes output files so that a reader never sees half of one.
 *
 * <ul>
 *   <li>A regular file (or a name that does not exist yet) is written to a temporary file
 *       {@code .NAME.atlas-tmp-PID-N} in the same folder, which is then moved over the target. An interrupted
 *       or failed write leaves the old file (or none). A temporary file left by a killed process (kill -9:
 *       no shutdown hook runs) is removed by the next write into that folder once its PID is no longer alive.</li>
 *   <li>A symbolic link is resolved first: the link stays, and its target is replaced (the temporary file goes
 *       into the target's folder, so the move stays within one file system).</li>
 *   <li>Anything else that exists and is not a regular file (a device such as {@code /dev/null} or
 *       {@code /dev/full}, a FIFO, a socket) is written through, never replaced; a write error (no space on
 *       {@code /dev/full}) fails the command.</li>
 *   <li>{@code -} means standard output.</li>
 * </ul>
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** The suffix that marks our temporary files; followed by {@code -PID-N}. */
    public static final String TMP_MARK = ".atlas-tmp-";
    private static final Pattern TMP_NAME = Pattern.compile("^\\..+\\.atlas-tmp-(\\d+)-\\d+$");
    private static final long PID = ProcessHandle.current().pid();
    private static final AtomicLong COUNTER = new AtomicLong();
    /** Folders already swept for stale temporary files in this process (one sweep per folder). */
    private static final Set<Path> SWEPT = ConcurrentHashMap.newKeySet();

    /** Temporary files being written; a shutdown hook (Ctrl-C) deletes them so no debris is left. */
    private static final Set<Path> IN_PROGRESS = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (Path p : IN_PROGRESS) {
                try { Files.deleteIfExists(p); } catch (IOException ignored) { /* best effort at exit */ }
            }
        }, "atomic-files-cleanup"));
    }

    /** Something that writes a whole file's content to a stream. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /** True when {@code target} is {@code -}, standard output. */
    public static boolean isStdout(Path target) {
        return target != null && target.toString().equals("-");
    }

    /**
     * Writes {@code target} with {@code writer} as described in the class comment; creates missing parent
     * folders of a new regular file. Errors are a {@link BadInputException} with a one-line message.
     */
    public static void write(Path target, Writer writer) {
        if (isStdout(target)) {
            writeStdout(writer);
            return;
        }
        Path abs = target.toAbsolutePath();
        if (Files.isDirectory(abs))
            throw new BadInputException("cannot write " + target + ": it is a folder");
        if (Files.exists(abs) && !Files.isRegularFile(abs)) {
            // opened by name, so the kernel follows links (also /dev/stdout and other /proc links)
            writeThrough(target, abs, writer);
            return;
        }
        Path resolved;
        try {
            resolved = Files.exists(abs) ? abs.toRealPath() : resolveLinks(abs);
        } catch (IOException e) {
            throw new BadInputException("cannot write " + target + ": " + oneLine(e), e);
        }
        writeViaTemp(target, resolved, writer);
    }

    /** Writes a UTF-8 string atomically. */
    public static void writeString(Path target, String text) {
        write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static void writeStdout(Writer writer) {
        // the stream is flushed, never closed: later output (a summary) still goes to standard output
        OutputStream keepOpen = new FilterOutputStream(System.out) {
            @Override public void write(byte[] b, int off, int len) throws IOException { out.write(b, off, len); }
            @Override public void close() throws IOException { flush(); }
        };
        try {
            writer.write(keepOpen);
            keepOpen.flush();
        } catch (IOException e) {
            throw new BadInputException("cannot write to standard output: " + oneLine(e), e);
        }
        if (System.out.checkError()) throw new BadInputException("cannot write to standard output: write error");
    }

    /** Follows symbolic links (also dangling ones, whose target is then created) up to 40 levels. */
    static Path resolveLinks(Path p) throws IOException {
        for (int depth = 0; depth < 40; depth++) {
            if (!Files.isSymbolicLink(p)) return p;
            Path link = Files.readSymbolicLink(p);
            p = p.resolveSibling(link).normalize();
        }
        throw new IOException("too many levels of symbolic links");
    }

    private static void writeThrough(Path target, Path resolved, Writer writer) {
        // FileOutputStream opens with O_WRONLY|O_CREAT|O_TRUNC; truncation is ignored by devices and FIFOs
        try (OutputStream out = new java.io.BufferedOutputStream(new FileOutputStream(resolved.toFile()), 1 << 16)) {
            writer.write(out);
        } catch (IOException e) {
            throw new BadInputException("cannot write " + target + ": " + oneLine(e), e);
        }
    }

    private static void writeViaTemp(Path target, Path resolved, Writer writer) {
        Path dir = resolved.getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            sweepStale(dir);
            tmp = dir.resolve("." + resolved.getFileName() + TMP_MARK + PID + "-" + COUNTER.incrementAndGet());
            IN_PROGRESS.add(tmp);
            // CREATE_NEW: default permissions (rw-r--r-- under the usual umask), and never through a planted link
            try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(tmp,
                    StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), 1 << 16)) {
                writer.write(out);
            }
            try {
                Files.move(tmp, resolved, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, resolved, StandardCopyOption.REPLACE_EXISTING);
            }
            IN_PROGRESS.remove(tmp);
            tmp = null;
        } catch (IOException e) {
            throw new BadInputException("cannot write " + target + ": " + oneLine(e), e);
        } finally {
            if (tmp != null) {
                IN_PROGRESS.remove(tmp);
                try { Files.deleteIfExists(tmp); } catch (IOException ignored) { /* best effort */ }
            }
        }
    }

    /**
     * Removes {@code .NAME.atlas-tmp-PID-N} files in {@code dir} whose process is no longer alive (left by a
     * kill -9). Once per folder and process; errors are ignored (another process may be sweeping too).
     */
    static void sweepStale(Path dir) {
        if (!SWEPT.add(dir)) return;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, ".*" + TMP_MARK + "*")) {
            for (Path p : ds) {
                Matcher m = TMP_NAME.matcher(p.getFileName().toString());
                if (!m.matches() || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) continue;
                long pid;
                try {
                    pid = Long.parseLong(m.group(1));
                } catch (NumberFormatException e) {
                    continue;
                }
                if (pid == PID || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) continue;
                try { Files.deleteIfExists(p); } catch (IOException ignored) { /* best effort */ }
            }
        } catch (IOException | RuntimeException ignored) {
            // an unreadable folder: the write itself will report the problem
        }
    }

    /** Forgets which folders were swept (tests). */
    static void resetSweeps() { SWEPT.clear(); }

    private static String oneLine(IOException e) {
        String m = e.getMessage();
        if (e instanceof java.nio.file.NoSuchFileException) m = "no such file or folder " + m;
        else if (e instanceof java.nio.file.AccessDeniedException) m = "permission denied: " + m;
        else if (e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null) m = fse.getReason();
        if (m == null || m.isBlank()) m = e.getClass().getSimpleName();
        return m.split("\n")[0];
    }
}
