package atlas.cli;

import atlas.net.ModelFormat;
import atlas.net.Networks;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code atlas serve} on the command line: port 0 printed, --stop-after, --host warning, bad arguments. */
class ServeCommandTest {
    static final Pattern URL = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)/");

    @TempDir Path dir;

    @Test
    void portZeroPrintsTheChosenPortWhichServesTheModelsUntilStopped() throws Exception {
        Path model = dir.resolve("quadrants.json");
        ModelFormat.write(Networks.lines(new double[]{1, 0}, new double[]{0, 1}, new double[]{-0.5, -0.5}), model);
        StringWriter out = new StringWriter(), err = new StringWriter();
        AtomicInteger code = new AtomicInteger(-1);
        // a long --stop-after; the thread is interrupted once the check is done (the command closes the server then)
        Thread t = new Thread(() -> code.set(AtlasCommand.newCommandLine(new PrintWriter(out, true), new PrintWriter(err, true))
                .execute("serve", model.toString(), "--port", "0", "--stop-after", "600")));
        t.start();
        Matcher m = URL.matcher("");
        for (int k = 0; k < 1200 && !(m = URL.matcher(out.toString())).find(); k++) {
            assertThat(t.isAlive()).as(err.toString()).isTrue();
            Thread.sleep(50);
        }
        assertThat(m.find(0)).as(out + err.toString()).isTrue();
        int port = Integer.parseInt(m.group(1));
        assertThat(port).isPositive();
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/models"))
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode j = new ObjectMapper().readTree(r.body());
        assertThat(j.get("models").get(0).get("name").asText()).isEqualTo("quadrants.json");
        assertThat(j.get("runs").size()).isZero();
        assertThat(err.toString()).doesNotContain("WARNING");
        t.interrupt();
        t.join(60_000);
        assertThat(t.isAlive()).isFalse();
        // closed: nothing listens on the port any more
        assertThat(refused(port)).isTrue();
    }

    @Test
    void stopAfterEndsTheCommandAndAnotherHostIsAnnouncedAsOpen() throws Exception {
        Path model = BadInputTest.smallModel(dir);
        BadInputTest.Run r = BadInputTest.atlas("serve", model.toString(), "--port", "0", "--stop-after", "0");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern(URL).contains("stops after");
        assertThat(r.err()).doesNotContain("WARNING");

        BadInputTest.Run open = BadInputTest.atlas("serve", model.toString(), "--host", "0.0.0.0", "--port", "0", "--stop-after", "0");
        assertThat(open.code()).as(open.err()).isZero();
        assertThat(open.err()).contains("WARNING: listening on 0.0.0.0").contains("no authentication");
    }

    @Test
    void badArgumentsStopBeforeAnythingListens() throws Exception {
        Path model = BadInputTest.smallModel(dir);
        BadInputTest.assertBadInput(BadInputTest.atlas("serve", model.toString(), "--port", "70000"), "--port");
        BadInputTest.assertBadInput(BadInputTest.atlas("serve", model.toString(), "--max-upload-mb", "0"), "--max-upload-mb");
        BadInputTest.assertBadInput(BadInputTest.atlas("serve", model.toString(), "--stop-after", "-1"), "--stop-after");
        BadInputTest.assertBadInput(BadInputTest.atlas("serve", BadInputTest.pngLikeFile(dir).toString(), "--port", "0"), "picture.png");
        BadInputTest.assertBadInput(BadInputTest.atlas("serve", dir.resolve("missing.json").toString(), "--port", "0"), "missing.json");
    }

    private static boolean refused(int port) {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            return false;
        } catch (java.io.IOException e) {
            return true;
        }
    }
}
