package atlas.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** The one way commands show progress: an ASCII bar on standard error (standard output stays clean for --json). */
final class ProgressBars {
    private ProgressBars() {}

    /** A bar for {@code max} steps ({@code -1}: unknown), redrawn continuously so slow steps still show time. */
    static ProgressBar open(String task, long max) {
        return builder(task, max).continuousUpdate().build();
    }

    /** The same bar with the rate of steps shown (e.g. epochs per second). */
    static ProgressBar openWithSpeed(String task, long max) {
        return builder(task, max).showSpeed().build();
    }

    private static ProgressBarBuilder builder(String task, long max) {
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(max).setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(System.err));
    }
}
