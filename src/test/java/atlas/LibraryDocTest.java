package atlas;

import atlas.net.ModelFormat;
import atlas.net.Networks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/library.md's first java block is a complete program: it compiles as it stands against the class path the
 * tests run with, and, run in a folder holding {@code atlas-out/demo-model.json}, prints the model's region count
 * on [0,1]^2. The model written here is two lines x = 0.4 and y = 0.7 (and x + y = 0.5), whose arrangement has 6
 * cells in the unit square: the closed form, not a partitioner run, is the expected output.
 */
class LibraryDocTest {

    @Test
    void firstJavaBlockCompilesAndPrintsTheRegionCount(@TempDir Path dir) throws Exception {
        String doc = Files.readString(Path.of("docs/library.md"));
        Matcher m = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(doc);
        assertThat(m.find()).as("docs/library.md has a ```java block").isTrue();
        String source = m.group(1);
        Matcher cls = Pattern.compile("public class (\\w+)").matcher(source);
        assertThat(cls.find()).as("the block declares a public class").isTrue();
        String name = cls.group(1);
        assertThat(source).contains("public static void main(String[] args)");

        Path src = dir.resolve("src");
        Files.createDirectories(src);
        Files.writeString(src.resolve(name + ".java"), source);
        Path classes = dir.resolve("classes");
        Files.createDirectories(classes);
        String cp = classPath();
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac).as("a JDK compiler").isNotNull();
        ByteArrayOutputStream diag = new ByteArrayOutputStream();
        int rc = javac.run(null, diag, diag, "-cp", cp, "-d", classes.toString(), src.resolve(name + ".java").toString());
        assertThat(rc).as(diag.toString(StandardCharsets.UTF_8)).isZero();

        // three lines in the unit square: x = 0.4, y = 0.7, x + y = 0.5; they cut it into 6 cells
        Path work = dir.resolve("work");
        Files.createDirectories(work.resolve("atlas-out"));
        ModelFormat.write(Networks.lines(new double[]{1, 0, 1}, new double[]{0, 1, 1}, new double[]{-0.4, -0.7, -0.5}),
                work.resolve("atlas-out/demo-model.json"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", classes + File.pathSeparator + cp, name)
                .directory(work.toFile()).redirectErrorStream(true).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the program ends").isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out.trim()).isEqualTo("6");
    }

    /** The test class path (surefire names it in a property when it runs the tests from a manifest-only jar). */
    static String classPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }
}
