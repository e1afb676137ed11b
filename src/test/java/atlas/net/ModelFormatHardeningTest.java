package atlas.net;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Model files that used to be accepted with a wrong meaning, or to exhaust the memory. */
class ModelFormatHardeningTest {
    static final String LAYER = "{\"weights\":[[1,0],[0,1]],\"bias\":[0,0],\"activation\":\"relu\"}";
    static final String VALID = "{\"format\":\"relu-atlas-model/1\",\"input_dim\":2,\"layers\":[" + LAYER + "]}";

    static void rejects(String json, String... fragments) {
        assertThatThrownBy(() -> ModelFormat.parse(json)).isInstanceOf(ModelException.class)
                .satisfies(e -> {
                    assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("com.fasterxml").doesNotContain("`")
                            .doesNotContain("Source:").doesNotContain("jackson");
                    for (String f : fragments) assertThat(e.getMessage()).contains(f);
                });
    }

    @Test
    void aMisspeltFieldIsAnErrorNotASilentDefault() {
        String ok = "{\"format\":\"relu-atlas-model/1\",\"input_dim\":1,\"layers\":[{\"weights\":[[1]],\"bias\":[0.5],\"activation\":\"relu\"}]}";
        assertThat(ModelFormat.parse(ok).layers().get(0).bias()).containsExactly(0.5);
        assertThatThrownBy(() -> ModelFormat.parse(ok.replace("\"bias\"", "\"biass\"")))
                .isInstanceOf(ModelException.class).hasMessage("layer 1: unknown field 'biass' (known fields: weights, bias, activation, leak, skips)");
        assertThatThrownBy(() -> ModelFormat.parse(ok.replace("\"input_dim\"", "\"inputs\":1,\"input_dim\"")))
                .isInstanceOf(ModelException.class).hasMessageContaining("unknown field 'inputs'");
        String skip = "{\"format\":\"relu-atlas-model/1\",\"input_dim\":1,\"layers\":[{\"weights\":[[1]],\"activation\":\"relu\"},"
                + "{\"weights\":[[1]],\"activation\":\"identity\",\"skips\":[{\"from\":0,\"weight\":[[2]]}]}]}";
        assertThatThrownBy(() -> ModelFormat.parse(skip)).isInstanceOf(ModelException.class)
                .hasMessage("layer 2: skips[0]: unknown field 'weight' (known fields: from, weights)");
    }

    @Test
    void validModelStillReads() {
        assertThat(ModelFormat.parse(VALID + "\n  \n").inputDim()).isEqualTo(2);
    }

    @Test
    void trailingContentIsAnError() {
        rejects(VALID + " xyz", "after the JSON object");
        rejects(VALID + VALID, "after the JSON object");
        rejects(VALID + " {}", "after the JSON object");
        rejects(VALID + " ]", "after the JSON object");
    }

    @Test
    void integersThatDoNotFitAreErrorsNamingTheField() {
        rejects(VALID.replace("\"input_dim\":2", "\"input_dim\":4294967298"), "input_dim", "out of range");
        rejects(VALID.replace("\"input_dim\":2", "\"input_dim\":100000000000000000000000000000000000000002"), "input_dim", "out of range");
        String skip = "{\"format\":\"relu-atlas-model/1\",\"input_dim\":2,\"layers\":[" + LAYER + ","
                + "{\"weights\":[[1,1]],\"activation\":\"identity\",\"skips\":[{\"from\":4294967297,\"weights\":[[1,1]]}]}]}";
        rejects(skip, "layer 2", "skips[0]", "from", "out of range");
    }

    @Test
    void jsonErrorsCarryNoLibraryInternals() {
        rejects("{\"format\": ", "malformed JSON");
        rejects("{\"format\": \"relu-atlas-model/1\", \"input_dim\": 2, \"layers\": [" + "[".repeat(3000), "malformed JSON");
        rejects("{\"a\":1" + "9".repeat(2000) + "}", "malformed JSON");
        rejects("{'format': 1}", "malformed JSON");
    }

    @Test
    void endlessOrBinaryFileIsRefusedInOneLine(@TempDir Path dir) throws Exception {
        Path zero = Path.of("/dev/zero");
        if (Files.exists(zero)) {
            assertThatThrownBy(() -> ModelFormat.read(zero)).isInstanceOf(ModelException.class)
                    .hasMessageContaining("/dev/zero").hasMessageNotContaining("\n");
        }
        Path big = dir.resolve("big.json");
        try (var ch = java.nio.channels.FileChannel.open(big, java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(" ".getBytes()), ModelFormat.MAX_BYTES + 10); // a sparse file: no disk used
        }
        Assumptions.assumeTrue(Files.size(big) > ModelFormat.MAX_BYTES);
        // a sparse file reads as zero bytes: refused at the first chunk, not after 256 MiB
        assertThatThrownBy(() -> ModelFormat.read(big)).isInstanceOf(ModelException.class).hasMessageContaining("big.json");
        Path padded = dir.resolve("padded.json");
        Files.writeString(padded, VALID + " ".repeat(1000));
        assertThatThrownBy(() -> ModelFormat.read(padded, 500)).isInstanceOf(ModelException.class).hasMessageContaining("larger than 500 bytes");
        Path spaces = dir.resolve("spaces.json");
        Files.writeString(spaces, VALID + " ".repeat(1000));
        assertThat(ModelFormat.read(spaces).inputDim()).isEqualTo(2);
    }
}
