package atlas.train;

import atlas.error.BadInputException;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses hidden-layer shapes. A shape is a list of items separated by {@code ,} or {@code +}; each item is
 * <ul>
 *   <li>{@code AxB}: A hidden layers of width B ({@code 30x30} = 30 layers of 30 units, {@code 6x14} = 6 layers
 *       of 14, {@code 1x500} = one layer of 500);</li>
 *   <li>{@code B}: one layer of width B;</li>
 *   <li>{@code [B]*A} (Python list syntax): A layers of width B; {@code [B]} alone is one layer of B;
 *       {@code [B, C, D]} lists widths.</li>
 * </ul>
 * So {@code 10x10,2,3x10} is 10 layers of 10, a layer of 2, then 3 layers of 10, and
 * {@code [10]*10+[2]+[10]*3} the same. Widths and counts must be positive; at most {@link #MAX_LAYERS} layers
 * and {@link #MAX_WIDTH} units per layer.
 */
public final class ShapeSpec {
    private ShapeSpec() {}

    public static final int MAX_LAYERS = 1000;
    public static final int MAX_WIDTH = 100_000;

    private static final Pattern AXB = Pattern.compile("(\\d+)\\s*[xX]\\s*(\\d+)");
    private static final Pattern NUM = Pattern.compile("\\d+");
    private static final Pattern LIST = Pattern.compile("\\[([\\d\\s,]+)\\]\\s*(?:\\*\\s*(\\d+))?");

    /**
     * The hidden widths of {@code spec}, in order.
     *
     * @throws IllegalArgumentException with a one-line message naming the bad part
     */
    public static int[] parse(String spec) {
        if (spec == null || spec.isBlank()) throw new BadInputException("empty shape (expected e.g. 30x30 or 10x10,2,3x10)");
        List<Integer> widths = new ArrayList<>();
        for (String item : splitTop(spec.trim())) {
            String it = item.trim();
            Matcher m;
            if ((m = AXB.matcher(it)).matches()) {
                repeat(widths, number(m.group(2), spec), number(m.group(1), spec), spec);
            } else if (NUM.matcher(it).matches()) {
                repeat(widths, number(it, spec), 1, spec);
            } else if ((m = LIST.matcher(it)).matches()) {
                int times = m.group(2) == null ? 1 : number(m.group(2), spec);
                List<Integer> inner = new ArrayList<>();
                for (String w : m.group(1).split(",")) {
                    if (w.isBlank()) throw bad(spec, "empty width in '" + it + "'");
                    inner.add(number(w.trim(), spec));
                }
                for (int t = 0; t < times; t++) for (int w : inner) repeat(widths, w, 1, spec);
            } else {
                throw bad(spec, "cannot read '" + it + "'");
            }
        }
        if (widths.isEmpty()) throw bad(spec, "no layers");
        return widths.stream().mapToInt(Integer::intValue).toArray();
    }

    /** A compact string for widths: runs of equal widths as {@code AxB}, joined by commas ({@code 10x10,1x2,3x10}). */
    public static String format(int[] hidden) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < hidden.length) {
            int j = i;
            while (j < hidden.length && hidden[j] == hidden[i]) j++;
            if (sb.length() > 0) sb.append(',');
            sb.append(j - i).append('x').append(hidden[i]);
            i = j;
        }
        return sb.toString();
    }

    private static List<String> splitTop(String s) {
        List<String> items = new ArrayList<>();
        int depth = 0, start = 0;
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if (c == '[') depth++;
            else if (c == ']') depth--;
            else if ((c == ',' || c == '+') && depth == 0) {
                items.add(s.substring(start, k));
                start = k + 1;
            }
            if (depth < 0) throw bad(s, "unbalanced ']'");
        }
        if (depth != 0) throw bad(s, "unbalanced '['");
        items.add(s.substring(start));
        for (String it : items) if (it.isBlank()) throw bad(s, "empty item");
        return items;
    }

    private static void repeat(List<Integer> widths, int width, int times, String spec) {
        if (width <= 0) throw bad(spec, "layer width must be positive");
        if (times <= 0) throw bad(spec, "layer count must be positive");
        if (width > MAX_WIDTH) throw bad(spec, "layer width " + width + " exceeds " + MAX_WIDTH);
        if ((long) widths.size() + times > MAX_LAYERS) throw bad(spec, "more than " + MAX_LAYERS + " layers");
        for (int t = 0; t < times; t++) widths.add(width);
    }

    private static int number(String s, String spec) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw bad(spec, "number '" + s + "' is too large");
        }
    }

    private static IllegalArgumentException bad(String spec, String why) {
        return new BadInputException("bad shape '" + spec + "': " + why
                + " (expected e.g. 30x30 = 30 layers of 30, 10x10,2,3x10, or [30]*30)");
    }
}
