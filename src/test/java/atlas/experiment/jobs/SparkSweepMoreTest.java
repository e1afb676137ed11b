package atlas.experiment.jobs;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CancellationException;

import static atlas.experiment.jobs.SweepFixtures.QUIET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The same sweeps on an embedded Spark (local[2], one context for the class) and on local threads, compared byte for byte;
 * kills and retries on Spark. Tagged "spark": about half a minute, so it runs with {@code mvn -Pspark test}, not by default.
 */
@Tag("spark")
class SparkSweepMoreTest {
    private static JobRunner spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() { spark = Runners.open("local[2]", 1); }

    @AfterAll
    static void stop() { if (spark != null) spark.close(); }

    private static final class Unclosed implements JobRunner {
        private final JobRunner inner;
        Unclosed(JobRunner inner) { this.inner = inner; }
        @Override public String name() { return inner.name(); }
        @Override public int slots() { return inner.slots(); }
        @Override public void run(List<Job> jobs, int maxAttempts, java.util.function.Consumer<JobOutcome> done) { inner.run(jobs, maxAttempts, done); }
    }

    private static void ring(Path out, JobRunner runner) {
        RingSweep.Config cfg = SweepFixtures.smallRing();
        RingSweep.run(cfg, new Sweep(out, cfg.settings(), runner, 2, QUIET));
    }

    @Test
    void spaceFoldsOnSparkAndOnLocalThreadsGiveTheSameBytes() throws Exception {
        SweepFixtures.folds(dir.resolve("local"), new LocalRunner(2));
        SweepFixtures.folds(dir.resolve("spark"), new Unclosed(spark));
        for (String f : SweepFixtures.FOLD_RESULTS)
            assertThat(Files.readAllBytes(dir.resolve("spark").resolve(f))).as(f).isEqualTo(Files.readAllBytes(dir.resolve("local").resolve(f)));
        assertThat(SweepTimings.read(dir.resolve("spark")).runner()).startsWith("spark local[2]");
    }

    @Test
    void haninRolnickOnSparkAndOnLocalThreadsGiveTheSameBytes() throws Exception {
        atlas.experiment.HaninRolnickSweepTest.sweep(dir.resolve("local"), new LocalRunner(2));
        atlas.experiment.HaninRolnickSweepTest.sweep(dir.resolve("spark"), new Unclosed(spark));
        for (String f : atlas.experiment.HaninRolnickSweepTest.RESULTS)
            assertThat(Files.readAllBytes(dir.resolve("spark").resolve(f))).as(f).isEqualTo(Files.readAllBytes(dir.resolve("local").resolve(f)));
    }

    @Test
    void aSweepKilledOnSparkResumesOnLocalThreadsToTheSameResult() throws Exception {
        ring(dir.resolve("whole"), new LocalRunner(2));
        Path out = dir.resolve("killed");
        assertThatThrownBy(() -> ring(out, new SweepFixtures.StopAfter(new Unclosed(spark), 3))).isInstanceOf(CancellationException.class);
        long kept = Files.list(out.resolve(Sweep.UNITS)).count();
        assertThat(kept).isEqualTo(3);
        SweepFixtures.Counting c = new SweepFixtures.Counting(new Unclosed(spark));
        ring(out, c);
        assertThat(c.ran.get()).isEqualTo(3);
        assertThat(Files.readAllBytes(out.resolve(RingSweep.CSV))).isEqualTo(Files.readAllBytes(dir.resolve("whole").resolve(RingSweep.CSV)));
    }

    @Test
    void aFailingUnitIsRetriedOnTheExecutorThenReported() {
        Sweep s = new Sweep(dir, "flaky\n", spark, 2, QUIET);
        assertThatThrownBy(() -> s.stage("flaky", List.of(new SweepFixtures.FlakyJob("a", 1), new SweepFixtures.FlakyJob("bb", 2))))
                .isInstanceOfSatisfying(SweepFailedException.class, e -> {
                    assertThat(e.failures()).extracting(JobOutcome::id).containsExactly("bb");
                    assertThat(e.failures().get(0).attempts()).isEqualTo(2);
                });
        assertThat(s.unitFile("a")).exists();
    }
}
