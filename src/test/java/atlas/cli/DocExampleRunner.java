package atlas.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the documentation's examples of one page in order, in its own JVM whose working folder is the page's
 * folder, so relative paths in the examples mean what they mean for a user at the repository root. Each command
 * runs in-process through {@link AtlasCommand#newCommandLine} (the launcher's {@code main} minus
 * {@code System.exit}).
 *
 * <p>Plan file lines: {@code RUN <tab> command} or {@code FILE <tab> name <tab> base64 text}. Result lines:
 * {@code index <tab> exit code <tab> seconds <tab> standard error (escaped)}; exit code {@code -1} means the
 * command was still running after the limit, and the runner stops there.
 */
public final class DocExampleRunner {
    private DocExampleRunner() {}

    public static void main(String[] args) throws Exception {
        List<String> plan = Files.readAllLines(Path.of(args[0]));
        Path results = Path.of(args[1]);
        long limitMs = (long) (Double.parseDouble(args[2]) * 1000);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < plan.size(); i++) {
            String[] p = plan.get(i).split("\t", -1);
            if (p[0].equals("FILE")) {
                Path f = Path.of(p[1]);
                if (f.getParent() != null) Files.createDirectories(f.getParent());
                Files.write(f, Base64.getDecoder().decode(p[2]));
                continue;
            }
            List<String> argv = DocExamples.arguments(p[1]);
            StringWriter so = new StringWriter(), se = new StringWriter();
            AtomicInteger code = new AtomicInteger(-1);
            long t0 = System.nanoTime();
            Thread t = new Thread(() -> code.set(AtlasCommand.newCommandLine(new PrintWriter(so, true), new PrintWriter(se, true))
                    .execute(argv.toArray(String[]::new))), "doc-example-" + i);
            t.setDaemon(true);
            t.start();
            t.join(limitMs);
            double s = (System.nanoTime() - t0) / 1e9;
            String err = se.toString().replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n");
            out.add(i + "\t" + (t.isAlive() ? -1 : code.get()) + "\t" + String.format(java.util.Locale.ROOT, "%.2f", s) + "\t" + err);
            Files.write(results, out, StandardCharsets.UTF_8);
            if (t.isAlive()) Runtime.getRuntime().halt(0);
        }
        Files.write(results, out, StandardCharsets.UTF_8);
        System.exit(0);
    }
}
