package atlas.experiment;

import atlas.error.BadInputException;

import atlas.io.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One line of a run's {@code metrics.csv}: {@code epoch,train_loss,val_loss,regions,seconds}. Epoch 0 is the
 * initialisation (train loss = the mean loss over all training points); epoch e >= 1 has the mean over the
 * epoch's minibatches (each computed before its update). {@code regions} is the exact region count on the
 * image domain [0,1]^2, present at snapshot epochs only (empty otherwise, -1 here; also empty until a snapshot running
 * beside the training is done); {@code seconds} is the wall time since the run started, summed over resumed sessions,
 * when the epoch's training ended.
 */
public record MetricsRow(int epoch, double trainLoss, double valLoss, int regions, double seconds) {
    public static final String HEADER = "epoch,train_loss,val_loss,regions,seconds";

    public String csv() {
        return epoch + "," + num(trainLoss) + "," + num(valLoss) + "," + (regions >= 0 ? Integer.toString(regions) : "")
                + "," + String.format(Locale.ROOT, "%.3f", seconds);
    }

    private static String num(double v) { return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.8g", v); }

    /** Writes rows atomically. */
    public static void write(Path file, List<MetricsRow> rows) {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (MetricsRow r : rows) sb.append(r.csv()).append('\n');
        AtomicFiles.writeString(file, sb.toString());
    }

    /** Reads a metrics file written by {@link #write}. */
    public static List<MetricsRow> read(Path file) {
        List<MetricsRow> rows = new ArrayList<>();
        try {
            List<String> lines = Files.readAllLines(file);
            if (lines.isEmpty() || !lines.get(0).trim().equals(HEADER)) throw new BadInputException(file + " is not a metrics file (header " + HEADER + ")");
            for (int k = 1; k < lines.size(); k++) {
                String line = lines.get(k).trim();
                if (line.isEmpty()) continue;
                String[] f = line.split(",", -1);
                if (f.length != 5) throw new BadInputException(file + " line " + (k + 1) + ": expected 5 fields");
                rows.add(new MetricsRow(Integer.parseInt(f[0]), parse(f[1]), parse(f[2]),
                        f[3].isEmpty() ? -1 : Integer.parseInt(f[3]), Double.parseDouble(f[4])));
            }
        } catch (IOException e) {
            throw new BadInputException("cannot read " + file + ": " + e.getMessage());
        } catch (NumberFormatException e) {
            throw new BadInputException(file + " has a bad number: " + e.getMessage());
        }
        return rows;
    }

    private static double parse(String s) { return s.isEmpty() ? Double.NaN : Double.parseDouble(s); }
}
