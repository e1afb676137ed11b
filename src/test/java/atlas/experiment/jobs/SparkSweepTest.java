package atlas.experiment.jobs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static atlas.experiment.jobs.SweepFixtures.QUIET;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The quick Spark check of the default test run: one small sweep on an embedded Spark (local[2]) and on local threads,
 * compared byte for byte. The rest of the Spark tests (space-folds, kill and resume, retries on executors) carry the
 * tag "spark" and run with {@code mvn -Pspark test} ({@link SparkSweepMoreTest}).
 */
class SparkSweepTest {
    @TempDir
    Path dir;

    @Test
    void sparkAndLocalThreadsGiveTheSameBytes() throws Exception {
        RingSweep.Config cfg = SweepFixtures.smallRing();
        RingSweep.run(cfg, new Sweep(dir.resolve("local"), cfg.settings(), new LocalRunner(2), 2, QUIET));
        try (JobRunner spark = Runners.open("local[2]", 1)) {
            assertThat(spark).isInstanceOf(SparkRunner.class);
            RingSweep.run(cfg, new Sweep(dir.resolve("spark"), cfg.settings(), spark, 2, QUIET));
        }
        assertThat(Files.readAllBytes(dir.resolve("spark").resolve(RingSweep.CSV)))
                .isEqualTo(Files.readAllBytes(dir.resolve("local").resolve(RingSweep.CSV)));
        assertThat(Files.readString(dir.resolve("spark").resolve(Sweep.TIMINGS))).contains("# spark local[2]").contains("executor driver");
    }
}
