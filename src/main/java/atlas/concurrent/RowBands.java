package atlas.concurrent;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.Future;

/**
 * Splits the rows of a picture into horizontal bands drawn on the cores at once. Each band's task writes only
 * its own rows, so the bands need no locks, and a task that visits the picture's items in the same order as a
 * single pass leaves every pixel exactly as that pass would.
 */
public final class RowBands {
    private RowBands() {}

    /** Draws rows {@code [from, to)}. */
    @FunctionalInterface
    public interface Band {
        void draw(int from, int to);
    }

    /**
     * Runs {@code band} over {@code rows} rows in as many bands as there are cores (one band, on the calling thread,
     * when {@code parallel} is false, there is one core, or the caller is itself a fork-join worker, whose pool is
     * busy already); the calling thread draws the first band and waits for the others.
     */
    public static void draw(int rows, boolean parallel, Band band) {
        boolean nested = Thread.currentThread() instanceof ForkJoinWorkerThread;
        int bands = parallel && !nested ? Math.max(1, Math.min(rows, Runtime.getRuntime().availableProcessors())) : 1;
        List<Future<?>> others = new ArrayList<>(bands - 1);
        for (int b = 1; b < bands; b++) {
            int from = (int) ((long) rows * b / bands), to = (int) ((long) rows * (b + 1) / bands);
            others.add(ForkJoinPool.commonPool().submit(() -> band.draw(from, to)));
        }
        band.draw(0, (int) ((long) rows / bands));
        Futures.awaitAll(others);
    }
}
