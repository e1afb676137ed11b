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

    @Test
    void aCnnConvertsToVersionTwoAndEveryCommandReadsIt() throws Exception {
        Path onnx = Path.of("docs/examples/cnn-mnist.onnx"), json = dir.resolve("cnn.json"), back = dir.resolve("cnn.onnx");
        BadInputTest.Run r = BadInputTest.atlas("convert", onnx.toString(), json.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("relu-atlas-model/2 JSON").contains("7 structured layers");
        assertThat(Files.readString(json)).startsWith("{\"format\":\"relu-atlas-model/2\"");
        assertThat(BadInputTest.atlas("convert", json.toString(), back.toString()).code()).isZero();
        // a segment across the input box: the same breakpoints from all three files
        String[] seg = {"--from=" + "0,".repeat(783) + "0", "--to=" + "1,".repeat(783) + "1", "--json"};
        String want = withoutTime(BadInputTest.atlas(line(onnx, seg)).out());
        assertThat(want).contains("\"count\"");
        for (Path p : new Path[]{json, back}) assertThat(withoutTime(BadInputTest.atlas(line(p, seg)).out())).isEqualTo(want);

        // a malformed /2 file: exit 2, one line naming the layer
        Files.writeString(json, Files.readString(json).replace("\"type\":\"maxpool\"", "\"type\":\"maxpool\",\"strides\":[2,2]"));
        BadInputTest.assertBadInput(BadInputTest.atlas(line(json, seg)), "layer 3 (maxpool): unknown field 'strides'");
    }

    private static String[] line(Path model, String[] args) {
        String[] a = new String[args.length + 2];
        a[0] = "line";
        a[1] = model.toString();
        System.arraycopy(args, 0, a, 2, args.length);
        return a;
    }
}
