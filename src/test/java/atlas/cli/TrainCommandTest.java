package atlas.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class TrainCommandTest {
    record Run(int code, String out, String err) {}

    static Run atlas(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = AtlasCommand.newCommandLine(new PrintWriter(out), new PrintWriter(err)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void trainsASmallNetAndReportsTheRun(@TempDir Path dir) {
        Run r = atlas("train", "--image", "disc", "--image-size", "64", "--shape", "2x6", "--points", "300", "--validation", "50",
                "--epochs", "4", "--every", "2", "--frame-size", "64", "--no-mp4", "--out", dir.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("epoch 4:", "exact regions", "training.gif");
        assertThat(dir.resolve("metrics.csv")).isRegularFile();
        Run again = atlas("train", "--resume", dir.toString(), "--epochs", "6", "--optimizer", "momentum", "--lr", "0.01");
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.out()).contains("epoch 6:");
        Run wrong = atlas("train", "--resume", dir.toString(), "--points", "10");
        assertThat(wrong.code()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(wrong.err()).contains("--points cannot change when resuming");
    }

    @Test
    void badShapeIsExitCode2WithOneLine(@TempDir Path dir) {
        Run r = atlas("train", "--shape", "30y30", "--out", dir.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err().trim()).startsWith("atlas: bad shape '30y30'").doesNotContain("\n");
    }

    @Test
    void badImageFileIsExitCode2(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("x.png");
        Files.writeString(f, "no picture here");
        Run r = atlas("train", "--image", f.toString(), "--out", dir.resolve("run").toString());
        assertThat(r.code()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err().trim()).contains("cannot read image").doesNotContain("\n");
        Run missing = atlas("train", "--image", dir.resolve("nope.png").toString(), "--out", dir.resolve("run2").toString());
        assertThat(missing.code()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(missing.err()).contains("no such file and not a built-in image");
    }

    @Test
    void badFlagsAreExitCode2(@TempDir Path dir) {
        assertThat(atlas("train", "--epochs", "-5", "--out", dir.toString()).code()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(atlas("train", "--lr", "fast", "--out", dir.toString()).code()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(atlas("train", "--optimizer", "lbfgs", "--out", dir.toString()).err()).contains("unknown optimizer 'lbfgs'");
        assertThat(atlas("train", "--frobnicate").code()).isEqualTo(ExitCodes.INVALID_INPUT);
    }

    @Test
    void divergenceIsExitCode3(@TempDir Path dir) {
        Run r = atlas("train", "--image", "disc", "--image-size", "64", "--shape", "4x16", "--points", "500", "--validation", "50",
                "--epochs", "50", "--every", "0", "--optimizer", "sgd", "--lr", "1000", "--batch", "64", "--no-frames", "--out", dir.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.NUMERICAL);
        assertThat(r.err().trim()).contains("training diverged").doesNotContain("\n");
    }
}
