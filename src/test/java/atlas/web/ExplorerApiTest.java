package atlas.web;

import atlas.experiment.Demo;
import atlas.experiment.PlaneSpecs;
import atlas.net.Activation;
import atlas.net.ModelFormat;
import atlas.net.Network;
import atlas.net.Networks;
import atlas.regions.ActivationPattern;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

import static atlas.web.WebFixtures.get;
import static atlas.web.WebFixtures.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The JSON API over real HTTP on 127.0.0.1 (port 0), checked against closed forms and forward passes. */
class ExplorerApiTest {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir static Path tmp;
    static ExplorerServer server;
    static String base;
    static String quadrants, fold, demo, fiveInputs;
    static Network demoNet = Demo.network();

    @BeforeAll
    static void start() {
        ModelStore store = new ModelStore();
        quadrants = store.add("quadrants", "test", WebFixtures.quadrants()).id();
        fold = store.add("fold", "test", WebFixtures.fold()).id();
        demo = store.add("demo", "test", demoNet).id();
        fiveInputs = store.add("five", "test", Networks.kaiming(3, 5, Networks.uniform(8, 2), 1, Activation.RELU, 0, 0.1)).id();
        store.addRun(WebFixtures.writeRun(tmp.resolve("run")), "run", ModelFormat::read);
        server = new ExplorerServer(store, ModelFormat::read, new ExplorerServer.Limits(60, 4096)).start("127.0.0.1", 0);
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterAll
    static void stop() { server.close(); }

    static JsonNode ok(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 201);
        assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("application/json");
        return JSON.readTree(r.body());
    }

    /** An error answer: the status, JSON with one line in "error", no stack trace. */
    static String error(HttpResponse<String> r, int status) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode j = JSON.readTree(r.body());
        String msg = j.get("error").asText();
        assertThat(msg).doesNotContain("\n").doesNotContain("\tat ").doesNotContain("Exception:");
        return msg;
    }

    @Test
    void modelsListsModelsAndRunWithSnapshotsInEpochOrder() throws Exception {
        JsonNode j = ok(get(base, "/api/models"));
        assertThat(j.get("models").size()).isGreaterThanOrEqualTo(4 + 3); // uploads by other tests come after
        JsonNode run = j.get("runs").get(0);
        assertThat(run.get("snapshots").findValuesAsText("epoch")).containsExactly("0", "5", "10");
        assertThat(run.get("snapshots").get(1).get("regions").asInt()).isEqualTo(15);
        assertThat(run.get("metrics").size()).isEqualTo(11);
        JsonNode first = j.get("models").get(0);
        assertThat(first.get("input_dim").asInt()).isEqualTo(2);
        assertThat(first.get("shape").asText()).isEqualTo(WebFixtures.quadrants().shape());
    }

    @Test
    void quadrantsGiveFourSquaresOfAreaOneQuarter() throws Exception {
        JsonNode j = ok(get(base, "/api/regions?model=" + quadrants + "&domain=0,1,0,1"));
        assertThat(j.get("count").asInt()).isEqualTo(4);
        Set<String> hashes = new HashSet<>();
        for (JsonNode r : j.get("regions")) {
            assertThat(r.get("area").asDouble()).isCloseTo(0.25, within(1e-12));
            assertThat(r.get("colour").asText()).matches("#[0-9a-f]{6}");
            assertThat(r.get("neighbours").size()).isEqualTo(2);
            hashes.add(r.get("hash").asText());
        }
        assertThat(hashes).hasSize(4);
    }

    @Test
    void everyRegionHoldsPointsOfItsOwnPatternOnTheDemoNet() throws Exception {
        double x0 = 0.3, y0 = 0.55, w = 0.08;
        String dom = String.format(Locale.ROOT, "%s,%s,%s,%s", x0, x0 + w, y0, y0 + w);
        JsonNode j = ok(get(base, "/api/regions?model=" + demo + "&domain=" + dom));
        assertThat(j.get("count").asInt()).isGreaterThan(20);
        double area = 0;
        for (JsonNode r : j.get("regions")) area += r.get("area").asDouble();
        assertThat(area).isCloseTo(w * w, within(1e-12));
        Random rnd = new Random(5);
        int checked = 0;
        for (int k = 0; k < 300; k++) {
            double s = x0 + w * rnd.nextDouble(), t = y0 + w * rnd.nextDouble();
            JsonNode hit = null;
            for (JsonNode r : j.get("regions")) {
                double[] poly = JSON.convertValue(r.get("polygon"), double[].class);
                if (WebFixtures.inside(poly, s, t, 0)) { hit = r; break; }
            }
            if (hit == null) continue; // on a boundary to rounding
            ActivationPattern truth = ActivationPattern.of(demoNet.trace(new double[]{s, t}).activeBits(demoNet));
            assertThat(hit.get("hash").asText()).isEqualTo(RegionViews.hash(truth));
            checked++;
        }
        assertThat(checked).isGreaterThan(280);
    }

    @Test
    void pointGivesPatternMapAreaAndDistanceOfItsSquare() throws Exception {
        JsonNode j = ok(get(base, "/api/point?model=" + quadrants + "&x=0.7,0.2&domain=0,1,0,1"));
        assertThat(j.get("pattern").asText()).isEqualTo("10");
        assertThat(j.get("layers").get(0).get("active").asInt()).isEqualTo(1);
        assertThat(j.get("boundary_distance").asDouble()).isCloseTo(0.2, within(1e-12));
        assertThat(j.get("outputs").get(0).asDouble()).isCloseTo(0.2, within(1e-12));
        JsonNode region = j.get("region");
        assertThat(region.get("area").asDouble()).isCloseTo(0.25, within(1e-12));
        JsonNode map = region.get("map");
        assertThat(map.get("matrix").get(0).get(0).asDouble()).isCloseTo(1, within(1e-12));
        assertThat(map.get("matrix").get(0).get(1).asDouble()).isCloseTo(0, within(1e-12));
        assertThat(map.get("offset").get(0).asDouble()).isCloseTo(-0.5, within(1e-12));
        assertThat(region.get("inequalities").size()).isEqualTo(4); // x >= 1/2, y <= 1/2 and two sides of the view
        int unitFacets = 0;
        for (JsonNode f : region.get("inequalities")) if (!f.get("domain_boundary").asBoolean()) {
            unitFacets++;
            assertThat(f.get("neighbour_hash").asText()).matches("[0-9a-f]{16}");
        }
        assertThat(unitFacets).isEqualTo(2);
    }

    @Test
    void pointPatternMatchesAForwardPassOnTheDemoNet() throws Exception {
        Random rnd = new Random(9);
        for (int k = 0; k < 20; k++) {
            double s = rnd.nextDouble(), t = rnd.nextDouble();
            JsonNode j = ok(get(base, "/api/point?model=" + demo + "&x=" + s + "," + t));
            assertThat(j.get("pattern").asText()).isEqualTo(WebFixtures.forwardPattern(demoNet, new double[]{s, t}));
            assertThat(j.get("outputs").get(0).asDouble()).isCloseTo(demoNet.forward(new double[]{s, t})[0], within(1e-9));
        }
    }

    @Test
    void lineAcrossTheFoldHasFourPiecesAndChiOneQuarter() throws Exception {
        JsonNode j = ok(get(base, "/api/line?model=" + fold + "&from=0,0.3&to=1,0.3"));
        assertThat(j.get("count").asInt()).isEqualTo(4);
        assertThat(JSON.convertValue(j.get("breakpoints"), double[].class)).containsExactly(new double[]{0.25, 0.5, 0.75}, within(1e-12));
        JsonNode f = j.get("folding");
        assertThat(f.get("r1").asInt()).isEqualTo(3);
        assertThat(f.get("r2").asInt()).isEqualTo(4);
        assertThat(f.get("chi").asDouble()).isCloseTo(0.25, within(1e-15));
        // output |x - 1/2| - 1/4 clipped at 0: 1/4 at both ends, 0 at the middle breakpoints
        JsonNode iv = j.get("intervals");
        assertThat(iv.get(0).get("y0").get(0).asDouble()).isCloseTo(0.25, within(1e-12));
        assertThat(iv.get(3).get("y1").get(0).asDouble()).isCloseTo(0.25, within(1e-12));
        assertThat(iv.get(1).get("y1").get(0).asDouble()).isCloseTo(0, within(1e-12));
    }

    @Test
    void planesForModelsWithMoreInputs() throws Exception {
        JsonNode p = ok(post(base, "/api/planes", ("{\"model\":\"" + fiveInputs + "\",\"random\":3}").getBytes(StandardCharsets.UTF_8)));
        String id = p.get("id").asText();
        assertThat(p.get("points").size()).isEqualTo(3);
        // the plane's centre (plane point 0,0) is the one --plane random:3 gives
        JsonNode c = ok(get(base, "/api/point?model=" + fiveInputs + "&x=0,0&plane=" + id));
        assertThat(JSON.convertValue(c.get("input"), double[].class)).containsExactly(PlaneSpecs.randomPlane(3, 5).origin(), within(1e-12));
        JsonNode r = ok(get(base, "/api/regions?model=" + fiveInputs + "&plane=" + id));
        assertThat(r.get("count").asInt()).isGreaterThan(1);
        assertThat(ok(get(base, "/api/regions?model=" + fiveInputs + "&plane=random:3")).get("count").asInt()).isEqualTo(r.get("count").asInt());
        // three given points lie on their plane: the input at a vertex of Hanin-Rolnick's frame is an affine mix of them
        String pts = "[[1,0,0,0,0],[0,1,0,0,0],[0,0,1,0,0]]";
        JsonNode q = ok(post(base, "/api/planes", ("{\"model\":\"" + fiveInputs + "\",\"points\":" + pts + "}").getBytes(StandardCharsets.UTF_8)));
        JsonNode at = ok(get(base, "/api/point?model=" + fiveInputs + "&x=0.3,-0.2&plane=" + q.get("id").asText()));
        double[] x = JSON.convertValue(at.get("input"), double[].class);
        assertThat(x[0] + x[1] + x[2]).isCloseTo(1, within(1e-12));
        assertThat(x[3]).isCloseTo(0, within(1e-15));
        assertThat(error(post(base, "/api/planes", ("{\"model\":\"" + fiveInputs + "\",\"points\":[[1,2],[3,4],[5,6]]}").getBytes(StandardCharsets.UTF_8)), 400))
                .contains("5 inputs");
        assertThat(error(get(base, "/api/regions?model=" + quadrants + "&plane=" + id), 400)).contains("dimensions");
    }

    @Test
    void badRequestsAreOneLineJsonErrors() throws Exception {
        assertThat(error(get(base, "/api/regions?model=nope"), 404)).contains("nope");
        assertThat(error(get(base, "/api/regions"), 400)).contains("model");
        assertThat(error(get(base, "/api/regions?model=" + quadrants + "&domain=0,0,0,1"), 400)).contains("zero area");
        assertThat(error(get(base, "/api/regions?model=" + quadrants + "&domain=0,1,x,1"), 400)).contains("not a number");
        assertThat(error(get(base, "/api/point?model=" + quadrants), 400)).contains("'x'");
        assertThat(error(get(base, "/api/point?model=" + quadrants + "&x=2,2"), 400)).contains("outside");
        assertThat(error(get(base, "/api/line?model=" + quadrants + "&from=0,0&to=0,0"), 400)).contains("zero length");
        assertThat(error(get(base, "/api/regions?model=" + fiveInputs + "&plane=p999"), 404)).contains("p999");
        assertThat(error(get(base, "/api/nothing"), 404)).contains("not found");
    }

    @Test
    void uploadsGoThroughTheModelReaderAndBadFilesGetAMessage() throws Exception {
        Path good = tmp.resolve("good.json");
        ModelFormat.write(WebFixtures.quadrants(), good);
        JsonNode m = ok(post(base, "/api/models?name=good.json", WebFixtures.bytes(good)));
        assertThat(m.get("name").asText()).isEqualTo("good.json");
        assertThat(ok(get(base, "/api/regions?model=" + m.get("id").asText())).get("count").asInt()).isEqualTo(4);

        String msg = error(post(base, "/api/models?name=broken.json", "{\"format\":\"relu-atlas-model/1\",\"input_dim\":2,\"layers\":[{\"weights\":[[1,2]],\"activation\":\"relu\"},{\"weights\":[[1,2]],\"activation\":\"identity\"}]}".getBytes(StandardCharsets.UTF_8)), 400);
        assertThat(msg).startsWith("broken.json").contains("layer 2").contains("columns");
        assertThat(msg).doesNotContain("atlas-upload-");
        assertThat(error(post(base, "/api/models?name=picture.png", new byte[]{(byte) 0x89, 'P', 'N', 'G', 0, 1, 2, (byte) 0xff}), 400)).startsWith("picture.png");
        assertThat(error(post(base, "/api/models?name=empty.json", new byte[0]), 400)).contains("empty");
        assertThat(error(post(base, "/api/models?name=big.json", new byte[5000]), 413)).contains("limit");
        assertThat(error(post(base, "/api/models?name=../../etc/evil.json", "[]".getBytes(StandardCharsets.UTF_8)), 400)).startsWith("evil.json");
    }

    @Test
    void servesItsOwnStaticFilesAndNothingElse() throws Exception {
        HttpResponse<String> page = get(base, "/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<canvas id=\"view\"");
        assertThat(get(base, "/app.js").body()).contains("/api/regions");
        for (String path : new String[]{"/pom.xml", "/..%2Fpom.xml", "/%2e%2e/%2e%2e/etc/passwd", "/web/app.js", "/atlas/web/ExplorerServer.class",
                "/app.js/../../pom.xml", "/static/../../../etc/passwd", "/api/../../pom.xml"}) {
            HttpResponse<String> r = get(base, path);
            assertThat(r.statusCode()).as(path).isBetween(400, 404);
            assertThat(r.body()).as(path).doesNotContain("<project").doesNotContain("root:").doesNotContain("CAFEBABE");
        }
    }

    @Test
    void aComputationOverTheTimeLimitIsCutOffAndTheServerGoesOn() throws Exception {
        ModelStore store = new ModelStore();
        String big = store.add("big", "test", Networks.kaiming(1, 2, Networks.uniform(200, 12), 1, Activation.RELU, 0, 0.1)).id();
        String small = store.add("small", "test", WebFixtures.quadrants()).id();
        try (ExplorerServer s = new ExplorerServer(store, ModelFormat::read, new ExplorerServer.Limits(0.05, 1000)).start("127.0.0.1", 0)) {
            String b = "http://127.0.0.1:" + s.port();
            assertThat(error(get(b, "/api/regions?model=" + big + "&domain=-50,50,-50,50"), 503)).contains("cut off");
            assertThat(ok(get(b, "/api/regions?model=" + small)).get("count").asInt()).isEqualTo(4);
        }
    }

    @Test
    void runSnapshotsKeepTheirPatternColours() throws Exception {
        // a pattern's colour is a function of its bits: the same pattern in two snapshots gets the same colour
        JsonNode runs = ok(get(base, "/api/models")).get("runs").get(0).get("snapshots");
        JsonNode a = ok(get(base, "/api/point?model=" + runs.get(1).get("model").asText() + "&x=0.5,0.5"));
        JsonNode b = ok(get(base, "/api/point?model=" + runs.get(2).get("model").asText() + "&x=0.5,0.5"));
        assertThat(a.get("colour").asText().equals(b.get("colour").asText())).isEqualTo(a.get("pattern").asText().equals(b.get("pattern").asText()));
        ActivationPattern p = ActivationPattern.parse(a.get("pattern").asText());
        assertThat(a.get("colour").asText()).isEqualTo(String.format(Locale.ROOT, "#%06x", atlas.render.RegionColours.patternRgb(p)));
    }

    @Test
    void noArgumentDemoContentUsesTheDemoFilesWhenPresent(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("atlas-out");
        ModelFormat.write(Demo.network(), out.resolve("demo-model.json"));
        WebFixtures.writeRun(out.resolve("training"));
        ModelStore store = new ModelStore();
        DemoContent.load(store, out, dir.resolve("cache"), ModelFormat::read, new java.io.PrintWriter(java.io.Writer.nullWriter()));
        assertThat(store.runs()).hasSize(1);
        assertThat(store.runs().get(0).snapshots()).hasSize(3);
        assertThat(store.models().get(0).network()).isEqualTo(Demo.network());
        assertThat(store.models().stream().anyMatch(m -> m.network().inputDim() == 784)).isTrue();
        assertThat(Files.exists(dir.resolve("cache"))).isFalse();
    }

    @Test
    void concurrentRequestsShareAModelSafely() throws Exception {
        // 24 requests at once on one model (views, points and uploads interleaved): every answer is the one it gets alone
        int n = 24;
        java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(n);
        try {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            java.util.List<java.util.concurrent.Future<Boolean>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                answers.add(clients.submit(() -> {
                    go.await();
                    if (k % 3 == 0) {
                        double a = 0.03 * (k % 7);
                        JsonNode v = ok(get(base, "/api/regions?model=" + fold + "&domain=" + a + ",1," + a + ",1"));
                        return v.get("count").asInt() == 4;   // the fold's four strips, whatever the rectangle's left edge < 1/4
                    }
                    if (k % 3 == 1) {
                        double x = 0.1 + 0.8 * k / n, y = 0.3;
                        JsonNode p = ok(get(base, "/api/point?model=" + demo + "&x=" + x + "," + y));
                        return p.get("pattern").asText().equals(WebFixtures.forwardPattern(demoNet, new double[]{x, y}));
                    }
                    Path f = tmp.resolve("concurrent-" + k + ".json");
                    ModelFormat.write(WebFixtures.quadrants(), f);
                    JsonNode m = ok(post(base, "/api/models?name=c" + k + ".json", WebFixtures.bytes(f)));
                    return ok(get(base, "/api/regions?model=" + m.get("id").asText())).get("count").asInt() == 4;
                }));
            }
            go.countDown();
            for (var a : answers) assertThat(a.get()).isTrue();
        } finally {
            clients.shutdownNow();
        }
        JsonNode models = ok(get(base, "/api/models")).get("models");
        Set<String> ids = new HashSet<>();
        for (JsonNode m : models) assertThat(ids.add(m.get("id").asText())).as("ids are unique").isTrue();
    }
}
