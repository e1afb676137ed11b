package atlas.measure.lineage;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The fate table of one lineage step as CSV (docs/lineage.md, "Per-region table"): one row per region of the
 * earlier partition (side {@code before}: its fate and successors), then one per region of the later partition
 * (side {@code after}: its origin and predecessors).
 * <pre>
 * side,region,pattern_hash,area,fate,partner,links,link_areas
 * before,0,9f3c...,0.0123,split,,4;7,0.0100;0.0023
 * after,4,51aa...,0.0100,born,,0,0.0100
 * </pre>
 * {@code links} are the ids of the other partition's regions that share area with the row's region (ascending,
 * {@code ;}-separated) and {@code link_areas} the shared areas in the same order; they sum to {@code area} (lineage
 * conservation, up to rounding). Areas are written with {@link Double#toString} (shortest exact round trip), so the
 * sums can be checked from the file. {@code partner} is the region of the other partition with the same activation
 * pattern (empty when none); {@code pattern_hash} is the pattern's stable hash in hex, equal across snapshots when
 * the pattern is.
 */
public final class RegionTable {
    public static final String HEADER = "side,region,pattern_hash,area,fate,partner,links,link_areas";

    private RegionTable() {}

    /** Writes the table of {@code l} to {@code out} (UTF-8; {@code out} is flushed, not closed). */
    public static void write(Lineage l, OutputStream out) throws IOException {
        Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
        w.write(HEADER);
        w.write('\n');
        StringBuilder sb = new StringBuilder(256);
        Overlaps ov = l.overlaps();
        Fate[] fa = l.beforeFate(), fb = l.afterFate();
        int[] pa = l.partnerBefore(), pb = l.partnerAfter();
        var ra = l.before().regions();
        for (int i = 0; i < ra.size(); i++) {
            sb.setLength(0);
            head(sb, "before", i, ra.get(i).pattern().stableHash(), ra.get(i).area(), fa[i], pa[i]);
            int from = ov.firstOfBefore(i), to = ov.endOfBefore(i);
            for (int k = from; k < to; k++) sb.append(k > from ? ";" : "").append(ov.after(k));
            sb.append(',');
            for (int k = from; k < to; k++) sb.append(k > from ? ";" : "").append(ov.area(k));
            sb.append('\n');
            w.append(sb);
        }
        var rb = l.after().regions();
        for (int j = 0; j < rb.size(); j++) {
            sb.setLength(0);
            head(sb, "after", j, rb.get(j).pattern().stableHash(), rb.get(j).area(), fb[j], pb[j]);
            int[] pieces = ov.piecesOfAfter(j);
            for (int k = 0; k < pieces.length; k++) sb.append(k > 0 ? ";" : "").append(ov.before(pieces[k]));
            sb.append(',');
            for (int k = 0; k < pieces.length; k++) sb.append(k > 0 ? ";" : "").append(ov.area(pieces[k]));
            sb.append('\n');
            w.append(sb);
        }
        w.flush();
    }

    private static void head(StringBuilder sb, String side, int id, long hash, double area, Fate fate, int partner) {
        sb.append(side).append(',').append(id).append(',');
        String h = Long.toHexString(hash);
        for (int k = h.length(); k < 16; k++) sb.append('0');
        sb.append(h).append(',').append(area).append(',').append(fate.label()).append(',');
        if (partner >= 0) sb.append(partner);
        sb.append(',');
    }

    /** The step's table file name: {@code step-NNNN.csv} (with {@code .gz} when compressed). */
    public static String fileName(int step, boolean gzip) {
        return String.format(Locale.ROOT, "step-%04d.csv", step) + (gzip ? ".gz" : "");
    }
}
