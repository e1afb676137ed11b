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
}
