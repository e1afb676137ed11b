package atlas.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;
import me.tongfei.progressbar.ProgressState;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The one way commands show progress, on standard error (standard output stays clean for --json).
 *
 * <p>Three modes, chosen by {@code ATLAS_PROGRESS} ({@code bar}, {@code lines}, {@code none}) or else by whether
 * standard error is a terminal ({@code ATLAS_STDERR_TTY=1/0}, which the launcher sets, or else
 * {@code System.console()}): on a terminal an ASCII bar redrawn in place; otherwise plain lines
 * ({@code atlas: layers 12/30 (40%), 3 s}) at most every {@value #LINE_INTERVAL_MS} ms, the first after
 * {@value #LINE_DELAY_MS} ms (quick commands stay silent) and a last one when the work ends, so logs get
 * readable lines instead of carriage returns.
 */
final class ProgressBars {
    private ProgressBars() {}

    static final long LINE_INTERVAL_MS = 10_000;
    static final long LINE_DELAY_MS = 3_000;

    enum Mode { BAR, LINES, NONE }

    /** The last bar opened (for the out-of-memory hint: how far the work got). */
    private static volatile ProgressBar last;

    /** A bar for {@code max} steps ({@code -1}: unknown), redrawn continuously so slow steps still show time. */
    static ProgressBar open(String task, long max) {
        return remember(builder(task, max).continuousUpdate().build());
    }

    /** The same bar with the rate of steps shown (e.g. epochs per second). */
    static ProgressBar openWithSpeed(String task, long max) {
        return remember(builder(task, max).showSpeed().build());
    }

    /** An indefinite bar that shows only the elapsed time and a message (work whose size is unknown). */
    static ProgressBar openIndefinite(String task, String message) {
        ProgressBar b = remember(builder(task, -1).continuousUpdate().build());
        if (message != null) b.setExtraMessage(message);
        return b;
    }

    private static ProgressBar remember(ProgressBar b) {
        last = b;
        return b;
    }

    /** "layers 12/30" for the last bar opened, or null. */
    static String lastProgress() {
        ProgressBar b = last;
        if (b == null) return null;
        return b.getTaskName() + " " + b.getCurrent() + (b.getMax() > 0 ? "/" + b.getMax() : "");
    }

    static Mode mode() {
        String forced = System.getenv("ATLAS_PROGRESS");
        if (forced == null) forced = System.getProperty("atlas.progress");
        if (forced != null) {
            switch (forced.trim().toLowerCase(Locale.ROOT)) {
                case "bar": return Mode.BAR;
                case "lines": return Mode.LINES;
                case "none": case "off": return Mode.NONE;
                default: break;
            }
        }
        String tty = System.getenv("ATLAS_STDERR_TTY");
        if (tty != null) return tty.equals("1") ? Mode.BAR : Mode.LINES;
        return System.console() != null ? Mode.BAR : Mode.LINES;
    }

    private static ProgressBarBuilder builder(String task, long max) {
        ProgressBarBuilder b = new ProgressBarBuilder().setTaskName(task).setInitialMax(max).setStyle(ProgressBarStyle.ASCII);
        switch (mode()) {
            case BAR -> {
                int cols = 100;
                try {
                    String c = System.getenv("COLUMNS");
                    if (c != null) cols = Math.max(40, Integer.parseInt(c.trim()));
                } catch (NumberFormatException ignored) { /* keep 100 */ }
                b.setConsumer(new ConsoleProgressBarConsumer(System.err, cols - 1));
            }
            case LINES -> b.setConsumer(new PlainLines(System.err)).setRenderer(ProgressBars::plain);
            case NONE -> b.setConsumer(new PlainLines(null)).setRenderer(ProgressBars::plain);
        }
        return b;
    }

    /** {@code layers 12/30 (40%), 3 s, extra message}. */
    static String plain(ProgressState s, int maxLength) {
        StringBuilder sb = new StringBuilder("atlas: ").append(s.getTaskName()).append(' ').append(s.getCurrent());
        if (!s.isIndefinite() && s.getMax() > 0)
            sb.append('/').append(s.getMax()).append(String.format(Locale.ROOT, " (%.0f%%)", 100.0 * s.getCurrent() / s.getMax()));
        sb.append(", ").append(s.getTotalElapsed().toSeconds()).append(" s");
        String extra = s.getExtraMessage();
        if (extra != null && !extra.isBlank()) sb.append(", ").append(extra);
        return sb.toString();
    }

    /** Prints a rendered line now and then instead of redrawing; null stream: prints nothing. */
    static final class PlainLines implements ProgressBarConsumer {
        private final PrintStream out;
        private final long start = System.currentTimeMillis();
        private long lastPrinted;
        private String latest;
        private String lastLine;
        private boolean printedAny;

        PlainLines(PrintStream out) { this.out = out; }

        @Override public int getMaxRenderedLength() { return 200; }

        @Override public synchronized void accept(String line) {
            latest = line;
            long now = System.currentTimeMillis();
            if (out == null || now - start < LINE_DELAY_MS || now - lastPrinted < LINE_INTERVAL_MS) return;
            out.println(line);
            out.flush();
            lastLine = line;
            lastPrinted = now;
            printedAny = true;
        }

        @Override public synchronized void close() {
            // a last line only if the work was long enough to report at all (the final state, once)
            if (out != null && printedAny && latest != null && !latest.equals(lastLine)) {
                out.println(latest);
                out.flush();
            }
        }
    }
}
