package atlas.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static atlas.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

class HaninRolnickExperimentCommandTest {
    @TempDir
    Path dir;

    @Test
    void smallSyntheticRunPrintsClaimsAndSpeed() throws Exception {
        Path out = dir.resolve("hr");
        CliRun r = run("experiment", "hanin-rolnick", "--dataset", "synthetic", "--out", out.toString(), "--archs", "2x6,2x10",
                "--max-epoch", "0.0625", "--lines", "2", "--planes", "1", "--points", "5", "--no-memorisation", "--test", "100");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("6 of 6 units").contains("training speed (samples/s): 2x6").contains("1. At initialisation");
        assertThat(out.resolve("summary.md")).exists();
        assertThat(Files.readString(out.resolve("config.txt"))).contains("architectures=2x6 2x10");
    }

    @Test
    void badOptionsAreInvalidInputInOneLine() {
        CliRun r = run("experiment", "hanin-rolnick", "--dataset", "synthetic", "--out", dir.toString(), "--archs", "3by20");
        assertThat(r.code()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err().trim().lines().count()).isEqualTo(1);
        assertThat(r.err()).contains("bad architecture '3by20'");
        CliRun e = run("experiment", "hanin-rolnick", "--dataset", "mnist", "--data-dir", dir.resolve("empty").toString(), "--out", dir.resolve("o").toString());
        assertThat(e.code()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(e.err()).contains("atlas data mnist");
        CliRun n = run("experiment", "hanin-rolnick", "--dataset", "synthetic", "--out", dir.toString(), "--mem-noise", "0,2");
        assertThat(n.code()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(n.err()).contains("label noise must be in [0, 1]");
    }
}
