package atlas.cli;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ctrl-C (SIGINT) during long work: exit code 130 and one line saying so, no stack trace. Runs the real
 * {@code main} in a child JVM and sends it SIGINT with {@code kill}; Linux only.
 */
class InterruptTest {

    /** Whether this process ignores SIGINT (a background job of a non-interactive shell does; children inherit it). */
    static boolean sigintIgnored() throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc/self/status")))
            if (l.startsWith("SigIgn:")) return (Long.parseUnsignedLong(l.substring(7).trim(), 16) & 0x2) != 0;
        return false;
    }

    static boolean works(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void ctrlCExits130WithOneLine() throws Exception {
        Assumptions.assumeTrue(Files.exists(Path.of("/proc/self/status")) && works("kill", "-l"), "needs Linux and kill");
        List<String> cmd = new ArrayList<>();
        if (sigintIgnored()) {
            // the JVM leaves an inherited ignored SIGINT alone; coreutils' env can restore the default for the child
            Assumptions.assumeTrue(works("env", "--default-signal=INT", "true"), "SIGINT is ignored here and env cannot reset it");
            cmd.addAll(List.of("env", "--default-signal=INT"));
        }
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), AtlasCommand.class.getName(),
                // minutes of work (tropical products of a 2 -> [16]x3 -> 1 net), so that the signal comes during it
                "tropical", "--random", "2-16-16-16-1"));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("ATLAS_PROGRESS", "none");
        Process p = pb.start();
        String err;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            // the table header is printed when the work starts, after main has set up its shutdown hook
            assertThat(out.readLine()).contains("monomials");
            Thread.sleep(300);
            assertThat(p.isAlive()).isTrue();
            assertThat(works("kill", "-INT", Long.toString(p.pid()))).isTrue();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the process ends after SIGINT").isTrue();
            err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            p.destroyForcibly();
        }
        assertThat(p.exitValue()).as(err).isEqualTo(ExitCodes.INTERRUPTED);
        List<String> lines = err.lines().filter(l -> !l.isBlank() && !l.startsWith("WARNING: Using incubator")).toList();
        assertThat(lines).containsExactly("atlas: interrupted; files being written were discarded");
    }
}
