package atlas.experiment.jobs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

class SweepTimingsTest {
    @TempDir
    Path dir;

    @Test
    void overheadAndProjectionFollowFromTheUnitSecondsByHand() throws Exception {
        Files.writeString(dir.resolve(Sweep.TIMINGS), """
                # spark local[2] (default parallelism 2, context started in 3.0 s)
                # stage train: 1 units run, 0 resumed, 10.000 s wall, 2 slots
                # stage fold: 4 units run, 1 resumed, 2.500 s wall, 2 slots
                stage,unit,status,attempts,seconds,worker
                train,t,done,1,9.0000,executor driver task 0
                fold,a,done,1,1.0000,executor driver task 1
                fold,b,done,2,0.5000,executor driver task 2
                fold,c,done,1,1.5000,executor driver task 3
                fold,d,failed,2,1.0000,executor driver task 4
                fold,e,resumed,0,,
                """);
        SweepTimings t = SweepTimings.read(dir);
        assertThat(t.runner()).startsWith("spark local[2]");
        SweepTimings.Stage fold = t.stages().get(1);
        assertThat(fold.run()).isEqualTo(4);
        assertThat(fold.resumed()).isEqualTo(1);
        assertThat(fold.unitSum()).isCloseTo(4.0, offset(1e-12));
        assertThat(fold.unitMax()).isCloseTo(1.5, offset(1e-12));
        // 2 slots x 2.5 s = 5 slot-seconds for 4 s of work: 0.25 s per unit
        assertThat(fold.overheadPerUnit()).isCloseTo(0.25, offset(1e-12));
        // train: 2 x 10 - 9 = 11 slot-seconds of overhead for its single unit
        assertThat(t.stages().get(0).overheadPerUnit()).isCloseTo(11.0, offset(1e-12));
        // one slot: train 9 + 11, fold 4 + 4 x 0.25; many slots: the longest unit of each stage plus its overhead
        assertThat(t.project(1)).isCloseTo(20 + 5, offset(1e-9));
        assertThat(t.project(1000)).isCloseTo(20 + 1.75, offset(1e-9));
        // fold scaled to 100 times the units at twice the seconds each, on 10 slots: (800 + 400 x 0.25) / 10
        assertThat(t.project(10, s -> s.equals("fold") ? 2 : 1, s -> s.equals("fold") ? 100 : 1)).isCloseTo(20 + 90, offset(1e-9));
    }
}
