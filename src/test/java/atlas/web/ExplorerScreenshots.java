package atlas.web;

import atlas.net.ModelFormat;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.BoundingBox;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Takes the screenshots of docs/api.md (docs/img/explorer-*.png) with the demo content of {@code atlas serve}: not a
 * test, a program run by hand after the page changes:
 *
 * <pre>
 * mvn -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) atlas.web.ExplorerScreenshots docs/img
 * </pre>
 */
public final class ExplorerScreenshots {
    private ExplorerScreenshots() {}

    public static void main(String[] args) throws Exception {
        Path outDir = Path.of(args.length > 0 ? args[0] : "docs/img");
        Path chromium = ExplorerBrowserTest.BrowserSupport.chromium();
        if (chromium == null) throw new IllegalStateException("no Chromium: apt-get install chromium");
        Files.createDirectories(outDir);
        ModelStore store = new ModelStore();
        DemoContent.load(store, Path.of("atlas-out"), Path.of(System.getProperty("java.io.tmpdir"), "relu-atlas-serve"),
                ModelFormat::read, new PrintWriter(System.err, true));
        try (ExplorerServer server = new ExplorerServer(store, ModelFormat::read, ExplorerServer.Limits.DEFAULT).start("127.0.0.1", 0);
             Playwright pw = ExplorerBrowserTest.BrowserSupport.playwright();
             Browser browser = ExplorerBrowserTest.BrowserSupport.launch(pw, chromium)) {
            Page page = browser.newPage(new Browser.NewPageOptions().setViewportSize(1280, 900));
            page.navigate("http://127.0.0.1:" + server.port() + "/");
            ready(page);
            Locator view = page.locator("#view");
            BoundingBox box = view.boundingBox();

            // the demo net: a segment with its 1-D view and chi, a pinned region, a tooltip
            page.check("input[name=tool][value=line]");
            page.mouse().move(box.x + 40, box.y + 660);
            page.mouse().down();
            page.mouse().move(box.x + 400, box.y + 380, new com.microsoft.playwright.Mouse.MoveOptions().setSteps(8));
            page.mouse().move(box.x + 680, box.y + 60, new com.microsoft.playwright.Mouse.MoveOptions().setSteps(8));
            page.mouse().up();
            page.waitForSelector("#line:not([hidden])");
            page.check("input[name=tool][value=pan]");
            view.click(new Locator.ClickOptions().setPosition(470, 250));
            page.waitForSelector("#pinned:not([hidden])");
            view.hover(new Locator.HoverOptions().setPosition(300, 520));
            page.waitForSelector("#tip[data-pattern]");
            page.screenshot(new Page.ScreenshotOptions().setPath(outDir.resolve("explorer-demo.png")));

            // the demo training run at a middle snapshot
            page.selectOption("#model", "run:" + store.runs().get(0).id());
            ready(page);
            int mid = store.runs().get(0).snapshots().size() / 3;
            page.evalOnSelector("#timeline", "(e, k) => { e.value = k; e.dispatchEvent(new Event('input')); }", mid);
            page.waitForTimeout(300);
            ready(page);
            page.screenshot(new Page.ScreenshotOptions().setPath(outDir.resolve("explorer-run.png")));

            // the MNIST-shaped net on a plane through three seeded random points, shown as images
            String mnist = store.models().stream().filter(m -> m.network().inputDim() == 784).findFirst().orElseThrow().id();
            page.selectOption("#model", mnist);
            page.waitForSelector("#images canvas");
            ready(page);
            page.screenshot(new Page.ScreenshotOptions().setPath(outDir.resolve("explorer-mnist.png")));
        }
        System.out.println("wrote " + outDir.resolve("explorer-{demo,run,mnist}.png"));
    }

    private static void ready(Page page) {
        page.waitForFunction("() => document.getElementById('view').dataset.state === 'ready'", null,
                new Page.WaitForFunctionOptions().setTimeout(120_000));
    }
}
