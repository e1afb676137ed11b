package atlas.concurrent;

import org.junit.jupiter.api.Test;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.assertj.core.api.Assertions.assertThat;

class RowBandsTest {
    @Test
    void everyRowIsDrawnOnceWhateverTheBands() {
        for (int rows : new int[]{0, 1, 2, 3, 7, 400, 401}) {
            for (boolean parallel : new boolean[]{false, true}) {
                AtomicIntegerArray drawn = new AtomicIntegerArray(rows);
                RowBands.draw(rows, parallel, (from, to) -> {
                    for (int i = from; i < to; i++) drawn.incrementAndGet(i);
                });
                for (int i = 0; i < rows; i++) assertThat(drawn.get(i)).as("rows %d, row %d", rows, i).isEqualTo(1);
            }
        }
    }

    @Test
    void aForkJoinWorkerDrawsAllRowsItself() throws Exception {
        AtomicInteger bands = new AtomicInteger(), fullBands = new AtomicInteger();
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        ForkJoinPool pool = new ForkJoinPool(2);
        try {
            // waited for on a latch, not by get(), which may run a task still queued on the calling thread itself
            pool.execute(() -> {
                try {
                    RowBands.draw(100, true, (from, to) -> {
                        bands.incrementAndGet();
                        if (from == 0 && to == 100) fullBands.incrementAndGet();
                    });
                } finally {
                    done.countDown();
                }
            });
            done.await();
        } finally {
            pool.shutdown();
        }
        assertThat(bands.get()).isEqualTo(1);
        assertThat(fullBands.get()).isEqualTo(1);
    }
}
