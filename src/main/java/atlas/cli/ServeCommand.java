package atlas.cli;

import atlas.net.Network;
import atlas.web.DemoContent;
import atlas.web.ExplorerServer;
import atlas.web.ModelStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@code atlas serve}: the interactive explorer in the browser (see docs/api.md). */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Start a local web server with an interactive explorer of exact regions and print its URL.",
                "With no argument it serves the demo net, the demo training run and an MNIST-shaped net."})
final class ServeCommand implements Callable<Integer> {
    @Parameters(paramLabel = "MODEL|RUN_DIR", arity = "0..*",
            description = "Model files (any format the CLI reads) or training run folders (from atlas train).")
    List<Path> sources = new ArrayList<>();

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}, this machine only). Another address opens the explorer to the network.")
    String host;

    @Option(names = "--port", defaultValue = "7070", description = "Port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--time-limit", paramLabel = "SECONDS", defaultValue = "20",
            description = "Longest computation a request may take before it is cut off (default: ${DEFAULT-VALUE}).")
    double timeLimit;

    @Option(names = "--max-upload-mb", paramLabel = "MB", defaultValue = "64",
            description = "Largest model file accepted from the page (default: ${DEFAULT-VALUE}).")
    double maxUploadMb;

    @Option(names = "--demo-cache", paramLabel = "DIR",
            description = "Where the demo training run is trained when atlas-out/training is missing (default: <tmp>/relu-atlas-serve).")
    Path demoCache;

    @Option(names = "--stop-after", paramLabel = "SECONDS",
            description = "Stop after this many seconds (for scripts); by default the server runs until Ctrl-C.")
    Double stopAfter;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (port < 0 || port > 65535) throw new ExitException(ExitCodes.INVALID_INPUT, "--port must be between 0 and 65535, got " + port);
        if (stopAfter != null && !(stopAfter >= 0)) throw new ExitException(ExitCodes.INVALID_INPUT, "--stop-after must be zero or more seconds");
        if (!(maxUploadMb > 0)) throw new ExitException(ExitCodes.INVALID_INPUT, "--max-upload-mb must be positive");
        ExplorerServer.Limits limits = new ExplorerServer.Limits(timeLimit, (long) (maxUploadMb * (1 << 20)));
        boolean loopback = isLoopback(host);
        ModelStore store = new ModelStore();
        if (sources.isEmpty()) {
            Path cache = demoCache != null ? demoCache : Path.of(System.getProperty("java.io.tmpdir"), "relu-atlas-serve");
            DemoContent.load(store, Path.of("atlas-out"), cache, ModelArgs::load, err);
        }
        for (Path p : sources) {
            if (Files.isDirectory(p)) store.addRun(p, p.toAbsolutePath().normalize().getFileName().toString(), ModelArgs::load);
            else {
                Network net = ModelArgs.load(p);
                store.add(p.getFileName().toString(), p.toString(), net);
            }
        }
        ExplorerServer server = new ExplorerServer(store, ModelArgs::load, limits);
        try {
            server.start(host, port);
        } catch (RuntimeException e) {
            server.close();
            throw new ExitException(ExitCodes.INVALID_INPUT, "cannot listen on " + host + ":" + port + " (" + firstLine(e)
                    + "); choose another --port (0 picks a free one)");
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            server.close();
            stopped.countDown();
        });
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            if (!loopback)
                err.println("atlas serve: WARNING: listening on " + host + ": anyone who can reach this machine can use the explorer and upload models (no authentication)");
            String shown = host.contains(":") ? "[" + host + "]" : host;
            out.printf("ReLU Atlas explorer: http://%s:%d/  (%d models, %d runs; %s)%n", shown, server.port(),
                    store.models().size(), store.runs().size(),
                    stopAfter != null ? "stops after " + java.math.BigDecimal.valueOf(stopAfter).stripTrailingZeros().toPlainString() + " s" : "Ctrl-C stops it");
            out.flush();
            err.flush();
            if (stopAfter != null) stopped.await((long) (stopAfter * 1000), TimeUnit.MILLISECONDS);
            else stopped.await();
        } finally {
            // stopped by the clock or interrupted: close here and drop the hook (the JVM may go on, as in tests)
            server.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or has run: it closes the server itself
            }
        }
        return ExitCodes.OK;
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new ExitException(ExitCodes.INVALID_INPUT, "--host " + host + " is not a known address of this machine");
        }
    }

    private static String firstLine(Throwable e) {
        Throwable c = e;
        while (c.getCause() != null && c.getMessage() == null) c = c.getCause();
        String m = c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
        return m.split("\n")[0];
    }
}
