package atlas.web;

import atlas.geometry.Rectangle;
import atlas.geometry.Tolerance;
import atlas.measure.BoundaryDistance;
import atlas.net.Activation;
import atlas.net.ModelFormat;
import atlas.net.Network;
import atlas.net.Networks;
import atlas.regions.PlanePartitioner;
import atlas.regions.PlaneSlice;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.BoundingBox;
import com.microsoft.playwright.options.FilePayload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The page end to end in headless Chromium: the system's browser (Debian {@code chromium}) driven by Playwright
 * Java, nothing downloaded. Skips, saying so, when the browser is absent ({@code .ci/run} installs it when it can).
 *
 * <p>Truths: the pattern under the mouse is checked against a forward pass at the plane point the pixel stands
 * for (so the canvas's y-up mapping is checked too) and against {@code /api/point}; region counts against a
 * direct partition of the view the canvas reports.
 */
class ExplorerBrowserTest {
    static final ObjectMapper JSON = new ObjectMapper();

    /** Canvas side in CSS pixels (index.html); the view is [0,1]^2 for a 2-input model. */
    static final int SIDE = 720;

    /** How far (in plane units) the hovered point keeps from any region boundary: 3 pixels of the [0,1]^2 view. */
    static final double CLEARANCE = 3.0 / SIDE;

    @TempDir Path tmp;

    @Test
    void theCanvasShowsTheExactRegionsAndTheTooltipPatternIsTheForwardPattern() throws Exception {
        Path chromium = BrowserSupport.chromium();
        assumeTrue(chromium != null, BrowserSupport.SKIP_MESSAGE);

        Network net = Networks.kaiming(11, 2, Networks.uniform(8, 3), 1, Activation.RELU, 0, 0.1);
        ModelStore store = new ModelStore();
        String id = store.add("small 2-[8]x3-1", "test", net).id();
        store.addRun(WebFixtures.writeRun(tmp.resolve("run")), "run", ModelFormat::read);
        try (ExplorerServer server = new ExplorerServer(store, ModelFormat::read, new ExplorerServer.Limits(60, 1 << 20)).start("127.0.0.1", 0);
             Playwright pw = BrowserSupport.playwright();
             Browser browser = BrowserSupport.launch(pw, chromium)) {
            String base = "http://127.0.0.1:" + server.port();
            Page page = browser.newPage(new Browser.NewPageOptions().setViewportSize(1240, 860));
            page.navigate(base + "/");
            page.waitForSelector("#view[data-state=ready]", new Page.WaitForSelectorOptions().setTimeout(60_000));

            // the first view: [0,1]^2, as many regions as a direct partition
            int direct = new PlanePartitioner(net, PlaneSlice.inputPlane(), new Rectangle(0, 1, 0, 1), Tolerance.DEFAULT).getResult().count();
            assertThat(page.getAttribute("#view", "data-count")).isEqualTo(String.valueOf(direct));
            assertThat(page.textContent("#status")).startsWith(direct + " regions");

            // hover a pixel whose plane point is well inside its region
            int[] px = clearPixel(net);
            double s = (px[0] + 0.5) / SIDE, t = 1 - (px[1] + 0.5) / SIDE;
            Locator view = page.locator("#view");
            view.hover(new Locator.HoverOptions().setPosition(px[0] + 0.5, px[1] + 0.5));
            page.waitForSelector("#tip[data-pattern]", new Page.WaitForSelectorOptions().setTimeout(30_000));
            String shown = page.getAttribute("#tip", "data-pattern");
            String truth = WebFixtures.forwardPattern(net, new double[]{s, t});
            assertThat(shown).isEqualTo(truth);
            double[] asked = Arrays.stream(page.getAttribute("#tip", "data-x").split(",")).mapToDouble(Double::parseDouble).toArray();
            JsonNode api = JSON.readTree(WebFixtures.get(base, "/api/point?model=" + id + "&x=" + asked[0] + "," + asked[1]).body());
            assertThat(api.get("pattern").asText()).isEqualTo(shown);
            StringBuilder active = new StringBuilder(), bits = new StringBuilder();
            for (JsonNode l : api.get("layers")) {
                active.append(active.length() == 0 ? "" : " ").append(l.get("active").asInt());
                bits.append(bits.length() == 0 ? "" : " | ").append(l.get("bits").asText());
            }
            assertThat(page.textContent("#tip-active")).isEqualTo(active.toString());
            assertThat(page.textContent("#tip-bits")).isEqualTo(bits.toString());
            assertThat(page.textContent("#tip")).contains("distance to the boundary").contains("affine map").contains("area");

            // click pins it: its inequalities are listed, one per facet of /api/point
            view.click(new Locator.ClickOptions().setPosition(px[0] + 0.5, px[1] + 0.5));
            page.waitForSelector("#pinned:not([hidden])");
            assertThat(page.locator("#pinned-body .ineq").count()).isEqualTo(api.get("region").get("inequalities").size());

            Path shot = Path.of("target", "explorer-e2e.png");
            Files.createDirectories(shot.getParent());
            page.screenshot(new Page.ScreenshotOptions().setPath(shot));
            assertThat(Files.size(shot)).isGreaterThan(10_000);

            // zooming in recomputes the exact partition of the new view
            BoundingBox box = view.boundingBox();
            page.mouse().move(box.x + SIDE / 4.0, box.y + SIDE / 4.0);
            page.mouse().wheel(0, -300);
            page.waitForFunction("() => { const c = document.getElementById('view'); return c.dataset.state === 'ready' && c.dataset.domain !== '0,1,0,1'; }",
                    null, new Page.WaitForFunctionOptions().setTimeout(60_000));
            double[] d = Arrays.stream(page.getAttribute("#view", "data-domain").split(",")).mapToDouble(Double::parseDouble).toArray();
            assertThat(d[1] - d[0]).isLessThan(1);
            int zoomed = new PlanePartitioner(net, PlaneSlice.inputPlane(), new Rectangle(d[0], d[1], d[2], d[3]), Tolerance.DEFAULT).getResult().count();
            assertThat(page.getAttribute("#view", "data-count")).isEqualTo(String.valueOf(zoomed));

            // a training run: the timeline spans its snapshots
            page.selectOption("#model", "run:" + store.runs().get(0).id());
            page.waitForSelector("#run:not([hidden])");
            assertThat(page.getAttribute("#timeline", "max")).isEqualTo("2");
            page.waitForFunction("() => document.getElementById('epoch').textContent.startsWith('epoch 10')");

            // a bad model file gets a readable message in the page, not a stack trace
            page.setInputFiles("#upload", new FilePayload("broken.json", "application/json", "{\"format\":\"relu-atlas-model/1\"".getBytes(StandardCharsets.UTF_8)));
            page.waitForSelector("#error:not([hidden])");
            assertThat(page.textContent("#error")).startsWith("could not open broken.json: broken.json").doesNotContain("Exception").doesNotContain("\tat ");
        }
    }

    /** A pixel of the [0,1]^2 view whose centre lies farther than {@link #CLEARANCE} from every region boundary. */
    static int[] clearPixel(Network net) {
        for (int py = SIDE / 3; py < SIDE; py += 7) {
            for (int px = SIDE / 3; px < SIDE; px += 7) {
                double s = (px + 0.5) / SIDE, t = 1 - (py + 0.5) / SIDE;
                if (BoundaryDistance.of(net, new double[]{s, t}) > CLEARANCE) return new int[]{px, py};
            }
        }
        throw new AssertionError("no pixel clear of the boundaries");
    }

    /** Finding and starting the system's Chromium. */
    static final class BrowserSupport {
        static final Path PATH = Path.of(System.getProperty("atlas.chromium", "/usr/bin/chromium"));

        static final String SKIP_MESSAGE = "SKIPPED ExplorerBrowserTest: no Chromium at " + PATH + " (Debian: apt-get install chromium; "
                + "or -Datlas.chromium=PATH); the browser test of the explorer did not run";

        /** The browser: -Datlas.chromium=PATH, else /usr/bin/chromium; null (with the message on stderr) when absent. */
        static Path chromium() {
            if (Files.isExecutable(PATH)) return PATH;
            System.err.println(SKIP_MESSAGE);
            return null;
        }

        /**
         * Playwright without any download: browsers are never fetched (the system one is used), and the driver runs
         * on the system's Node.js when there is one (18 or newer), else on the Node.js of the driver-bundle jar.
         */
        static Playwright playwright() {
            if (System.getProperty("playwright.nodejs.path") == null) {
                Path node = Path.of("/usr/bin/node");
                if (Files.isExecutable(node) && nodeMajor(node) >= 18) System.setProperty("playwright.nodejs.path", node.toString());
            }
            return Playwright.create(new Playwright.CreateOptions().setEnv(java.util.Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        }

        static Browser launch(Playwright pw, Path chromium) {
            // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start
            return pw.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(chromium).setHeadless(true)
                    .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage")).setTimeout(120_000));
        }

        private static int nodeMajor(Path node) {
            try {
                Process p = new ProcessBuilder(node.toString(), "--version").redirectErrorStream(true).start();
                String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                p.waitFor();
                return v.startsWith("v") ? Integer.parseInt(v.substring(1).split("\\.")[0]) : -1;
            } catch (Exception e) {
                return -1;
            }
        }
    }
}
