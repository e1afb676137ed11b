package atlas.cli;

import atlas.experiment.Demo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code atlas demo}: the main job on built-in defaults, no data, no flags. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the built-in demo: a seeded 2 -> [30]x30 -> 1 leaky-ReLU net, its exact regions on [0,1]^2, pictures and JSON.")
public final class DemoCommand implements Callable<Integer> {
    @Option(names = {"-o", "--out"}, paramLabel = "DIR", defaultValue = "atlas-out",
            description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter w = spec.commandLine().getOut();
        w.println("ReLU Atlas demo: exact linear regions of a seeded " + Demo.network().shape() + " leaky-ReLU network on [0,1]^2");
        Demo.Result r = Demo.run(out);
        var p = r.partition();
        w.printf("  regions: %d (after each layer: %s)%n", p.count(), PlaneSummary.perLayer(p.regionsPerLayer()));
        w.printf("  exact partition time: %.3f s; areas sum to %.15f; %d adjacent pairs%n", p.seconds(), p.totalArea(), p.adjacentPairs());
        w.printf("  along the diagonal (0,0)->(1,1): %d linear pieces%n", r.diagonal().count());
        w.println("  wrote:");
        for (Path f : r.files()) w.println("    " + f);
        w.flush();
        return ExitCodes.OK;
    }
}
