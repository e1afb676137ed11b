package atlas.cli;

import atlas.experiment.Demo;
import atlas.net.Network;
import atlas.web.ExplorerServer;
import atlas.web.ServeLoadTest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code atlas bench serve}: a bounded loopback load test of the explorer's region requests. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Loopback load test of atlas serve: a server on a free 127.0.0.1 port, REQUESTS GET /api/regions",
                "(seeded views of the model, each answer checked against a direct partition) from CONCURRENCY clients at once;",
                "prints errors, latency percentiles and throughput. Exit status 4 when any request failed."})
final class ServeBenchCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "FILE", description = "A two-input model instead of the demo net.")
    Path model;

    @Option(names = "--requests", defaultValue = "100", description = "Requests sent (default ${DEFAULT-VALUE}).")
    int requests;

    @Option(names = "--concurrency", defaultValue = "100", description = "Client threads sending at once (default ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--views", defaultValue = "10", description = "Distinct views, requested in turn (default ${DEFAULT-VALUE}).")
    int views;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the views (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--time-limit", paramLabel = "SECONDS", defaultValue = "300",
            description = "The server's compute time limit (default ${DEFAULT-VALUE}: requests queue for the server's threads).")
    double timeLimit;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter w = spec.commandLine().getOut();
        Network net = model == null ? Demo.network() : ModelArgs.load(model);
        ServeLoadTest.Result r = ServeLoadTest.run(net, requests, concurrency, Math.min(views, requests), seed,
                new ExplorerServer.Limits(timeLimit, 1 << 20));
        w.printf("atlas bench serve: %s, %d GET /api/regions (%d distinct views of [0,1]^2), %d concurrent clients, %d server compute threads, java %s%n",
                model == null ? "demo net " + net.shape() : model.toString(), r.requests(), Math.min(views, requests), r.concurrency(),
                r.serverThreads(), System.getProperty("java.version"));
        w.printf("  errors: %d%s%n", r.errors(), r.firstError() == null ? "" : " (first: " + r.firstError() + ")");
        w.printf("  latency ms: p50 %.0f  p90 %.0f  p99 %.0f  max %.0f  (min %.0f)%n", r.percentile(0.5), r.percentile(0.9),
                r.percentile(0.99), r.percentile(1.0), r.latencyMs()[0]);
        w.printf("  wall %.2f s, %.1f requests/s%n", r.wallSeconds(), r.throughput());
        w.flush();
        return r.errors() == 0 ? ExitCodes.OK : ExitCodes.INTERNAL; // a request failing under load is a bug of the server
    }
}
