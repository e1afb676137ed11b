package atlas.cli;

import atlas.net.Activation;
import atlas.net.ModelFormat;
import atlas.net.Network;
import atlas.net.RandomNets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code atlas convert} and the other commands on every model format. */
class ConvertCommandTest {
    @TempDir
    Path dir;

    @Test
    void convertChainIsExactAndEveryFormatGivesTheSameRegions() throws Exception {
        Network net = RandomNets.random(5, 2, new int[]{8, 8}, 1, Activation.LEAKY_RELU, 0.05, false);
        Path json = dir.resolve("m.json");
        ModelFormat.write(net, json);
        Path onnx = dir.resolve("m.onnx"), st = dir.resolve("m.safetensors"), back = dir.resolve("back.json");
        BadInputTest.Run r1 = BadInputTest.atlas("convert", json.toString(), onnx.toString());
        assertThat(r1.code()).as(r1.err()).isZero();
        assertThat(r1.out()).contains("wrote").contains("ONNX");
        assertThat(BadInputTest.atlas("convert", onnx.toString(), st.toString()).code()).isZero();
        assertThat(BadInputTest.atlas("convert", st.toString(), back.toString()).code()).isZero();
        assertThat(ModelFormat.read(back)).isEqualTo(net);

        String want = withoutTime(BadInputTest.atlas("regions", json.toString(), "--json").out());
        assertThat(want).contains("\"count\"");
        for (Path p : new Path[]{onnx, st})
            assertThat(withoutTime(BadInputTest.atlas("regions", p.toString(), "--json").out())).isEqualTo(want);
    }

    private static String withoutTime(String json) {
        return json.replaceAll("\"seconds\":[0-9.eE-]+", "");
    }

    @Test
    void badConversionsFailWithExitTwoAndWriteNothing() throws Exception {
        Network net = RandomNets.withSkipsEverywhere(2, 2, new int[]{4, 4}, 1, Activation.RELU, 0);
        Path json = dir.resolve("skips.json");
        ModelFormat.write(net, json);
        BadInputTest.assertBadInput(BadInputTest.atlas("convert", json.toString(), dir.resolve("x.safetensors").toString()), "skip");
        BadInputTest.assertBadInput(BadInputTest.atlas("convert", json.toString(), dir.resolve("x.pt").toString()), "safetensors");
        BadInputTest.assertBadInput(BadInputTest.atlas("convert", json.toString(), dir.resolve("x.txt").toString()), "format");
        BadInputTest.assertBadInput(BadInputTest.atlas("convert", json.toString(), dir.resolve("x.onnx").toString(), "--dtype", "F16"), "F64 or F32");
        BadInputTest.assertBadInput(BadInputTest.atlas("regions", json.toString(), "--activation", "tanh"), "--activation");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("skips.json");
        }
    }
}
