import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes the single-precision training kernels and workspace from the double ones, so that the double files
 * are the one source of truth:
 * <pre>
 *   Kernels.java       -&gt; FloatKernels.java
 *   VectorKernels.java -&gt; FloatVectorKernels.java
 *   Workspace.java     -&gt; FloatWorkspace.java          (all in src/main/java/atlas/train)
 * </pre>
 * Run from the repository root, with nothing built: {@code java src/generate/GenerateFloatKernels.java}
 * (or {@code ... --out DIR} to write the files into DIR instead; the test
 * {@code atlas.train.GeneratedKernelsTest} does that and compares).
 *
 * <p>The translation is textual and line by line (see {@link #RULES}): {@code double} becomes {@code float},
 * {@code DoubleVector} becomes {@code FloatVector}, the kernel classes get their float names. What the float
 * variant deliberately does differently is stated in the sources or here, in three ways:
 * <ul>
 *   <li>the gradient array {@code double[] g} stays double (parameters and gradients are double in both
 *       precisions; only blocks and the float copy of the weights are float);</li>
 *   <li>a line of the source tagged {@code // wide} keeps its scalar {@code double}s (the Vector API weight
 *       gradient sums its float products in double);</li>
 *   <li>the lines between {@code // BEGIN switch} and {@code // END switch} (the plain / Vector API switch)
 *       stay in {@code Kernels} only, and {@link #FLOAT_BLOCKS} replaces whole blocks where the float code
 *       sums differently.</li>
 * </ul>
 * Every rewrite that must apply, does, or the generator stops with a message: a source that drifted from
 * what the generator expects fails loudly instead of producing a silently different float kernel.
 */
public final class GenerateFloatKernels {
    private GenerateFloatKernels() {}

    static final String SELF = "src/generate/GenerateFloatKernels.java";
    static final Path PACKAGE_DIR = Path.of("src/main/java/atlas/train");

    /** One textual substitution, applied to every line (regular expression, Java replacement syntax). */
    record Rule(String regex, String replacement, String why) {
        String apply(String line) { return Pattern.compile(regex).matcher(line).replaceAll(replacement); }
    }

    /** Applied in this order to every line of a kernel source. */
    static final List<Rule> RULES = List.of(
            new Rule("\\bVectorKernels\\b", "FloatVectorKernels", "class name"),
            new Rule("\\bKernels\\b(?![.#])", "FloatKernels", "class name (Kernels.x and Kernels#x are the switch, which stays)"),
            new Rule("(?<![.\\w])useVector\\b", "Kernels.useVector", "the switch lives in Kernels"),
            new Rule("\\bDoubleVector\\b", "FloatVector", "vector type"),
            new Rule("\\bDouble\\b", "Float", "boxed lane type (VectorSpecies<Double>)"),
            new Rule("\\bdouble\\[\\](?! g\\b)", "float[]", "blocks and weights; the gradient g stays double[]"),
            new Rule("\\b0\\.0\\b", "0f", "float literal (Arrays.fill of a float[])"));

    /**
     * Applied in this order to every line of the workspace source. Blocks become float; the arrays that stay
     * double (parameters {@code p}, gradient {@code grad}, input rows {@code row} and {@code inputs}, outputs
     * {@code out}) are recognised by their names.
     */
    static final List<Rule> WORKSPACE_RULES = List.of(
            new Rule("\\bKernels\\b", "FloatKernels", "the float kernels"),
            new Rule("\\bWorkspace\\b", "FloatWorkspace", "class name"),
            new Rule("\\bdouble\\[\\](?!(\\[\\])? (p|grad|row|inputs|out)\\b)", "float[]", "blocks and the kernels' weights"),
            new Rule("(?<!\\brow = )new double\\[", "new float[", "block allocations; the input row stays double"));

    /** Scalars to float, except on lines tagged {@code // wide} or between {@code // BEGIN wide} and {@code // END wide}. */
    static final Rule SCALAR = new Rule("\\bdouble\\b(?!\\[)", "float", "scalars and accumulators");
    static final String WIDE_TAG = "// wide";
    static final Pattern WIDE_BEGIN = Pattern.compile("^\\s*// BEGIN wide\\b.*"), WIDE_END = Pattern.compile("^\\s*// END wide\\b.*");

    /** Lines of one double source (compared without indentation) and what the float variant has instead. */
    record Block(String file, String why, String source, String replacement) {}

    /**
     * Blocks where the float variant is not a translation of the double one. The double kernel sums the last
     * odd unit row's weight gradient with two accumulators; the float kernel has always summed it with one,
     * and keeping that keeps float training bit for bit as it was.
     */
    static final List<Block> FLOAT_BLOCKS = List.of(new Block("Kernels",
            "addBlockTimesBlockTranspose, last odd unit row: one float accumulator",
            """
            double a = 0, c = 0;
            int b = 0;
            for (; b + 1 < m; b += 2) {
                a += dz[z0 + b] * src[h0 + b];
                c += dz[z0 + b + 1] * src[h0 + b + 1];
            }
            if (b < m) a += dz[z0 + b] * src[h0 + b];
            g[gOff + u * in + k] += a + c;
            """,
            """
            float a = 0;
            for (int b = 0; b < m; b++) a += dz[z0 + b] * src[h0 + b];
            g[gOff + u * in + k] += a;
            """),
            new Block("Workspace", "narrow: a double value rounded to float on its way into a block",
            """
            /** A double value as a block entry: itself here, rounded in the float variant. */
            private static double narrow(double v) { return v; }
            """,
            """
            /** A double value as a block entry, rounded to float. */ // wide
            private static float narrow(double v) { return (float) v; } // wide
            """),
            new Block("Workspace", "weights: the parameters rounded to float into a buffer of the workspace at each call",
            """
            /** The parameters as the kernels read them: here the caller's array itself. */
            private double[] weights(double[] p) {
                return p;
            }
            """,
            """
            /** The parameters rounded to float at each call, into one buffer of this workspace. */
            private double[] pf;

            /** The parameters as the kernels read them: {@code p} rounded to float. */
            private double[] weights(double[] p) {
                if (pf == null) pf = new double[p.length];
                for (int k = 0; k < p.length; k++) pf[k] = narrow(p[k]);
                return pf;
            }
            """));

    /** One generated file: its source, its name, the class javadoc of the float variant and its rules. */
    record Variant(String source, String target, String javadoc, List<Rule> rules) {}

    static final List<Variant> VARIANTS = List.of(
            new Variant("Kernels", "FloatKernels", """
                    /**
                     * The {@link Kernels} products in single precision: blocks and weights in {@code float}, gradients of the
                     * weights and biases added to a {@code double} array (each block's sum is formed in float, then widened).
                     * Same layout and contracts as {@link Kernels}; uses {@link FloatVectorKernels} when
                     * {@link Kernels#useVector} is set.
                     */
                    """, RULES),
            new Variant("VectorKernels", "FloatVectorKernels", """
                    /**
                     * The {@link FloatKernels} products with the JDK Vector API, in single precision: twice the lanes of
                     * {@link VectorKernels} (needs {@code --add-modules jdk.incubator.vector} at compile and run time). Four
                     * output rows share each vector load of the input. A weight gradient is reduced in float lanes per
                     * block, then summed in double (lines tagged {@code // wide}) and added to the double gradient. Points
                     * beyond the last whole vector are done in scalar code.
                     */
                    """, RULES),
            new Variant("Workspace", "FloatWorkspace", """
                    /**
                     * The buffers of one block of points of a {@link FlatModel}, single precision: the parameters are
                     * rounded to float at each call, blocks are float, losses and the output gradient are computed in
                     * double from the float outputs, and the gradient is accumulated into the caller's double array.
                     * Same layout and contracts as {@link Workspace}; the products are {@link FloatKernels}.
                     */
                    """, WORKSPACE_RULES));

    public static void main(String[] args) throws IOException {
        Path out = PACKAGE_DIR;
        if (args.length == 2 && args[0].equals("--out")) out = Path.of(args[1]);
        else if (args.length != 0) {
            System.err.println("usage: java " + SELF + " [--out DIR]   (run from the repository root)");
            System.exit(2);
        }
        List<String> generated = new ArrayList<>();
        try {
            for (Variant v : VARIANTS) generated.add(generate(v, Files.readString(PACKAGE_DIR.resolve(v.source() + ".java"), StandardCharsets.UTF_8)));
        } catch (IllegalStateException e) {
            System.err.println("GenerateFloatKernels: " + e.getMessage());
            System.exit(1);
        }
        Files.createDirectories(out);
        for (int i = 0; i < VARIANTS.size(); i++) {
            Path target = out.resolve(VARIANTS.get(i).target() + ".java");
            Files.writeString(target, generated.get(i), StandardCharsets.UTF_8);
            System.out.println("wrote " + target);
        }
    }

    /** The float variant of one double source file. */
    static String generate(Variant v, String source) {
        List<String> lines = new ArrayList<>(dropSwitch(source.replace("\r\n", "\n")).lines().toList());
        for (Block block : FLOAT_BLOCKS) if (block.file().equals(v.source())) replaceBlock(lines, block);
        StringBuilder sb = new StringBuilder();
        sb.append("// DO NOT MODIFY: generated by ").append(SELF).append(" from ").append(v.source()).append(".java.\n");
        sb.append("// Edit ").append(v.source()).append(".java and run: java ").append(SELF).append('\n');
        boolean wide = false;
        for (String line : lines) {
            if (WIDE_BEGIN.matcher(line).matches()) wide = true;
            sb.append(translate(line, v.rules(), wide)).append('\n');
            if (WIDE_END.matcher(line).matches()) wide = false;
        }
        if (wide) throw new IllegalStateException(v.source() + ".java: // BEGIN wide without // END wide");
        return addGeneratedAnnotation(replaceClassJavadoc(sb.toString(), v), v);
    }

    /** Replaces the one run of lines equal to {@code block.source()} (up to indentation), keeping its indentation. */
    static void replaceBlock(List<String> lines, Block block) {
        List<String> want = block.source().lines().map(String::strip).toList();
        int found = -1;
        for (int i = 0; i + want.size() <= lines.size(); i++) {
            int j = 0;
            while (j < want.size() && lines.get(i + j).strip().equals(want.get(j))) j++;
            if (j < want.size()) continue;
            if (found >= 0) throw new IllegalStateException(block.file() + ".java: block found twice: " + block.why());
            found = i;
        }
        if (found < 0) throw new IllegalStateException(block.file() + ".java changed, block not found: " + block.why() + "; update " + SELF);
        String first = lines.get(found);
        String indent = first.substring(0, first.length() - first.stripLeading().length());
        lines.subList(found, found + want.size()).clear();
        lines.addAll(found, block.replacement().lines().map(l -> l.isEmpty() ? l : indent + l).toList());
    }

    /** One line of double code as float code ({@code wide}: inside a wide region, scalars stay double). */
    static String translate(String line, List<Rule> rules, boolean wide) {
        for (Rule rule : rules) line = rule.apply(line);
        return wide || line.stripTrailing().endsWith(WIDE_TAG) ? line : SCALAR.apply(line);
    }

    private static String dropSwitch(String text) {
        Matcher m = Pattern.compile("(?m)^[ \\t]*// BEGIN switch.*\\n(?s:.*?)^[ \\t]*// END switch.*\\n").matcher(text);
        return m.find() ? text.substring(0, m.start()) + text.substring(m.end()) : text;
    }

    private static String replaceClassJavadoc(String text, Variant v) {
        String declaration = "final class " + v.target() + " ";
        int decl = text.indexOf(declaration);
        int start = decl < 0 ? -1 : text.lastIndexOf("/**", decl);
        int end = start < 0 ? -1 : text.indexOf("*/\n", start) + 3;
        if (end != decl) throw new IllegalStateException(v.source() + ".java: no class javadoc right before the class");
        return text.substring(0, start) + v.javadoc() + text.substring(decl);
    }

    private static String addGeneratedAnnotation(String text, Variant v) {
        String declaration = "final class " + v.target() + " ";
        String annotation = "@Generated(\"" + SELF + "\")\n";
        String withImport = text.replaceFirst("(package atlas\\.train;\\n\\n)",
                "$1import javax.annotation.processing.Generated;\n" + (text.contains("\nimport ") ? "" : "\n"));
        if (withImport.equals(text) || !text.contains(declaration)) throw new IllegalStateException(v.source() + ".java: unexpected layout");
        return withImport.replace(declaration, annotation + declaration);
    }

}
