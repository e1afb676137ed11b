package atlas.cli;

import atlas.geometry.Rectangle;
import atlas.net.Activation;
import atlas.net.ModelFormat;
import atlas.net.Network;
import atlas.net.Networks;
import atlas.regions.PlaneSlice;
import atlas.regions.TiledPlanePartitioner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code bench speed --frame}: each frame path draws the snapshot's frame and reports its region count; a bad path is refused. */
class SpeedBenchFrameTest {
    @Test
    void everyFramePathReportsTheSnapshotsRegions(@TempDir Path dir) {
        Network net = Networks.kaiming(4, 2, new int[]{20, 20, 20, 20, 20, 20, 20}, 1, Activation.LEAKY_RELU, 0.01, 0.1); // 2 strips
        Path file = dir.resolve("epoch-000050.json");
        ModelFormat.write(net, file);
        int regions = TiledPlanePartitioner.countRegions(net, PlaneSlice.inputPlane(), Rectangle.UNIT);
        for (String path : new String[]{"grey", "shaded", "overlap", "outline", "records"}) {
            StringWriter o = new StringWriter(), e = new StringWriter();
            int code = AtlasCommand.newCommandLine(new PrintWriter(o), new PrintWriter(e))
                    .execute("bench", "speed", "--cases", "small", "--repeats", "1", "--warm-calls", "1", "--frame", file.toString(), "--frame-path", path);
            assertThat(code).as(path + ": " + e).isZero();
            assertThat(o.toString()).as(path).contains("frame path: ").contains("epoch-000050.json (2 -> [20]x7 -> 1), " + regions + " regions: ");
        }
        StringWriter e = new StringWriter();
        int bad = AtlasCommand.newCommandLine(new PrintWriter(new StringWriter()), new PrintWriter(e))
                .execute("bench", "speed", "--cases", "small", "--repeats", "1", "--frame", file.toString(), "--frame-path", "pastel");
        assertThat(bad).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(e.toString()).contains("--frame-path: unknown path 'pastel'");
    }
}
