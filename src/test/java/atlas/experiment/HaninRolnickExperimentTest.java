package atlas.experiment;

import atlas.data.mnist.MnistData;
import atlas.data.mnist.SyntheticImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HaninRolnickExperimentTest {
    @TempDir
    Path dir;

    @TempDir
    static Path shared;

    /** One uninterrupted run, shared by the tests (it is the slow part). */
    static HaninRolnickExperiment.Result fresh;
    static final AtomicInteger FRESH_UNITS = new AtomicInteger();

    @org.junit.jupiter.api.BeforeAll
    static void runOnce() {
        fresh = new HaninRolnickExperiment(config(shared.resolve("fresh"), false), DATA).onUnitDone(FRESH_UNITS::incrementAndGet).run();
    }

    static final MnistData DATA = SyntheticImages.generate(2, 600, 120, 8, 10);

    static HaninRolnickConfig config(Path out, boolean resume) {
        return new HaninRolnickConfig("synthetic", null, out, HaninRolnickConfig.parseArchitectures("2x8,2x16"),
                new double[]{0, 0.5, 2}, 0, 0, 3, 1, 10, 1, 1e-3, 32, 1e-3, 2,
                new HaninRolnickConfig.Memorisation(new int[]{8, 8}, new double[]{0, 1}, new double[]{0, 3}, 200, 3), resume);
    }

    @Test
    void runsEndToEndAndWritesTheReport() throws Exception {
        Path out = shared.resolve("fresh");
        HaninRolnickExperiment.Result res = fresh;
        AtomicInteger units = FRESH_UNITS;
        assertThat(res.partial()).isFalse();
        assertThat(res.unitsDone()).isEqualTo(10).isEqualTo(res.unitsTotal()).isEqualTo(units.get());
        assertThat(res.rows()).hasSize(6);
        assertThat(res.memo()).hasSize(4);
        for (String f : List.of("summary.md", "measurements.csv", "lines_vs_N.png", "lines_vs_N.csv", "distance_vs_epoch.csv",
                "distance_x_N_vs_epoch_test.png", "planes_vs_epoch.csv", "plane3_per_N2_vs_epoch.png", "plane_origin_per_N2_vs_epoch.png",
                "lines_per_N_vs_epoch.png", "lines_per_N_vs_epoch.csv", "memorisation.csv", "memorisation_regions_vs_epoch.png",
                "nets/2x8-final.json", "config.txt", "distance_vs_N.png", "planes_vs_N.png", "distance_and_planes_vs_N.csv"))
            assertThat(out.resolve(f)).exists();
        byte[] png = Files.readAllBytes(out.resolve("lines_vs_N.png"));
        assertThat(png[1]).isEqualTo((byte) 'P');
        String summary = Files.readString(out.resolve("summary.md"));
        assertThat(summary).doesNotContain("PARTIAL").contains("### 1.").contains("### 3.").contains("### 5.");
        // each verdict is the one the measured rows imply (recomputed here from the rows, not read from the report)
        assertThat(verdict(summary, 1)).isEqualTo(expectedClaim1(res.rows()));
        assertThat(verdict(summary, 2)).isEqualTo(expectedClaim2(res.rows()));
        assertThat(verdict(summary, 5)).isEqualTo(expectedClaim5(res.memo()));
        // measured values are sane: N, counts >= 1, distances positive, accuracy rises with training
        for (HaninRolnickExperiment.Row r : res.rows()) {
            assertThat(r.neurons()).isIn(16, 32);
            assertThat(r.originLineRegions()).isGreaterThanOrEqualTo(1);
            assertThat(r.plane3Count()).isGreaterThanOrEqualTo(1);
            assertThat(r.distTest()).isPositive();
        }
        HaninRolnickExperiment.Row first = res.rows().get(3), last = res.rows().get(5);
        assertThat(first.epoch()).isZero();
        assertThat(last.epoch()).isEqualTo(2.0);
        assertThat(last.testAccuracy()).isGreaterThan(first.testAccuracy());
        // the CSV behind the lines plot holds epoch 0 and the last epoch of both nets
        assertThat(Files.readAllLines(out.resolve("lines_vs_N.csv"))).hasSize(5);
    }

    @Test
    void anInterruptedRunWritesAPartialReportAndResumes() throws Exception {
        Path out = dir.resolve("p");
        HaninRolnickExperiment exp = new HaninRolnickExperiment(config(out, false), DATA);
        AtomicInteger units = new AtomicInteger();
        exp.onUnitDone(() -> { if (units.incrementAndGet() == 4) Thread.currentThread().interrupt(); });
        assertThatThrownBy(exp::run).isInstanceOf(CancellationException.class);
        Thread.interrupted(); // clear the flag for the rest of the test
        assertThat(Files.readString(out.resolve("summary.md"))).contains("PARTIAL RESULTS").contains("4 of 10");
        assertThat(Files.readAllLines(out.resolve("measurements.csv"))).hasSize(5);

        HaninRolnickExperiment again = new HaninRolnickExperiment(config(out, true), DATA);
        HaninRolnickExperiment.Result res = again.run();
        assertThat(res.partial()).isFalse();
        assertThat(res.rows()).hasSize(6);
        // the resumed run's numbers equal an uninterrupted run's
        for (int k = 0; k < 6; k++) {
            assertThat(res.rows().get(k).originLineDensity()).isEqualTo(fresh.rows().get(k).originLineDensity());
            assertThat(res.rows().get(k).distTest()).isEqualTo(fresh.rows().get(k).distTest());
        }
        assertThat(Files.readString(out.resolve("summary.md"))).doesNotContain("PARTIAL");
    }

    @Test
    void resumingWithOtherSettingsIsRefused() {
        Path out = dir.resolve("c");
        new HaninRolnickExperiment(new HaninRolnickConfig("synthetic", null, out, HaninRolnickConfig.parseArchitectures("1x4"),
                new double[]{0}, 0, 0, 1, 0, 2, 1, 1e-3, 32, 1e-3, 1, null, false), DATA).run();
        HaninRolnickConfig other = new HaninRolnickConfig("synthetic", null, out, HaninRolnickConfig.parseArchitectures("2x8"),
                new double[]{0, 1}, 0, 0, 3, 1, 10, 1, 1e-3, 32, 1e-3, 2, null, true);
        assertThatThrownBy(() -> new HaninRolnickExperiment(other, DATA).run()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("other settings");
    }

    @Test
    void configParsing() {
        assertThat(HaninRolnickConfig.parseArchitectures("3x20, 20-30-20")).hasSize(2);
        assertThat(HaninRolnickConfig.parseArchitectures("3x20").get(0)).containsExactly(20, 20, 20);
        assertThatThrownBy(() -> HaninRolnickConfig.parseArchitectures("3y20")).hasMessageContaining("bad architecture '3y20'");
        assertThat(HaninRolnickConfig.publishedEpochs(1)).containsExactly(0, 1.0 / 32, 1.0 / 16, 1.0 / 8, 0.25, 0.5, 1);
        assertThat(HaninRolnickConfig.publishedEpochs(20)).hasSize(14);
        assertThat(HaninRolnickConfig.publishedArchitectures()).hasSize(11);
        assertThat(HaninRolnickReport.slope(new double[]{1, 2, 4}, new double[]{3, 6, 12})).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-12));
    }

    /** The verdict of claim k in the summary: true for "Held.", false for "Did not hold.". */
    static boolean verdict(String summary, int k) {
        int a = summary.indexOf("### " + k + ".");
        int b = summary.indexOf("### ", a + 4);
        String section = summary.substring(a, b < 0 ? summary.length() : b);
        boolean held = section.contains("**Held.**"), not = section.contains("**Did not hold.**");
        assertThat(held ^ not).as("claim %d has exactly one verdict", k).isTrue();
        return held;
    }

    static java.util.Map<String, List<HaninRolnickExperiment.Row>> byArch(List<HaninRolnickExperiment.Row> rows) {
        java.util.Map<String, List<HaninRolnickExperiment.Row>> m = new java.util.LinkedHashMap<>();
        for (HaninRolnickExperiment.Row r : rows) m.computeIfAbsent(r.arch(), x -> new java.util.ArrayList<>()).add(r);
        return m;
    }

    /** Claim 1: log-log slope of density against N in [0.5, 1.5] and density/N within a factor 2.5 at epoch 0. */
    static boolean expectedClaim1(List<HaninRolnickExperiment.Row> rows) {
        List<HaninRolnickExperiment.Row> init = byArch(rows).values().stream().map(l -> l.get(0)).filter(r -> r.epoch() == 0).toList();
        double[] n = init.stream().mapToDouble(HaninRolnickExperiment.Row::neurons).toArray();
        double[] d = init.stream().mapToDouble(HaninRolnickExperiment.Row::originLineDensity).toArray();
        double slope = HaninRolnickReport.slope(n, d);
        double[] per = init.stream().mapToDouble(r -> r.originLineDensity() / r.neurons()).toArray();
        double spread = java.util.Arrays.stream(per).max().orElseThrow() / java.util.Arrays.stream(per).min().orElseThrow();
        return slope >= 0.5 && slope <= 1.5 && spread <= 2.5;
    }

    /** Claim 2: regions per length at the last epoch over epoch 0 at most 2 for every architecture. */
    static boolean expectedClaim2(List<HaninRolnickExperiment.Row> rows) {
        double worst = 0;
        for (List<HaninRolnickExperiment.Row> rs : byArch(rows).values())
            worst = Math.max(worst, rs.get(rs.size() - 1).originLineDensity() / rs.get(0).originLineDensity());
        return worst <= 2;
    }

    /** Claim 5: more regions per line at the highest label noise than at the lowest, at the last epoch. */
    static boolean expectedClaim5(List<HaninRolnickExperiment.MemoRow> memo) {
        java.util.TreeMap<Double, HaninRolnickExperiment.MemoRow> last = new java.util.TreeMap<>();
        for (HaninRolnickExperiment.MemoRow r : memo) last.merge(r.noise(), r, (x, y) -> y.epoch() > x.epoch() ? y : x);
        return last.lastEntry().getValue().lineRegions() > last.firstEntry().getValue().lineRegions();
    }
}
