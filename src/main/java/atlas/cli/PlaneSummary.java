package atlas.cli;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Small text helpers for command output. */
final class PlaneSummary {
    private PlaneSummary() {}

    /** "1 2 4 ... " shortened in the middle when long. */
    static String perLayer(int[] counts) {
        if (counts.length <= 12) return Arrays.stream(counts).mapToObj(Integer::toString).collect(Collectors.joining(" "));
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < 6; k++) sb.append(counts[k]).append(' ');
        sb.append("... ");
        for (int k = counts.length - 4; k < counts.length; k++) sb.append(counts[k]).append(k + 1 < counts.length ? " " : "");
        return sb.toString();
    }
}
