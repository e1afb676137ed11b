package atlas.regions;

import java.util.Arrays;

/**
 * The vertex cycles of a plane mesh's faces in one flat int array (an arena): face f is
 * {@code arena[start[f], start[f] + length[f])}. A face whose cycle changes gets a new slot at the end; the old one
 * is left as garbage until {@link #compact}, which rewrites the live cycles in face order.
 *
 * <p>Why not an {@code int[]} per face: at hundreds of thousands of faces those arrays were objects for the
 * collector to copy, and the per-face passes chased a pointer per face to wherever the array lay; after a
 * compaction the passes over faces in order read the arena front to back.
 */
final class FaceCycles {
    int[] arena;
    int[] start, length;
    /** faces */
    int count;
    /** arena entries in use (live and garbage) */
    private int used, live;
    /** the arena of the previous compaction, reused by the next one (no new array per compaction) */
    private int[] spare = new int[0];

    FaceCycles(int faces, int entries) {
        arena = new int[entries];
        start = new int[faces];
        length = new int[faces];
    }

    /** Appends a face with cycle {@code src[from, from + n)}; returns its index. */
    int add(int[] src, int from, int n) {
        if (count == start.length) {
            start = Arrays.copyOf(start, 2 * count);
            length = Arrays.copyOf(length, 2 * count);
        }
        int f = count++;
        length[f] = 0;
        set(f, src, from, n);
        return f;
    }

    /** Replaces the cycle of face f by {@code src[from, from + n)}. */
    void set(int f, int[] src, int from, int n) {
        if (used + n > arena.length) arena = Arrays.copyOf(arena, Math.max(used + n, 2 * arena.length));
        System.arraycopy(src, from, arena, used, n);
        live += n - length[f];
        start[f] = used;
        length[f] = n;
        used += n;
    }

    /** A copy of face f's cycle. */
    int[] cycle(int f) { return Arrays.copyOfRange(arena, start[f], start[f] + length[f]); }

    /** Rewrites the live cycles in face order, front to back, dropping the garbage; same cycles, new starts. */
    void compact() {
        if (used == live) return;
        int[] to = spare.length >= live ? spare : new int[live + live / 2];
        int pos = 0;
        for (int f = 0; f < count; f++) {
            System.arraycopy(arena, start[f], to, pos, length[f]);
            start[f] = pos;
            pos += length[f];
        }
        spare = arena;
        arena = to;
        used = pos;
    }
}
