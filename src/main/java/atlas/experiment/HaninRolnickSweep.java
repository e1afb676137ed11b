package atlas.experiment;

import atlas.experiment.jobs.Job;
import atlas.experiment.jobs.JobContext;
import atlas.experiment.jobs.Sweep;
import atlas.io.AtomicFiles;
import atlas.net.ModelFormat;
import atlas.net.Network;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;

/**
 * {@link HaninRolnickExperiment} as a resumable {@link Sweep} of units that can run on local threads or on Apache
 * Spark: stage "train" has one unit per architecture (and one per label-noise level of the memorisation study) that
 * trains the net to every snapshot epoch and returns the snapshots (epoch, loss, model); stage "measure" has one unit
 * per snapshot (regions on the lines and planes, distances, accuracy). The probes are drawn from the seed inside each
 * unit, as in the single-machine run, so a unit's row depends only on its inputs. Rows carry no timings (their
 * {@code samples_per_s} and {@code seconds} columns are NaN; the sweep's {@code timings.csv} has the seconds), so
 * the report's CSV files are the same bytes on every runner.
 */
public final class HaninRolnickSweep {
    private HaninRolnickSweep() {}

    /** The settings as a serialisable value (a {@link HaninRolnickConfig} holds paths); rebuilt into a config on each machine. */
    public record Spec(String dataset, String dataDir, List<int[]> archs, double[] epochs, int trainLimit, int testLimit, int lines, int planes,
                       int distancePoints, long seed, double biasStd, int batch, double lr, int threads, int[] memHidden, double[] memNoise,
                       double[] memEpochs, int memTrain, int memLines) implements Serializable {
        private static final long serialVersionUID = 1L;

        public static Spec of(HaninRolnickConfig c) {
            HaninRolnickConfig.Memorisation m = c.memorisation();
            return new Spec(c.dataset(), c.dataDir() == null ? null : c.dataDir().toAbsolutePath().toString(), new ArrayList<>(c.architectures()),
                    c.epochs(), c.trainLimit(), c.testLimit(), c.lines(), c.planes(), c.distancePoints(), c.seed(), c.biasStd(), c.batch(), c.lr(),
                    c.threads(), m == null ? null : m.hidden(), m == null ? null : m.noise(), m == null ? null : m.epochs(), m == null ? 0 : m.trainLimit(),
                    m == null ? 0 : m.lines());
        }

        HaninRolnickConfig config(Path out) {
            HaninRolnickConfig.Memorisation m = memHidden == null ? null : new HaninRolnickConfig.Memorisation(memHidden, memNoise, memEpochs, memTrain, memLines);
            return new HaninRolnickConfig(dataset, dataDir == null ? null : Path.of(dataDir), out, archs, epochs, trainLimit, testLimit, lines, planes,
                    distancePoints, seed, biasStd, batch, lr, threads, m, true);
        }

        /** Every field, as text: the key of the values this JVM shares between the units of these settings. */
        String key() {
            StringBuilder sb = new StringBuilder(dataset + "|" + dataDir + "|");
            for (int[] a : archs) sb.append(java.util.Arrays.toString(a));
            return sb.append('|').append(java.util.Arrays.toString(epochs)).append('|').append(trainLimit).append('|').append(testLimit).append('|')
                    .append(lines).append('|').append(planes).append('|').append(distancePoints).append('|').append(seed).append('|').append(biasStd)
                    .append('|').append(batch).append('|').append(lr).append('|').append(java.util.Arrays.toString(memHidden)).append('|')
                    .append(java.util.Arrays.toString(memNoise)).append('|').append(java.util.Arrays.toString(memEpochs)).append('|').append(memTrain)
                    .append('|').append(memLines).toString();
        }

        /** The experiment (data, probes) once per JVM and settings. */
        HaninRolnickExperiment experiment() {
            HaninRolnickConfig cfg = config(Path.of("."));
            return JobContext.shared("hanin-rolnick:" + key(), () -> new HaninRolnickExperiment(cfg, data(cfg)));
        }
    }

    private static atlas.data.mnist.MnistData data(HaninRolnickConfig cfg) {
        return JobContext.shared("hanin-rolnick-data:" + cfg.dataset() + ":" + cfg.dataDir() + (cfg.dataset().equals("synthetic") ? ":" + cfg.seed() : ""),
                () -> HaninRolnickExperiment.loadData(cfg));
    }

    /**
     * Snapshots of one training run, as unit text: per snapshot a line {@code #snapshot,k,epoch,loss,chars} and then
     * the model's JSON ({@code chars} characters, which may span lines) and a newline.
     */
    private static String snapshot(int k, double epoch, double loss, Network net) {
        String json = ModelFormat.toJson(net);
        return "#snapshot," + k + "," + epoch + "," + loss + "," + json.length() + "\n" + json + "\n";
    }

    /** A snapshot read back. */
    record Snapshot(int k, double epoch, double loss, String json) {
        static List<Snapshot> parse(String text) {
            List<Snapshot> out = new ArrayList<>();
            int at = 0;
            while (at < text.length()) {
                int eol = text.indexOf('\n', at);
                String[] h = eol < 0 ? new String[0] : text.substring(at, eol).split(",");
                if (h.length != 5 || !h[0].equals("#snapshot")) throw new IllegalStateException("bad training unit result");
                int n = Integer.parseInt(h[4]);
                out.add(new Snapshot(Integer.parseInt(h[1]), Double.parseDouble(h[2]), Double.parseDouble(h[3]), text.substring(eol + 1, eol + 1 + n)));
                at = eol + 1 + n + 1;
            }
            return out;
        }
    }

    /** Stage "train": one architecture trained to every snapshot epoch. */
    public record TrainJob(Spec spec, int arch) implements Job {
        private static final long serialVersionUID = 1L;

        @Override
        public String id() { return "train-" + HaninRolnickConfig.name(spec.archs().get(arch)); }

        @Override
        public String run(JobContext ctx) {
            HaninRolnickExperiment e = spec.experiment();
            int[] hidden = spec.archs().get(arch);
            StringBuilder sb = new StringBuilder();
            try (MnistTrainer t = new MnistTrainer(e.trainingSet(), hidden, e.seedOf(hidden), spec.biasStd(), Double.NaN, spec.batch(), spec.lr(), spec.threads())) {
                for (int k = 0; k < spec.epochs().length; k++) {
                    if (Thread.currentThread().isInterrupted()) throw new CancellationException("interrupted");
                    t.advanceTo(spec.epochs()[k]);
                    sb.append(snapshot(k, t.epoch(), t.lastLoss(), t.network()));
                }
            }
            return sb.toString();
        }
    }

    /** Stage "measure": one snapshot of one architecture. */
    public record MeasureJob(Spec spec, int arch, int k, double epoch, double loss, String json) implements Job {
        private static final long serialVersionUID = 1L;

        @Override
        public String id() { return String.format(Locale.ROOT, "measure-%s-%02d", HaninRolnickConfig.name(spec.archs().get(arch)), k); }

        @Override
        public String run(JobContext ctx) {
            int[] hidden = spec.archs().get(arch);
            return spec.experiment().measureUnit(HaninRolnickConfig.name(hidden), hidden.length, ModelFormat.parse(json), epoch, loss).csv() + "\n";
        }
    }

    /** Stage "train" of the memorisation study: one label-noise level trained to every snapshot epoch. */
    public record MemoTrainJob(Spec spec, int level) implements Job {
        private static final long serialVersionUID = 1L;

        @Override
        public String id() { return "train-memo-" + HaninRolnickExperiment.num(spec.memNoise()[level]); }

        @Override
        public String run(JobContext ctx) {
            HaninRolnickExperiment e = spec.experiment();
            StringBuilder sb = new StringBuilder();
            try (MnistTrainer t = new MnistTrainer(e.noisyTrainingSet(spec.memNoise()[level]), spec.memHidden(), spec.seed() + 99, spec.biasStd(), Double.NaN,
                    spec.batch(), spec.lr(), spec.threads())) {
                for (int k = 0; k < spec.memEpochs().length; k++) {
                    if (Thread.currentThread().isInterrupted()) throw new CancellationException("interrupted");
                    t.advanceTo(spec.memEpochs()[k]);
                    sb.append(snapshot(k, t.epoch(), t.lastLoss(), t.network()));
                }
            }
            return sb.toString();
        }
    }

    /** Stage "measure" of the memorisation study: one snapshot of one noise level. */
    public record MemoMeasureJob(Spec spec, int level, int k, double epoch, String json) implements Job {
        private static final long serialVersionUID = 1L;

        @Override
        public String id() { return String.format(Locale.ROOT, "measure-memo-%s-%02d", HaninRolnickExperiment.num(spec.memNoise()[level]), k); }

        @Override
        public String run(JobContext ctx) {
            HaninRolnickExperiment e = spec.experiment();
            double noise = spec.memNoise()[level];
            ImageDatasetHolder h = JobContext.shared("hanin-rolnick-noisy:" + spec.key() + "|" + noise, () -> new ImageDatasetHolder(e.noisyTrainingSet(noise)));
            return e.measureMemoUnit(noise, h.data(), ModelFormat.parse(json), epoch).csv() + "\n";
        }
    }

    private record ImageDatasetHolder(atlas.data.mnist.ImageDataset data) {}

    /** Every setting that changes a result (the sweep's identity); loads the data to count the images. */
    public static String settings(HaninRolnickConfig cfg) {
        return "experiment=hanin-rolnick (sweep)\n" + new HaninRolnickExperiment(cfg, data(cfg)).settingsText();
    }

    /** Runs the experiment's units in {@code sweep} (resuming finished ones) and writes the report into {@code cfg.out()}. */
    public static HaninRolnickExperiment.Result run(HaninRolnickConfig cfg, Sweep sweep) {
        Spec spec = Spec.of(cfg);
        HaninRolnickExperiment local = new HaninRolnickExperiment(cfg, data(cfg));
        List<Job> train = new ArrayList<>();
        for (int a = 0; a < spec.archs().size(); a++) train.add(new TrainJob(spec, a));
        int levels = spec.memNoise() == null ? 0 : spec.memNoise().length;
        for (int m = 0; m < levels; m++) train.add(new MemoTrainJob(spec, m));
        List<String> trained = sweep.stage("train", train);
        List<Job> measure = new ArrayList<>();
        for (int a = 0; a < spec.archs().size(); a++) {
            List<Snapshot> snaps = Snapshot.parse(trained.get(a));
            for (Snapshot s : snaps) measure.add(new MeasureJob(spec, a, s.k(), s.epoch(), s.loss(), s.json()));
            Snapshot last = snaps.get(snaps.size() - 1);
            AtomicFiles.writeString(cfg.out().resolve("nets").resolve(HaninRolnickConfig.name(spec.archs().get(a)) + "-final.json"), last.json() + "\n");
        }
        for (int m = 0; m < levels; m++)
            for (Snapshot s : Snapshot.parse(trained.get(spec.archs().size() + m))) measure.add(new MemoMeasureJob(spec, m, s.k(), s.epoch(), s.json()));
        List<String> measured = sweep.stage("measure", measure);
        List<HaninRolnickExperiment.Row> rows = new ArrayList<>();
        List<HaninRolnickExperiment.MemoRow> memo = new ArrayList<>();
        for (int i = 0; i < measure.size(); i++) {
            String line = measured.get(i).strip();
            if (measure.get(i) instanceof MeasureJob) rows.add(HaninRolnickExperiment.Row.parse(line));
            else memo.add(HaninRolnickExperiment.MemoRow.parse(line));
        }
        return local.writeReport(rows, memo);
    }
}
