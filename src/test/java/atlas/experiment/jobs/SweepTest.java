package atlas.experiment.jobs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;

import static atlas.experiment.jobs.SweepFixtures.QUIET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SweepTest {
    @TempDir
    Path dir;

    private List<RingSweep.Row> ring(Path out, JobRunner runner) {
        RingSweep.Config cfg = SweepFixtures.smallRing();
        return RingSweep.run(cfg, new Sweep(out, cfg.settings(), runner, 1, QUIET));
    }

    @Test
    void resultsDoNotDependOnTheNumberOfThreads() throws Exception {
        List<RingSweep.Row> one = ring(dir.resolve("one"), new LocalRunner(1));
        ring(dir.resolve("three"), new LocalRunner(3));
        assertThat(Files.readAllBytes(dir.resolve("three").resolve(RingSweep.CSV))).isEqualTo(Files.readAllBytes(dir.resolve("one").resolve(RingSweep.CSV)));
        // rows come in the order depth, width, seed whatever order the units finished in
        assertThat(one).extracting(r -> r.depth() * 100 + r.width()).containsExactly(104, 106, 108, 204, 206, 208);
        for (RingSweep.Row r : one) {
            assertThat(r.neurons()).isEqualTo(r.depth() * r.width());
            // a net with N cutting units in one hidden layer has at most 1 + N + C(N,2) regions in the plane
            if (r.depth() == 1) assertThat(r.regionsInit()).isBetween(1, 1 + r.width() + r.width() * (r.width() - 1) / 2);
            assertThat(r.regionsTrained()).isPositive();
        }
        assertThat(Files.readString(dir.resolve("one").resolve(Sweep.TIMINGS))).contains("net-d2-w8-s3,done,1,");
    }

    @Test
    void aKilledSweepResumesWithoutRedoingFinishedUnits() throws Exception {
        ring(dir.resolve("whole"), new LocalRunner(2));
        Path out = dir.resolve("killed");
        SweepFixtures.StopAfter killer = new SweepFixtures.StopAfter(new LocalRunner(2), 2);
        assertThatThrownBy(() -> ring(out, killer)).isInstanceOf(CancellationException.class);
        assertThat(Files.list(out.resolve(Sweep.UNITS)).count()).isEqualTo(2);
        assertThat(out.resolve(RingSweep.CSV)).doesNotExist();
        SweepFixtures.Counting counting = new SweepFixtures.Counting(new LocalRunner(2));
        ring(out, counting);
        assertThat(counting.ran.get()).isEqualTo(4);
        assertThat(Files.readAllBytes(out.resolve(RingSweep.CSV))).isEqualTo(Files.readAllBytes(dir.resolve("whole").resolve(RingSweep.CSV)));
        // a third run has nothing left to do
        SweepFixtures.Counting again = new SweepFixtures.Counting(new LocalRunner(2));
        ring(out, again);
        assertThat(again.ran.get()).isZero();
    }

    @Test
    void spaceFoldsKilledMidSweepResumesToTheSameBytesWithAnyThreadCount() throws Exception {
        SweepFixtures.folds(dir.resolve("whole"), new LocalRunner(1));
        Path out = dir.resolve("killed");
        // killed in the fold stage: 2 training units and 5 of the 20 fold units are kept
        assertThatThrownBy(() -> SweepFixtures.folds(out, new SweepFixtures.StopAfter(new LocalRunner(2), 7)))
                .isInstanceOf(CancellationException.class);
        assertThat(Files.list(out.resolve(Sweep.UNITS)).count()).isEqualTo(7);
        SweepFixtures.Counting again = new SweepFixtures.Counting(new LocalRunner(3));
        SweepFixtures.folds(out, again);
        assertThat(again.ran.get()).isEqualTo(15);
        for (String f : SweepFixtures.FOLD_RESULTS)
            assertThat(Files.readAllBytes(out.resolve(f))).as(f).isEqualTo(Files.readAllBytes(dir.resolve("whole").resolve(f)));
        SweepTimings t = SweepTimings.read(out);
        assertThat(t.stages()).extracting(SweepTimings.Stage::name).containsExactly("train", "fold");
        assertThat(t.stages().get(1).run()).isEqualTo(15);
        assertThat(t.stages().get(1).resumed()).isEqualTo(5);
        assertThat(t.stages().get(0).run()).isZero();
        assertThat(t.stages().get(1).slots()).isEqualTo(3);
        // the projection never beats the longest unit, and one slot takes at least the work
        assertThat(t.project(1)).isGreaterThanOrEqualTo(t.stages().get(1).unitSum());
        assertThat(t.project(1000)).isGreaterThanOrEqualTo(t.stages().get(1).unitMax());
    }

    @Test
    void aFailingUnitIsRetriedThenReportedAndTheOthersAreKept() throws Exception {
        List<Job> jobs = List.of(new SweepFixtures.FlakyJob("a", 0), new SweepFixtures.FlakyJob("bb", 2), new SweepFixtures.FlakyJob("ccc", 5),
                new SweepFixtures.FlakyJob("dddd", 0));
        List<JobOutcome> seen = new ArrayList<>();
        Sweep.Listener l = new Sweep.Listener() {
            @Override public void stage(String stage, int total, int resumed) { }
            @Override public void unit(JobOutcome o, int done, int total) { seen.add(o); }
        };
        Sweep s = new Sweep(dir, "flaky\n", new LocalRunner(2), 3, l);
        assertThatThrownBy(() -> s.stage("flaky", jobs))
                .isInstanceOfSatisfying(SweepFailedException.class, e -> {
                    assertThat(e.failures()).extracting(JobOutcome::id).containsExactly("ccc");
                    assertThat(e.failures().get(0).attempts()).isEqualTo(3);
                    assertThat(e.failures().get(0).error()).contains("failed on attempt 3");
                    assertThat(e.kind()).isEqualTo("internal");
                })
                .hasMessageContaining("1 of 4 units").hasMessageContaining("ccc");
        assertThat(seen).hasSize(4);
        assertThat(seen.stream().filter(o -> o.id().equals("bb")).findFirst().orElseThrow().attempts()).isEqualTo(3);
        assertThat(Files.readString(s.unitFile("bb"))).isEqualTo("bb,4\n");
        assertThat(s.unitFile("ccc")).doesNotExist();
        assertThat(Files.readString(dir.resolve(Sweep.TIMINGS))).contains("flaky,ccc,failed,3,");
        // once the cause is gone, a rerun runs only the failed unit
        SweepFixtures.Counting c = new SweepFixtures.Counting(new LocalRunner(2));
        List<String> r = new Sweep(dir, "flaky\n", c, 3, QUIET).stage("flaky", List.of(new SweepFixtures.FlakyJob("a", 0),
                new SweepFixtures.FlakyJob("bb", 2), new SweepFixtures.FlakyJob("ccc", 1), new SweepFixtures.FlakyJob("dddd", 0)));
        assertThat(c.ran.get()).isEqualTo(1);
        assertThat(r).containsExactly("a,1\n", "bb,4\n", "ccc,9\n", "dddd,16\n");
    }

    @Test
    void aFolderHoldingAnotherSweepIsRefused() {
        new Sweep(dir, "settings one\n", new LocalRunner(1), 1, QUIET);
        assertThatThrownBy(() -> new Sweep(dir, "settings two\n", new LocalRunner(1), 1, QUIET))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("other settings");
    }

    @Test
    void duplicateOrUnsafeIdsAreRejected() {
        Sweep s = new Sweep(dir, "x\n", new LocalRunner(1), 1, QUIET);
        assertThatThrownBy(() -> s.stage("s", List.of(new SweepFixtures.FlakyJob("a", 0), new SweepFixtures.FlakyJob("a", 0))))
                .hasMessageContaining("two jobs have the id a");
        assertThatThrownBy(() -> s.stage("s", List.of(new SweepFixtures.FlakyJob("../a", 0)))).hasMessageContaining("bad job id");
    }
}
