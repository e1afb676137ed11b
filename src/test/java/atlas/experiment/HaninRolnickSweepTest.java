package atlas.experiment;

import atlas.experiment.jobs.JobOutcome;
import atlas.experiment.jobs.JobRunner;
import atlas.experiment.jobs.LocalRunner;
import atlas.experiment.jobs.Sweep;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Hanin-Rolnick experiment as a sweep of units: the same numbers as the single-machine run, resumable after a kill. */
public class HaninRolnickSweepTest {
    @TempDir
    Path dir;

    /** Two tiny synthetic-data architectures, 3 snapshots, and a 2-level memorisation study: 3 training and 10 measuring units. */
    public static HaninRolnickConfig config(Path out) {
        return new HaninRolnickConfig("synthetic", null, out, HaninRolnickConfig.parseArchitectures("2x8,2x12"),
                new double[]{0, 0.25, 1}, 600, 200, 3, 1, 10, 1, 1e-3, 32, 1e-3, 1,
                new HaninRolnickConfig.Memorisation(new int[]{8, 8}, new double[]{0, 1}, new double[]{0, 2}, 200, 3), false);
    }

    /** The report files that hold results (no timings). */
    public static final List<String> RESULTS = List.of("measurements.csv", "memorisation.csv", "lines_vs_N.csv", "distance_vs_epoch.csv",
            "planes_vs_epoch.csv", "distance_and_planes_vs_N.csv", "nets/2x8-final.json", "nets/2x12-final.json");

    private static final Sweep.Listener QUIET = new Sweep.Listener() {
        @Override public void stage(String stage, int total, int resumed) { }
        @Override public void unit(JobOutcome outcome, int done, int total) { }
    };

    public static HaninRolnickExperiment.Result sweep(Path out, JobRunner runner) {
        HaninRolnickConfig cfg = config(out);
        return HaninRolnickSweep.run(cfg, new Sweep(out, HaninRolnickSweep.settings(cfg), runner, 2, QUIET));
    }

    @Test
    void theSweepMeasuresWhatTheSingleMachineRunMeasures() throws Exception {
        HaninRolnickConfig cfg = config(dir.resolve("plain"));
        HaninRolnickExperiment.Result plain = new HaninRolnickExperiment(cfg, HaninRolnickExperiment.loadData(cfg)).run();
        HaninRolnickExperiment.Result swept = sweep(dir.resolve("sweep"), new LocalRunner(2));
        assertThat(swept.rows()).hasSize(6);
        assertThat(swept.memo()).hasSize(4);
        // every column but the two timings (samples/s, seconds), which a sweep leaves to timings.csv
        for (int i = 0; i < plain.rows().size(); i++) {
            String a = plain.rows().get(i).csv(), b = swept.rows().get(i).csv();
            assertThat(b.substring(0, nthComma(b, 15))).isEqualTo(a.substring(0, nthComma(a, 15)));
            assertThat(b).endsWith(",NaN,NaN");
        }
        assertThat(Files.readAllBytes(dir.resolve("sweep").resolve("memorisation.csv"))).isEqualTo(Files.readAllBytes(dir.resolve("plain").resolve("memorisation.csv")));
        assertThat(Files.readString(dir.resolve("sweep").resolve("summary.md"))).doesNotContain("PARTIAL").contains("timings.csv");
    }

    private static int nthComma(String s, int n) {
        int at = -1;
        for (int k = 0; k < n; k++) at = s.indexOf(',', at + 1);
        return at;
    }

    @Test
    void aKilledSweepResumesToTheSameBytes() throws Exception {
        sweep(dir.resolve("whole"), new LocalRunner(1));
        Path out = dir.resolve("killed");
        AtomicInteger delivered = new AtomicInteger();
        JobRunner killer = new JobRunner() {
            final LocalRunner inner = new LocalRunner(2);
            @Override public String name() { return "killed after 5 units"; }
            @Override public void run(List<atlas.experiment.jobs.Job> jobs, int maxAttempts, Consumer<JobOutcome> done) {
                inner.run(jobs, maxAttempts, o -> {
                    if (delivered.get() >= 5) throw new CancellationException("killed");
                    done.accept(o);
                    delivered.incrementAndGet();
                });
            }
        };
        assertThatThrownBy(() -> sweep(out, killer)).isInstanceOf(CancellationException.class);
        assertThat(Files.list(out.resolve(Sweep.UNITS)).count()).isEqualTo(5);
        sweep(out, new LocalRunner(2));
        for (String f : RESULTS) assertThat(Files.readAllBytes(out.resolve(f))).as(f).isEqualTo(Files.readAllBytes(dir.resolve("whole").resolve(f)));
    }
}
