package atlas.cli;

import atlas.error.BadInputException;
import atlas.geometry.Rectangle;
import atlas.geometry.Tolerance;
import atlas.net.Activation;
import atlas.net.Network;
import atlas.net.Networks;
import atlas.regions.PlanePartition;
import atlas.regions.PlaneSlice;
import atlas.regions.TiledPlanePartitioner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.concurrent.Callable;

/**
 * {@code atlas bench speed}: the latency of a small net's partition in this process (first call, then warm) and
 * plane partitions of larger seeded nets in 1 strip (one thread for the cuts) and in several strips (threads),
 * timed alternately in one run so that both see the same machine load.
 */
@Command(name = "speed", mixinStandardHelpOptions = true,
        description = "Small-net latency (2->[12]x4->1 on [-1,1]^2: first call in this process, then warm median) and plane "
                + "partitions of seeded 2->[30]x30->1 (leaky), 2->[64]x6->1 and 2->[100]x4->1 on [-1,1]^2 in 1 strip vs "
                + "--strips strips, timed alternately; prints seconds, process CPU seconds, regions/s and the ratio.")
final class SpeedBenchCommand implements Callable<Integer> {
    @Option(names = "--repeats", defaultValue = "3", description = "Timed repeats per large case and strip count (median; default ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--warm-calls", defaultValue = "200", description = "Calls of the small net for the warm latency (default ${DEFAULT-VALUE}).")
    int warmCalls;

    @Option(names = "--strips", defaultValue = "2", description = "Strips of the tiled partition (default ${DEFAULT-VALUE}).")
    int strips;

    @Option(names = "--cases", defaultValue = "small,ring,w64x6,w100x4", description = "Cases to run (default ${DEFAULT-VALUE}).")
    String cases;

    @Option(names = "--frame", paramLabel = "MODEL",
            description = "Also time a training frame of this 2-input model (a run's models/epoch-N.json): its plane partition of [0,1]^2 "
                    + "(default strips) and the frame picture (panels of 400 px), --repeats times. By default the frame a training run of a "
                    + "grey-value image (the ring, `atlas train`'s default) draws: the partition's outline (boundaries and count, no region "
                    + "records) with the maps of the regions that hold a pixel centre, the output shaded from them.")
    java.nio.file.Path frameModel;

    @Option(names = "--frame-path", defaultValue = "grey", paramLabel = "PATH",
            description = "With --frame: 'grey' (default: a grey-value run's frame, as above), 'shaded' (the same frame from the "
                    + "partition with its region records: the grey-value frame before the outline), 'overlap' (a classification run's "
                    + "frame: the outline, each strip's boundaries drawn as soon as the strip is cut, and a ready class panel, here the sign "
                    + "of output 0 at each pixel centre, made before the clock starts as the trainer makes it on the training thread), "
                    + "'outline' (the outline, then the picture, class panel) or 'records' (the partition with its records, class panel).")
    String framePath;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (repeats < 1 || warmCalls < 1 || strips < 1) throw new BadInputException("--repeats, --warm-calls and --strips must be positive");
        java.util.List<String> wanted = Arrays.asList(cases.split(","));
        for (String c : wanted)
            if (!java.util.Set.of("small", "ring", "w64x6", "w100x4").contains(c))
                throw new BadInputException("--cases: unknown case '" + c + "' (known: small,ring,w64x6,w100x4)");
        PrintWriter w = spec.commandLine().getOut();
        w.printf("cores: %d, java %s, load average %.1f%n", Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        Rectangle box = new Rectangle(-1, 1, -1, 1);
        if (wanted.contains("small")) {
            Network small = Networks.kaiming(1, 2, Networks.uniform(12, 4), 1, Activation.RELU, 0, 0.1);
            long t0 = System.nanoTime();
            PlanePartition p = TiledPlanePartitioner.compute(small, PlaneSlice.inputPlane(), box);
            double first = (System.nanoTime() - t0) / 1e6;
            double[] ms = new double[warmCalls];
            for (int i = 0; i < warmCalls; i++) {
                long s = System.nanoTime();
                TiledPlanePartitioner.compute(small, PlaneSlice.inputPlane(), box);
                ms[i] = (System.nanoTime() - s) / 1e6;
            }
            double[] late = Arrays.copyOfRange(ms, warmCalls / 2, warmCalls);
            Arrays.sort(late);
            double[] early = Arrays.copyOfRange(ms, 0, Math.min(10, warmCalls));
            Arrays.sort(early);
            w.printf("small: %s on [-1,1]^2, %d regions: first call %.1f ms, calls 2-11 median %.2f ms, warm median %.2f ms (calls %d-%d), min %.2f ms%n",
                    small.shape(), p.count(), first, early[early.length / 2], late[late.length / 2], warmCalls / 2 + 2, warmCalls + 1, late[0]);
            w.flush();
        }
        if (frameModel != null) frame(w, atlas.net.ModelFormat.read(frameModel));
        StringBuilder table = new StringBuilder(String.format("%-8s %-22s %8s %10s %10s %12s %10s %10s %12s %9s %s%n", "case", "network",
                "regions", "1 strip s", "cpu s", "regions/s", strips + " strips s", "cpu s", "regions/s", "speed-up", "same regions"));
        for (String name : wanted) {
            Network net = switch (name) {
                case "ring" -> Networks.kaiming(1, 2, Networks.uniform(30, 30), 1, Activation.LEAKY_RELU, 0.01, 0.1);
                case "w64x6" -> Networks.kaiming(2, 2, Networks.uniform(64, 6), 1, Activation.RELU, 0, 0.1);
                case "w100x4" -> Networks.kaiming(3, 2, Networks.uniform(100, 4), 1, Activation.RELU, 0, 0.1);
                default -> null;
            };
            if (net == null) continue;
            TiledPlanePartitioner.compute(net, PlaneSlice.inputPlane(), box, Tolerance.DEFAULT, strips, i -> { }); // warm-up
            double[][] wall = new double[2][repeats], cpu = new double[2][repeats];
            int[] count = new int[2];
            for (int r = 0; r < repeats; r++) {
                for (int k = 0; k < 2; k++) { // alternately: both see the same load
                    long c0 = BenchCommand.processCpu(), t0 = System.nanoTime();
                    PlanePartition p = TiledPlanePartitioner.compute(net, PlaneSlice.inputPlane(), box, Tolerance.DEFAULT, k == 0 ? 1 : strips, i -> { });
                    wall[k][r] = (System.nanoTime() - t0) / 1e9;
                    cpu[k][r] = (BenchCommand.processCpu() - c0) / 1e9;
                    count[k] = p.count();
                }
            }
            double w1 = BenchCommand.upperMedian(wall[0]), w2 = BenchCommand.upperMedian(wall[1]);
            String row = String.format("%-8s %-22s %8d %10.3f %10.3f %12.0f %10.3f %10.3f %12.0f %8.2fx %s%n", name, net.shape(), count[0],
                    w1, BenchCommand.upperMedian(cpu[0]), count[0] / w1, w2, BenchCommand.upperMedian(cpu[1]), count[1] / w2, w1 / w2, count[0] == count[1] ? "yes" : "NO (" + count[1] + ")");
            w.print(row);
            w.flush();
            table.append(row);
        }
        w.println();
        w.print(table);
        w.println("seconds: median wall time; cpu s: process CPU time (all threads, JIT and GC included) of the same calls.");
        w.flush();
        return ExitCodes.OK;
    }

    /** Partition and frame of a late-training model, as a training run's snapshot makes them (without the PNG file). */
    private void frame(PrintWriter w, Network net) {
        if (net.inputDim() != 2) throw new BadInputException("--frame: the model has " + net.inputDim() + " inputs; a frame needs 2");
        if (!java.util.Set.of("grey", "shaded", "overlap", "outline", "records").contains(framePath))
            throw new BadInputException("--frame-path: unknown path '" + framePath + "' (known: grey, shaded, overlap, outline, records)");
        int panel = 400;
        java.awt.image.BufferedImage target = new java.awt.image.BufferedImage(panel, panel, java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.image.BufferedImage classes = framePath.equals("shaded") || framePath.equals("grey") ? null : classPanel(net, panel);
        String what = switch (framePath) {
            case "grey" -> "outline with the maps of the regions that hold a pixel centre, output shaded from them: a grey-value run's "
                    + "frame (the ring's)";
            case "overlap" -> "outline (boundaries and count, no records), each strip's boundaries drawn as soon as it is cut, "
                    + "+ class panel: a classification run's frame (partition and picture overlap: their sum is the frame)";
            case "outline" -> "outline (boundaries and count, no records), then the picture + class panel";
            case "records" -> "partition with region records + class panel";
            default -> "partition with region records, output shaded from its maps: a grey-value run's frame before the outline";
        };
        w.printf("frame path: %s%n", what);
        for (int r = 0; r < repeats; r++) {
            if (framePath.equals("overlap") || framePath.equals("grey")) {
                long c0 = BenchCommand.processCpu(), t0 = System.nanoTime();
                atlas.render.TrainingFrame.Drawn d = classes != null
                        ? atlas.render.TrainingFrame.renderClassifier(net, classes, target, null, null, n -> java.util.List.of("epoch", "bench"), panel)
                        : atlas.render.TrainingFrame.renderShaded(net, 0, 1, target, null, null, n -> java.util.List.of("epoch", "bench"), panel);
                long c1 = BenchCommand.processCpu(), t1 = System.nanoTime();
                w.printf("frame %s (%s), %d regions: partition and picture together %.3f s (cpu %.3f s)%n",
                        frameModel.getFileName(), net.shape(), d.regions(), (t1 - t0) / 1e9, (c1 - c0) / 1e9);
                w.flush();
                continue;
            }
            long c0 = BenchCommand.processCpu(), t0 = System.nanoTime();
            atlas.render.TrainingFrame.Content content;
            if (framePath.equals("outline")) {
                atlas.regions.PlaneOutline o = TiledPlanePartitioner.outline(net, PlaneSlice.inputPlane(), Rectangle.UNIT);
                content = atlas.render.TrainingFrame.Content.ofOutline(o, classes, target, null, null, java.util.List.of("epoch", "bench"), panel);
            } else {
                PlanePartition p = TiledPlanePartitioner.compute(net, PlaneSlice.inputPlane(), Rectangle.UNIT);
                content = new atlas.render.TrainingFrame.Content(p, classes, 0, 1, target, null, null, java.util.List.of("epoch", "bench"), panel);
            }
            long c1 = BenchCommand.processCpu(), t1 = System.nanoTime();
            atlas.render.TrainingFrame.render(content);
            long c2 = BenchCommand.processCpu(), t2 = System.nanoTime();
            w.printf("frame %s (%s), %d regions: partition %.3f s (cpu %.3f s), picture %.3f s (cpu %.3f s), total %.3f s (cpu %.3f s)%n",
                    frameModel.getFileName(), net.shape(), content.count(), (t1 - t0) / 1e9, (c1 - c0) / 1e9, (t2 - t1) / 1e9, (c2 - c1) / 1e9,
                    (t2 - t0) / 1e9, (c2 - c0) / 1e9);
            w.flush();
        }
    }

    /** A two-class panel like a classifier's (row 0 is y = 1): the sign of output 0 at each pixel centre. */
    private static java.awt.image.BufferedImage classPanel(Network net, int p) {
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(p, p, java.awt.image.BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < p; i++)
            for (int j = 0; j < p; j++) img.setRGB(j, i, net.forward(new double[]{(j + 0.5) / p, 1 - (i + 0.5) / p})[0] > 0 ? 0xf0c040 : 0x4060c0);
        return img;
    }
}
