package atlas.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** MP4 movies through an external {@code ffmpeg}, only when one is on the PATH. */
final class Movies {
    private Movies() {}

    /** The ffmpeg executable on the PATH, or null. */
    static Path ffmpeg() {
        String path = System.getenv("PATH");
        if (path == null) return null;
        for (String d : path.split(java.io.File.pathSeparator)) {
            Path p = Path.of(d, "ffmpeg");
            if (Files.isExecutable(p)) return p;
        }
        return null;
    }

    /**
     * Encodes the frames (in order) into {@code out} at {@code fps} frames per second; returns {@code out}, or
     * null when ffmpeg is missing or fails (the GIF is the movie then).
     */
    static Path mp4(List<Path> frames, Path out, int fps) {
        Path ff = ffmpeg();
        if (ff == null || frames.isEmpty()) return null;
        Path list = null, tmp = null;
        try {
            list = Files.createTempFile(out.toAbsolutePath().getParent(), ".frames", ".txt");
            List<String> lines = new ArrayList<>();
            for (Path f : frames) {
                lines.add("file '" + f.toAbsolutePath().toString().replace("'", "'\\''") + "'");
                lines.add("duration " + (1.0 / fps));
            }
            lines.add("file '" + frames.get(frames.size() - 1).toAbsolutePath().toString().replace("'", "'\\''") + "'");
            Files.write(list, lines);
            tmp = out.resolveSibling("." + out.getFileName() + ".tmp.mp4");
            Process p = new ProcessBuilder(ff.toString(), "-y", "-loglevel", "error", "-f", "concat", "-safe", "0", "-i", list.toString(),
                    "-vf", "pad=ceil(iw/2)*2:ceil(ih/2)*2", "-pix_fmt", "yuv420p", "-r", Integer.toString(fps), tmp.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return null;
            }
            if (p.exitValue() != 0 || !Files.exists(tmp)) return null;
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return out;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            try {
                if (list != null) Files.deleteIfExists(list);
                if (tmp != null) Files.deleteIfExists(tmp);
            } catch (IOException ignored) { /* best effort */ }
        }
    }
}
