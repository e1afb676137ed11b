package atlas.web;

import atlas.experiment.MetricsRow;
import atlas.net.Activation;
import atlas.net.DenseLayer;
import atlas.net.ModelFormat;
import atlas.net.Network;
import atlas.net.Networks;
import atlas.regions.ActivationPattern;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Models with known regions, a hand-made run folder, and a small HTTP client for the web tests. */
final class WebFixtures {
    private WebFixtures() {}

    /** The units x - 1/2 and y - 1/2, summed: four squares of area 1/4 on [0,1]^2. */
    static Network quadrants() {
        return Networks.lines(new double[]{1, 0}, new double[]{0, 1}, new double[]{-0.5, -0.5});
    }

    /**
     * h1 = relu(x - 1/2), h2 = relu(1/2 - x), g = relu(h1 + h2 - 1/4) = relu(|x - 1/2| - 1/4), output g.
     * Along y = const from x = 0 to 1 the patterns (h1 h2 g) are 011, 010, 100, 101: r1 = 3, r2 = 4, chi = 1/4.
     */
    static Network fold() {
        return new Network(2, List.of(
                new DenseLayer(2, 2, new double[]{1, 0, -1, 0}, new double[]{-0.5, 0.5}, Activation.RELU, 0),
                new DenseLayer(2, 1, new double[]{1, 1}, new double[]{-0.25}, Activation.RELU, 0),
                new DenseLayer(1, 1, new double[]{1}, new double[]{0}, Activation.IDENTITY, 0)));
    }

    /** A run folder as atlas train writes it: three snapshots (epochs 0, 5, 10) and metrics.csv. */
    static Path writeRun(Path dir) {
        List<MetricsRow> rows = new ArrayList<>();
        for (int e = 0; e <= 10; e++) {
            int epoch = e;
            boolean snap = e % 5 == 0;
            if (snap) ModelFormat.write(Networks.kaiming(100 + e, 2, Networks.uniform(6, 2), 1, Activation.RELU, 0, 0.1),
                    dir.resolve("models").resolve(String.format(Locale.ROOT, "epoch-%06d.json", epoch)));
            rows.add(new MetricsRow(e, 1.0 / (e + 1), 1.5 / (e + 1), snap ? 10 + e : -1, e * 0.1));
        }
        MetricsRow.write(dir.resolve("metrics.csv"), rows);
        return dir;
    }

    /** The pattern of x by a plain forward pass (the truth the partition's patterns are checked against). */
    static String forwardPattern(Network net, double[] x) {
        return ActivationPattern.of(net.trace(x).activeBits(net)).toBitString();
    }

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    static HttpResponse<String> get(String base, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(120)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(String base, String path, byte[] body) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(120))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static byte[] bytes(Path p) throws IOException { return Files.readAllBytes(p); }

    /** True when (s, t) lies in the convex counter-clockwise polygon {x0,y0,x1,y1,...} (with slack). */
    static boolean inside(double[] poly, double s, double t, double slack) {
        int n = poly.length / 2;
        for (int k = 0; k < n; k++) {
            double ax = poly[2 * k], ay = poly[2 * k + 1], bx = poly[(2 * k + 2) % poly.length], by = poly[(2 * k + 3) % poly.length];
            double len = Math.hypot(bx - ax, by - ay);
            if (len == 0) continue;
            if (((bx - ax) * (t - ay) - (by - ay) * (s - ax)) / len < -slack) return false;
        }
        return true;
    }
}
