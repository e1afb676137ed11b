package atlas.measure.lineage;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.RandomAccess;

/**
 * The pieces of the common refinement of two partitions ({@link Overlap}s), stored as flat columns: a step between
 * two partitions of half a million regions has a few million pieces, and one object per piece would cost more
 * memory and time than the clipping. As a {@code List<Overlap>} it hands out a new record per {@link #get}; the
 * column accessors ({@link #before(int)}, {@link #area(int)}, ...) read without allocating.
 *
 * <p>Pieces are sorted by earlier region id, then later region id, so the successors of earlier region {@code i}
 * are the pieces {@link #firstOfBefore}(i) to {@link #endOfBefore}(i) - 1; the predecessors of a later region are
 * listed by {@link #piecesOfAfter}.
 */
public final class Overlaps extends AbstractList<Overlap> implements RandomAccess {
    private final int size;
    private final int[] before, after, flipped, firstLayer;
    private final double[] area, mapChange;
    /** [i] = index of the first piece of earlier region i; [countBefore] = size. */
    private final int[] startBefore;
    /** Piece indices ordered by later region (then earlier region); [startAfter[j], startAfter[j + 1]) are j's. */
    private final int[] byAfter, startAfter;

    private Overlaps(Builder b, int countBefore, int countAfter) {
        size = b.size;
        before = Arrays.copyOf(b.before, size);
        after = Arrays.copyOf(b.after, size);
        flipped = Arrays.copyOf(b.flipped, size);
        firstLayer = Arrays.copyOf(b.firstLayer, size);
        area = Arrays.copyOf(b.area, size);
        mapChange = Arrays.copyOf(b.mapChange, size);
        startBefore = new int[countBefore + 1];
        for (int k = 0; k < size; k++) {
            if (k > 0 && before[k] < before[k - 1])
                throw new IllegalArgumentException("pieces must come in the order of the earlier regions");
            startBefore[before[k] + 1]++;
        }
        for (int i = 0; i < countBefore; i++) startBefore[i + 1] += startBefore[i];
        // counting sort by later region; stable, so each later region's pieces stay in earlier-region order
        startAfter = new int[countAfter + 1];
        for (int k = 0; k < size; k++) startAfter[after[k] + 1]++;
        for (int j = 0; j < countAfter; j++) startAfter[j + 1] += startAfter[j];
        byAfter = new int[size];
        int[] fill = Arrays.copyOf(startAfter, countAfter);
        for (int k = 0; k < size; k++) byAfter[fill[after[k]]++] = k;
    }

    @Override public int size() { return size; }

    @Override public Overlap get(int k) {
        if (k < 0 || k >= size) throw new IndexOutOfBoundsException("piece " + k + " of " + size);
        return new Overlap(before[k], after[k], area[k], mapChange[k], flipped[k], firstLayer[k]);
    }

    public int before(int k) { return before[k]; }

    public int after(int k) { return after[k]; }

    public double area(int k) { return area[k]; }

    public double mapChange(int k) { return mapChange[k]; }

    public int flippedBits(int k) { return flipped[k]; }

    public int firstLayer(int k) { return firstLayer[k]; }

    /** Index of the first piece of earlier region {@code i}. */
    public int firstOfBefore(int i) { return startBefore[i]; }

    /** One past the index of the last piece of earlier region {@code i}. */
    public int endOfBefore(int i) { return startBefore[i + 1]; }

    /** The indices of the pieces of later region {@code j}, in the order of their earlier regions. */
    public int[] piecesOfAfter(int j) { return Arrays.copyOfRange(byAfter, startAfter[j], startAfter[j + 1]); }

    /** The number of pieces of later region {@code j}. */
    public int countOfAfter(int j) { return startAfter[j + 1] - startAfter[j]; }

    /** Appends pieces in the order of the earlier regions; growable columns, no object per piece. */
    static final class Builder {
        private int size;
        private int[] before = new int[1024], after = new int[1024], flipped = new int[1024], firstLayer = new int[1024];
        private double[] area = new double[1024], mapChange = new double[1024];

        void add(int i, int j, double a, double change, int flips, int first) {
            if (size == before.length) {
                int n = Math.max(16, size * 2);
                before = Arrays.copyOf(before, n);
                after = Arrays.copyOf(after, n);
                flipped = Arrays.copyOf(flipped, n);
                firstLayer = Arrays.copyOf(firstLayer, n);
                area = Arrays.copyOf(area, n);
                mapChange = Arrays.copyOf(mapChange, n);
            }
            before[size] = i;
            after[size] = j;
            area[size] = a;
            mapChange[size] = change;
            flipped[size] = flips;
            firstLayer[size] = first;
            size++;
        }

        int size() { return size; }

        /** The pieces of {@code parts} one after the other. */
        static Builder concat(Builder[] parts) {
            Builder all = new Builder();
            int n = 0;
            for (Builder p : parts) n += p.size;
            all.before = new int[n];
            all.after = new int[n];
            all.flipped = new int[n];
            all.firstLayer = new int[n];
            all.area = new double[n];
            all.mapChange = new double[n];
            for (Builder p : parts) {
                System.arraycopy(p.before, 0, all.before, all.size, p.size);
                System.arraycopy(p.after, 0, all.after, all.size, p.size);
                System.arraycopy(p.flipped, 0, all.flipped, all.size, p.size);
                System.arraycopy(p.firstLayer, 0, all.firstLayer, all.size, p.size);
                System.arraycopy(p.area, 0, all.area, all.size, p.size);
                System.arraycopy(p.mapChange, 0, all.mapChange, all.size, p.size);
                all.size += p.size;
            }
            return all;
        }

        Overlaps build(int countBefore, int countAfter) { return new Overlaps(this, countBefore, countAfter); }
    }
}
