package atlas.web;

import atlas.error.BadInputException;

import atlas.experiment.MetricsRow;
import atlas.experiment.TrainingRun;
import atlas.net.Network;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The models and training runs a server holds, and the planes chosen for models with more than two inputs.
 * Thread-safe: requests share it. Networks are immutable, so a request may use one while another loads more.
 * Ids are short generated tokens ({@code m1}, {@code r1}, {@code p1}): a request names a loaded model, never a
 * file.
 */
public final class ModelStore {
    /** One loaded network; {@code run} and {@code epoch} are set for a training run's snapshot. */
    public record Entry(String id, String name, String source, Network network, String run, int epoch) {}

    /** One snapshot of a run: its epoch, the model id of its network and the metrics of that epoch. */
    public record Snapshot(int epoch, String model, double trainLoss, double valLoss, int regions) {}

    /** A training run folder: snapshots in epoch order and every metrics row. */
    public record Run(String id, String name, String source, List<Snapshot> snapshots, List<MetricsRow> metrics) {
        public Run {
            snapshots = List.copyOf(snapshots);
            metrics = List.copyOf(metrics);
        }
    }

    /** Planes kept at most (the oldest is forgotten first): each holds three input-space points. */
    static final int MAX_PLANES = 256;

    private static final Pattern SNAPSHOT = Pattern.compile("epoch-(\\d+)\\.json");

    private final Map<String, Entry> models = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Map<String, Run> runs = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Map<String, PlaneChoice> planes = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PlaneChoice> eldest) { return size() > MAX_PLANES; }
    });
    private int nextModel = 1, nextRun = 1, nextPlane = 1;

    /** Adds a network under a new id. */
    public synchronized Entry add(String name, String source, Network net) {
        Entry e = new Entry("m" + nextModel++, name, source, net, null, -1);
        models.put(e.id(), e);
        return e;
    }

    /**
     * Loads a training run folder ({@code models/epoch-NNNNNN.json} snapshots and {@code metrics.csv}), each
     * snapshot through {@code loader}.
     *
     * @throws IllegalArgumentException when the folder holds no snapshots
     */
    public Run addRun(Path dir, String name, Function<Path, Network> loader) {
        Path modelsDir = dir.resolve("models");
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(modelsDir)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(modelsDir, "epoch-*.json")) {
                for (Path p : ds) files.add(p);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + modelsDir + ": " + e.getMessage(), e);
            }
        }
        if (files.isEmpty()) throw new BadInputException(dir + " is not a training run folder (no models/epoch-*.json snapshots)");
        files.sort(null);
        List<MetricsRow> metrics = Files.isRegularFile(dir.resolve(TrainingRun.METRICS)) ? MetricsRow.read(dir.resolve(TrainingRun.METRICS)) : List.of();
        Map<Integer, MetricsRow> byEpoch = new LinkedHashMap<>();
        for (MetricsRow r : metrics) byEpoch.put(r.epoch(), r);
        List<Network> nets = new ArrayList<>();
        List<Integer> epochs = new ArrayList<>();
        for (Path f : files) {
            Matcher m = SNAPSHOT.matcher(f.getFileName().toString());
            if (!m.matches()) continue;
            nets.add(loader.apply(f));
            epochs.add(Integer.parseInt(m.group(1)));
        }
        synchronized (this) {
            String runId = "r" + nextRun++;
            List<Snapshot> snaps = new ArrayList<>();
            for (int k = 0; k < nets.size(); k++) {
                int epoch = epochs.get(k);
                Entry e = new Entry("m" + nextModel++, name + " @ epoch " + epoch, dir.resolve("models").resolve(files.get(k).getFileName()).toString(),
                        nets.get(k), runId, epoch);
                models.put(e.id(), e);
                MetricsRow r = byEpoch.get(epoch);
                snaps.add(new Snapshot(epoch, e.id(), r == null ? Double.NaN : r.trainLoss(), r == null ? Double.NaN : r.valLoss(),
                        r == null ? -1 : r.regions()));
            }
            Run run = new Run(runId, name, dir.toString(), snaps, metrics);
            runs.put(runId, run);
            return run;
        }
    }

    /** The model with this id; 404 when none. */
    public Entry model(String id) {
        if (id == null || id.isBlank()) throw ApiException.badRequest("parameter 'model' is missing (see GET /api/models)");
        Entry e = models.get(id);
        if (e == null) throw ApiException.notFound("no model with id '" + clip(id) + "' is loaded (see GET /api/models)");
        return e;
    }

    public List<Entry> models() {
        synchronized (models) { return List.copyOf(models.values()); }
    }

    public List<Run> runs() {
        synchronized (runs) { return List.copyOf(runs.values()); }
    }

    /** Registers a plane and gives it an id. */
    public synchronized PlaneChoice addPlane(PlaneChoice plane) {
        PlaneChoice p = plane.withId("p" + nextPlane++);
        planes.put(p.id(), p);
        return p;
    }

    /** The plane with this id, or null. */
    public PlaneChoice plane(String id) { return planes.get(id); }

    /** A user-given string cut to a length that fits in a one-line message. */
    static String clip(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
