package atlas.io;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Output files: regular files by temp-and-move, special files written through, links followed, '-' is stdout. */
class AtomicFilesTest {

    @Test
    void regularFileIsReplacedAndNoTemporaryFileStays(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("out.txt");
        Files.writeString(f, "old");
        AtomicFiles.writeString(f, "new");
        assertThat(Files.readString(f)).isEqualTo("new");
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("out.txt");
        }
    }

    @Test
    void failedWriteKeepsTheOldFileAndLeavesNoTemporary(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("out.txt");
        Files.writeString(f, "old");
        assertThatThrownBy(() -> AtomicFiles.write(f, out -> {
            out.write("half".getBytes(StandardCharsets.UTF_8));
            throw new IOException("disk on fire");
        })).isInstanceOf(atlas.error.BadInputException.class).hasMessageContaining("disk on fire");
        assertThat(Files.readString(f)).isEqualTo("old");
        try (var s = Files.list(dir)) {
            assertThat(s.count()).isEqualTo(1);
        }
    }

    @Test
    void symlinkIsWrittenThroughAndStaysALink(@TempDir Path dir) throws IOException {
        Path sub = Files.createDirectory(dir.resolve("real"));
        Path target = sub.resolve("target.json");
        Files.writeString(target, "old");
        Path link = Files.createSymbolicLink(dir.resolve("link.json"), Path.of("real/target.json"));
        AtomicFiles.writeString(link, "new");
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readString(target)).isEqualTo("new");
        // a dangling link: its target is created
        Path dangling = Files.createSymbolicLink(dir.resolve("dangling.json"), Path.of("real/fresh.json"));
        AtomicFiles.writeString(dangling, "fresh");
        assertThat(Files.isSymbolicLink(dangling)).isTrue();
        assertThat(Files.readString(sub.resolve("fresh.json"))).isEqualTo("fresh");
    }

    @Test
    void fifoIsWrittenThroughWhileAReaderReads(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("pipe");
        Process mk;
        try {
            mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        } catch (IOException e) {
            Assumptions.abort("mkfifo is not available: " + e.getMessage());
            return;
        }
        Assumptions.assumeTrue(mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0, "mkfifo failed");
        CompletableFuture<byte[]> reader = CompletableFuture.supplyAsync(() -> {
            try (var in = Files.newInputStream(fifo)) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        byte[] payload = new byte[300_000]; // more than a pipe buffer holds: the writer must really stream
        for (int k = 0; k < payload.length; k++) payload[k] = (byte) ('a' + k % 26);
        AtomicFiles.write(fifo, out -> out.write(payload));
        assertThat(reader.get(30, TimeUnit.SECONDS)).isEqualTo(payload);
        assertThat(Files.isRegularFile(fifo, LinkOption.NOFOLLOW_LINKS)).as("the FIFO was not replaced").isFalse();
        try (var s = Files.list(dir)) {
            assertThat(s.count()).isEqualTo(1);
        }
    }

    @Test
    void devNullIsWrittenThroughNotReplaced() throws IOException {
        Path devNull = Path.of("/dev/null");
        Assumptions.assumeTrue(Files.exists(devNull) && !Files.isRegularFile(devNull));
        // as root a rename over /dev/null would succeed and break the machine: it must be written through
        AtomicFiles.writeString(devNull, "discarded");
        assertThat(Files.isRegularFile(devNull)).isFalse();
    }

    @Test
    void devFullFailsAndStaysADevice() {
        Path full = Path.of("/dev/full");
        Assumptions.assumeTrue(Files.exists(full) && !Files.isRegularFile(full), "no /dev/full here");
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "only root could have replaced the device");
        assertThatThrownBy(() -> AtomicFiles.writeString(full, "x".repeat(100_000)))
                .isInstanceOf(atlas.error.BadInputException.class).hasMessageContaining("/dev/full");
        assertThat(Files.isRegularFile(full)).as("/dev/full is still a device").isFalse();
    }

    @Test
    void dashIsStandardOutput() {
        PrintStream saved = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            AtomicFiles.writeString(Path.of("-"), "to stdout\n");
            System.out.println("still open");
        } finally {
            System.setOut(saved);
        }
        assertThat(buf.toString(StandardCharsets.UTF_8)).isEqualTo("to stdout\nstill open\n");
        assertThat(Path.of("-")).doesNotExist();
    }

    @Test
    void staleTemporaryOfADeadProcessIsRemovedOnTheNextWrite(@TempDir Path dir) throws Exception {
        // a PID that is not running: a finished child process's
        Process p = new ProcessBuilder("true").start();
        p.waitFor(10, TimeUnit.SECONDS);
        long dead = p.pid();
        Assumptions.assumeFalse(ProcessHandle.of(dead).map(ProcessHandle::isAlive).orElse(false));
        Path stale = dir.resolve(".big.json" + AtomicFiles.TMP_MARK + dead + "-1");
        Files.writeString(stale, "left by kill -9");
        Path alive = dir.resolve(".other.json" + AtomicFiles.TMP_MARK + ProcessHandle.current().pid() + "-999999");
        Files.writeString(alive, "being written by a live process");
        Path unrelated = dir.resolve(".hidden-user-file");
        Files.writeString(unrelated, "keep");
        AtomicFiles.resetSweeps();
        AtomicFiles.writeString(dir.resolve("result.json"), "{}");
        assertThat(stale).doesNotExist();
        assertThat(alive).exists();
        assertThat(unrelated).exists();
    }
}
