package atlas.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code atlas bench ...}: speed measurements that print comparable figures. Tests never time things; this does. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks: print regions, seconds and rates for comparable workloads.",
        subcommands = {
                PartitionBenchCommand.class,
                SpeedBenchCommand.class,
                RegioncamBenchCommand.class,
                EnumerateBenchCommand.class,
                FoldingBenchCommand.class,
                PredictBenchCommand.class,
                TrainBenchCommand.class,
                MnistBenchCommand.class,
                ServeBenchCommand.class,
                SweepBenchCommand.class,
        })
final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() { spec.commandLine().usage(spec.commandLine().getOut()); }

    /** CPU time of this process (all threads, GC and JIT included) in ns; 0 where the JVM does not say. */
    static long processCpu() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
    }

    /** The upper median of repeated timings (for an even count the larger middle value: a run, not an average). */
    static double upperMedian(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return s[s.length / 2];
    }
}
