package atlas.experiment;

import atlas.data.TargetImage;
import atlas.io.AtomicFiles;
import atlas.net.Network;
import atlas.render.Montage;
import atlas.train.FlatModel;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Helpers shared by the image experiments (overfit, depth): final-frame montages, ring overlap, tables. */
final class ImageRuns {
    private ImageRuns() {}

    /** Side of the grid on which {@link #darkIoU} compares the network with the image. */
    static final int IOU_GRID = 256;

    /**
     * Intersection over union of the dark sets ({@code value < 0.5}) of the network's output and of the image, on
     * a {@code IOU_GRID x IOU_GRID} grid of pixel centres of [0,1]^2 (image pixel nearest to each centre).
     */
    static double darkIoU(Network net, TargetImage img) {
        int g = IOU_GRID;
        FlatModel m = FlatModel.of(net);
        double[] p = m.parameters(net);
        FlatModel.Block ws = m.newWorkspace(g);
        double[] in = new double[2 * g], out = new double[g * m.outputDim()];
        long inter = 0, union = 0;
        for (int i = 0; i < g; i++) {
            for (int j = 0; j < g; j++) {
                in[2 * j] = (j + 0.5) / g;
                in[2 * j + 1] = (i + 0.5) / g;
            }
            ws.predict(p, in, g, out);
            for (int j = 0; j < g; j++) {
                int pi = (int) ((i + 0.5) / g * img.height()), pj = (int) ((j + 0.5) / g * img.width());
                boolean dark = img.grey()[pi * img.width() + pj] < 0.5;
                boolean pred = out[j * m.outputDim()] < 0.5;
                if (dark && pred) inter++;
                if (dark || pred) union++;
            }
        }
        return union == 0 ? 1 : (double) inter / union;
    }

    /** Variance of the regression targets of a data set (the MSE of the best constant predictor). */
    static double targetVariance(double[] t) {
        double mean = 0;
        for (double v : t) mean += v;
        mean /= t.length;
        double s = 0;
        for (double v : t) s += (v - mean) * (v - mean);
        return s / t.length;
    }

    /** First epoch whose validation loss is at most {@code level}; -1 if none. */
    static int firstEpochAtOrBelow(List<MetricsRow> rows, double level) {
        for (MetricsRow r : rows) if (r.valLoss() <= level) return r.epoch();
        return -1;
    }

    /** Two rows (output with regions, output alone) of the final frames, one column per run. */
    static BufferedImage finalFrames(List<Path> finalPngs, int panelSize, List<String> labels) {
        List<BufferedImage> top = new ArrayList<>(), bottom = new ArrayList<>();
        for (Path f : finalPngs) {
            BufferedImage frame = TrainingRun.readPng(f);
            top.add(Montage.panel(frame, panelSize, 0));
            bottom.add(Montage.panel(frame, panelSize, 1));
        }
        List<BufferedImage> tiles = new ArrayList<>(top);
        tiles.addAll(bottom);
        return Montage.grid(tiles, finalPngs.size(), panelSize, labels);
    }

    static void writeCsv(Path file, String header, List<String> lines) {
        StringBuilder sb = new StringBuilder(header).append('\n');
        for (String l : lines) sb.append(l).append('\n');
        AtomicFiles.writeString(file, sb.toString());
    }
}
