package atlas.cli;

import atlas.data.mnist.Idx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static atlas.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

class DataCommandTest {
    @TempDir
    Path dir;

    @Test
    void unknownDataSetIsInvalidInput() {
        CliRun r = run("data", "cifar", "--data-dir", dir.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("unknown data set 'cifar'").doesNotContain("Exception");
    }

    @Test
    void checkOfAnEmptyCacheSaysHowToInstall() {
        CliRun r = run("data", "mnist", "--check", "--data-dir", dir.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err().trim().lines().count()).isEqualTo(1);
        assertThat(r.err()).contains("atlas data mnist --data-dir");
    }

    @Test
    void filesWithTheWrongCountsAreRefusedInOneLine() throws Exception {
        Path src = dir.resolve("src");
        Files.createDirectories(src);
        Idx.writeImages(src.resolve("train-images-idx3-ubyte"), 2, 28, 28, new byte[2 * 784]);
        Idx.writeLabels(src.resolve("train-labels-idx1-ubyte"), new byte[2]);
        Idx.writeImages(src.resolve("t10k-images-idx3-ubyte"), 1, 28, 28, new byte[784]);
        Idx.writeLabels(src.resolve("t10k-labels-idx1-ubyte"), new byte[1]);
        CliRun r = run("data", "mnist", "--from", src.toString(), "--data-dir", dir.resolve("cache").toString());
        assertThat(r.code()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("2 images, MNIST has 60000");
        assertThat(Files.exists(dir.resolve("cache/mnist"))).isFalse();
        CliRun missing = run("data", "mnist", "--from", dir.resolve("nope").toString(), "--data-dir", dir.toString());
        assertThat(missing.code()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(missing.err()).contains("is not a folder");
    }
}
