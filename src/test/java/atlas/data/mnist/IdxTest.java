package atlas.data.mnist;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IdxTest {
    @TempDir
    Path dir;

    static byte[] imagesBytes(int magic, int n, int rows, int cols, byte[] px) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bo);
        out.writeInt(magic);
        out.writeInt(n);
        out.writeInt(rows);
        out.writeInt(cols);
        out.write(px);
        return bo.toByteArray();
    }

    static byte[] randomPixels(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    @Test
    void roundTripPlainAndGzip() throws IOException {
        Random r = new Random(3);
        byte[] px = randomPixels(r, 7 * 5 * 4);
        Path f = dir.resolve("a-images");
        Idx.writeImages(f, 7, 5, 4, px);
        // the header bytes are exactly the IDX layout
        byte[] raw = Files.readAllBytes(f);
        assertThat(Arrays.copyOf(raw, 16)).containsExactly(0, 0, 8, 3, 0, 0, 0, 7, 0, 0, 0, 5, 0, 0, 0, 4);
        Idx.Images im = Idx.readImages(f);
        assertThat(im.count()).isEqualTo(7);
        assertThat(im.rows()).isEqualTo(5);
        assertThat(im.cols()).isEqualTo(4);
        assertThat(im.pixels()).containsExactly(px);

        Path gz = dir.resolve("a-images.gz");
        try (OutputStream os = new GZIPOutputStream(Files.newOutputStream(gz))) { os.write(raw); }
        assertThat(Idx.readImages(gz).pixels()).containsExactly(px);

        byte[] labels = {0, 9, 3, 3, 1, 2, 8};
        Path lf = dir.resolve("labels");
        Idx.writeLabels(lf, labels);
        assertThat(Idx.readLabels(lf)).containsExactly(labels);
    }

    @Test
    void wrongMagicNamesBothKinds() throws IOException {
        Path lf = dir.resolve("labels");
        Idx.writeLabels(lf, new byte[]{1, 2});
        assertThatThrownBy(() -> Idx.readImages(lf)).isInstanceOf(IdxFormatException.class)
                .hasMessageContaining("magic number 0x00000801").hasMessageContaining("this is a label file");
        Path f = dir.resolve("junk");
        Files.write(f, imagesBytes(0x12345678, 1, 1, 1, new byte[1]));
        assertThatThrownBy(() -> Idx.readImages(f)).isInstanceOf(IdxFormatException.class).hasMessageContaining("0x12345678");
        assertThatThrownBy(() -> Idx.readLabels(f)).isInstanceOf(IdxFormatException.class).hasMessageContaining("expected a label file");
    }

    @Test
    void truncatedAndOverlongFilesAreRejected() throws IOException {
        byte[] good = imagesBytes(Idx.IMAGES_MAGIC, 3, 2, 2, new byte[12]);
        Path f = dir.resolve("t");
        Files.write(f, Arrays.copyOf(good, good.length - 1));
        assertThatThrownBy(() -> Idx.readImages(f)).isInstanceOf(IdxFormatException.class)
                .hasMessageContaining("truncated").hasMessageContaining("28").hasMessageContaining("27");
        Files.write(f, Arrays.copyOf(good, 10));
        assertThatThrownBy(() -> Idx.readImages(f)).isInstanceOf(IdxFormatException.class).hasMessageContaining("header");
        Files.write(f, Arrays.copyOf(good, good.length + 5));
        assertThatThrownBy(() -> Idx.readImages(f)).isInstanceOf(IdxFormatException.class).hasMessageContaining("5 bytes after");
        Files.write(f, new byte[0]);
        assertThatThrownBy(() -> Idx.readImages(f)).isInstanceOf(IdxFormatException.class).hasMessageContaining("truncated");

        // the same through gzip, where the size is only known at the end of the stream
        Path gz = dir.resolve("t.gz");
        try (OutputStream os = new GZIPOutputStream(Files.newOutputStream(gz))) { os.write(good, 0, good.length - 3); }
        assertThatThrownBy(() -> Idx.readImages(gz)).isInstanceOf(IdxFormatException.class).hasMessageContaining("truncated");
        try (OutputStream os = new GZIPOutputStream(Files.newOutputStream(gz))) { os.write(good); os.write(new byte[4]); }
        assertThatThrownBy(() -> Idx.readImages(gz)).isInstanceOf(IdxFormatException.class).hasMessageContaining("4 bytes after");
        // a gzip stream cut in the middle
        byte[] whole = Files.readAllBytes(gz);
        Files.write(gz, Arrays.copyOf(whole, whole.length / 2));
        assertThatThrownBy(() -> Idx.readImages(gz)).isInstanceOf(IdxFormatException.class);
    }

    @Test
    void badDimensionsAndMissingFile() throws IOException {
        Path f = dir.resolve("d");
        Files.write(f, imagesBytes(Idx.IMAGES_MAGIC, 1, 0, 2, new byte[0]));
        assertThatThrownBy(() -> Idx.readImages(f)).isInstanceOf(IdxFormatException.class).hasMessageContaining("dimension 1 is 0");
        Files.write(f, imagesBytes(Idx.IMAGES_MAGIC, -4, 2, 2, new byte[0]));
        assertThatThrownBy(() -> Idx.readImages(f)).isInstanceOf(IdxFormatException.class).hasMessageContaining("dimension 0 is -4");
        assertThatThrownBy(() -> Idx.readImages(dir.resolve("nope"))).isInstanceOf(IdxFormatException.class).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> Idx.readImages(dir)).isInstanceOf(IdxFormatException.class).hasMessageContaining("folder");
    }

    @Test
    void datasetChecksLabelsAndCounts() {
        Path im = dir.resolve("train-images-idx3-ubyte"), lb = dir.resolve("train-labels-idx1-ubyte");
        Idx.writeImages(im, 3, 2, 2, new byte[]{0, (byte) 255, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
        Idx.writeLabels(lb, new byte[]{1, 2});
        assertThatThrownBy(() -> ImageDataset.read("x", im, lb, 10)).isInstanceOf(IdxFormatException.class)
                .hasMessageContaining("3 images but").hasMessageContaining("2 labels");
        Idx.writeLabels(lb, new byte[]{1, 2, 10});
        assertThatThrownBy(() -> ImageDataset.read("x", im, lb, 10)).isInstanceOf(IdxFormatException.class)
                .hasMessageContaining("label 2 is 10");
        Idx.writeLabels(lb, new byte[]{1, 2, 9});
        ImageDataset d = ImageDataset.read("x", im, lb, 10);
        assertThat(d.features(0, null)).containsExactly(0, 1, 3 / 255.0, 4 / 255.0);
        assertThat(d.label(2)).isEqualTo(9);
        assertThat(d.subset(new int[]{2, 0}, "s").features(0, null)[0]).isEqualTo(9 / 255.0);
        double[][] ms = d.pixelMeanStd();
        assertThat(ms[0][0]).isCloseTo((0 + 5 + 9) / 3.0 / 255.0, org.assertj.core.data.Offset.offset(1e-15));
    }

    @Test
    void labelNoiseChangesAboutTheRightFraction() {
        MnistData m = SyntheticImages.generate(1, 2000, 10, 6, 10);
        ImageDataset noisy = m.train().withLabelNoise(0.5, 9);
        int diff = 0;
        for (int i = 0; i < 2000; i++) if (noisy.label(i) != m.train().label(i)) diff++;
        // 1000 relabelled, of which about 1/10 keep their label by chance
        assertThat(diff).isBetween(820, 980);
        assertThat(m.train().withLabelNoise(0, 9).labels()).containsExactly(m.train().labels());
    }
}
