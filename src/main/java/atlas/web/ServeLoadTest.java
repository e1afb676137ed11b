package atlas.web;

import atlas.error.BadInputException;
import atlas.geometry.Rectangle;
import atlas.geometry.Tolerance;
import atlas.net.Network;
import atlas.regions.PlanePartitioner;
import atlas.regions.PlaneSlice;
import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A bounded loopback load test of the explorer (behind {@code atlas bench serve}): a server on a free 127.0.0.1
 * port with one network, {@code requests} {@code GET /api/regions} requests sent from {@code concurrency} client
 * threads released together, every answer checked (HTTP 200, JSON, the region count of a direct partition of the
 * same view), and the latencies reported.
 *
 * <p>The views are {@code distinct} seeded sub-rectangles of the default domain (side 0.25 to 1 of it) taken in
 * turn, so the answers can be checked against {@code distinct} direct partitions without doubling the work.
 */
public final class ServeLoadTest {
    private ServeLoadTest() {}

    /**
     * @param requests     requests sent
     * @param concurrency  client threads sending at once
     * @param errors       answers that were not 200 with the right count (or failed to arrive)
     * @param firstError   the first such problem, or null
     * @param latencyMs    every request's latency in milliseconds, sorted
     * @param wallSeconds  from the release of the clients to the last answer
     * @param serverThreads the server's compute threads
     */
    public record Result(int requests, int concurrency, int errors, String firstError, double[] latencyMs, double wallSeconds,
                         int serverThreads) {
        /** The q-quantile of the latencies (nearest rank), in milliseconds. */
        public double percentile(double q) {
            if (latencyMs.length == 0) return Double.NaN;
            int rank = (int) Math.ceil(q * latencyMs.length);
            return latencyMs[Math.max(0, Math.min(latencyMs.length - 1, rank - 1))];
        }

        public double throughput() { return requests / wallSeconds; }
    }

    /**
     * Runs the load test.
     *
     * @param net         a 2-input network
     * @param requests    number of requests (1..100000)
     * @param concurrency client threads (1..1000)
     * @param distinct    distinct views (1..requests)
     * @param seed        seed of the views
     * @param limits      the server's limits (the time limit should be generous: requests queue for the pool)
     */
    public static Result run(Network net, int requests, int concurrency, int distinct, long seed, ExplorerServer.Limits limits) throws Exception {
        if (net.inputDim() != 2) throw new BadInputException("the load test needs a 2-input model, this one has " + net.inputDim() + " inputs");
        if (requests < 1 || requests > 100_000) throw new BadInputException("--requests must be between 1 and 100000, got " + requests);
        if (concurrency < 1 || concurrency > 1000) throw new BadInputException("--concurrency must be between 1 and 1000, got " + concurrency);
        if (distinct < 1 || distinct > requests) throw new BadInputException("--views must be between 1 and the number of requests, got " + distinct);
        Rectangle[] views = views(distinct, seed);
        int[] expected = new int[distinct];
        for (int k = 0; k < distinct; k++) expected[k] = new PlanePartitioner(net, PlaneSlice.inputPlane(), views[k], Tolerance.DEFAULT).getResult().count();

        ModelStore store = new ModelStore();
        String id = store.add("load test", "built in", net).id();
        ExecutorService clients = Executors.newFixedThreadPool(concurrency);
        try (ExplorerServer server = new ExplorerServer(store, p -> { throw new BadInputException("uploads are off in the load test"); }, limits)
                .start("127.0.0.1", 0)) {
            String base = "http://127.0.0.1:" + server.port();
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
            Duration timeout = Duration.ofMillis((long) (limits.computeSeconds() * 1000) + 60_000);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Object[]>> answers = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                int view = i % distinct;
                Rectangle r = views[view];
                URI uri = URI.create(String.format(Locale.ROOT, "%s/api/regions?model=%s&domain=%.17g,%.17g,%.17g,%.17g",
                        base, id, r.xmin(), r.xmax(), r.ymin(), r.ymax()));
                answers.add(clients.submit(() -> {
                    go.await();
                    long t0 = System.nanoTime();
                    String problem = null;
                    try {
                        HttpResponse<byte[]> res = http.send(HttpRequest.newBuilder(uri).timeout(timeout).build(), HttpResponse.BodyHandlers.ofByteArray());
                        if (res.statusCode() != 200) {
                            problem = "HTTP " + res.statusCode() + ": " + new String(res.body(), java.nio.charset.StandardCharsets.UTF_8);
                        } else {
                            JsonNode j = RegionViews.JSON.readTree(res.body());
                            int count = j.path("count").asInt(-1);
                            if (count != expected[view] || j.path("regions").size() != count)
                                problem = "view " + view + ": " + count + " regions, a direct partition gives " + expected[view];
                        }
                    } catch (Exception e) {
                        problem = e.getClass().getSimpleName() + ": " + e.getMessage();
                    }
                    return new Object[]{(System.nanoTime() - t0) / 1e6, problem};
                }));
            }
            long start = System.nanoTime();
            go.countDown();
            double[] lat = new double[requests];
            int errors = 0;
            String first = null;
            for (int i = 0; i < requests; i++) {
                Object[] a = answers.get(i).get();
                lat[i] = (double) a[0];
                if (a[1] != null) {
                    errors++;
                    if (first == null) first = (String) a[1];
                }
            }
            double wall = (System.nanoTime() - start) / 1e9;
            Arrays.sort(lat);
            return new Result(requests, concurrency, errors, first, lat, wall, server.computeThreads());
        } finally {
            clients.shutdownNow();
        }
    }

    /** Seeded sub-rectangles of [0,1]^2 with sides between 1/4 and 1. */
    static Rectangle[] views(int n, long seed) {
        Random r = new Random(seed);
        Rectangle[] out = new Rectangle[n];
        for (int k = 0; k < n; k++) {
            double w = 0.25 + 0.75 * r.nextDouble(), h = 0.25 + 0.75 * r.nextDouble();
            double x = (1 - w) * r.nextDouble(), y = (1 - h) * r.nextDouble();
            out[k] = new Rectangle(x, x + w, y, y + h);
        }
        return out;
    }
}
