package atlas.experiment.jobs;

import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkEnv;
import org.apache.spark.SimpleFutureAction;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.RDD;
import scala.collection.Iterator;
import scala.runtime.AbstractFunction0;
import scala.runtime.AbstractFunction1;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs jobs on Apache Spark: one partition (one task) per job, so Spark spreads them over its executors; each
 * task retries its job itself ({@code maxAttempts}) and returns a {@link JobOutcome}, which the driver hands back
 * as soon as the task ends (not when the whole stage ends), so a sweep killed half-way keeps the units finished.
 *
 * <p>Loaded only when {@code --spark} is given ({@link Runners}): Spark is not on the default class path.
 */
final class SparkRunner implements JobRunner {
    private final JavaSparkContext sc;
    private final String master;
    private final double startSeconds;

    /** Starts (or joins, under spark-submit) a Spark context on {@code master}, e.g. {@code local[2]} or {@code spark://host:7077}. */
    public SparkRunner(String master) {
        this.master = master;
        long t0 = System.nanoTime();
        // Spark logs every step at INFO; keep warnings only unless the user configured log4j2 themselves
        if (System.getProperty("log4j2.configurationFile") == null && SparkRunner.class.getResource("spark-log4j2.properties") != null)
            System.setProperty("log4j2.configurationFile", SparkRunner.class.getResource("spark-log4j2.properties").toString());
        SparkConf conf = new SparkConf().setAppName("relu-atlas sweep").setMaster(master)
                .set("spark.ui.enabled", "false").set("spark.ui.showConsoleProgress", "false")
                // a job retries itself; Spark's own task retries would only repeat a failure the job already reported
                .set("spark.task.maxFailures", "1");
        this.sc = new JavaSparkContext(SparkContext.getOrCreate(conf));
        sc.setLogLevel("WARN");
        this.startSeconds = (System.nanoTime() - t0) / 1e9;
    }

    /** Seconds it took to start (or join) the Spark context. */
    public double startSeconds() { return startSeconds; }

    @Override
    public String name() { return String.format(java.util.Locale.ROOT, "spark %s (default parallelism %d, context started in %.1f s)", master, sc.defaultParallelism(), startSeconds); }

    @Override
    public int slots() { return sc.defaultParallelism(); }

    @Override
    public void run(List<Job> jobs, int maxAttempts, Consumer<JobOutcome> done) {
        if (jobs.isEmpty()) return;
        RDD<Job> rdd = sc.parallelize(new ArrayList<>(jobs), jobs.size()).rdd();
        List<Object> parts = new ArrayList<>(jobs.size());
        for (int k = 0; k < jobs.size(); k++) parts.add(k);
        LinkedBlockingQueue<JobOutcome> queue = new LinkedBlockingQueue<>();
        SimpleFutureAction<BoxedUnit> action = sc.sc().submitJob(rdd, new RunJob(maxAttempts), scala.jdk.javaapi.CollectionConverters.asScala(parts).toSeq(),
                new Collect(queue), new Unit());
        int received = 0;
        try {
            while (received < jobs.size()) {
                JobOutcome o = queue.poll(200, TimeUnit.MILLISECONDS);
                if (o != null) {
                    received++;
                    done.accept(o);
                } else if (action.isCompleted() && queue.isEmpty()) {
                    action.get(); // throws the Spark failure
                    throw new IllegalStateException("spark ended the sweep's stage with " + received + " of " + jobs.size() + " units");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted");
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("spark failed: " + e.getMessage(), e);
        } finally {
            if (!action.isCompleted()) action.cancel();
        }
    }

    @Override
    public void close() { sc.stop(); }

    /** Runs the one job of a partition on an executor. */
    private static final class RunJob extends AbstractFunction1<Iterator<Job>, JobOutcome> implements Serializable {
        private static final long serialVersionUID = 1L;
        private final int maxAttempts;

        RunJob(int maxAttempts) { this.maxAttempts = maxAttempts; }

        @Override
        public JobOutcome apply(Iterator<Job> it) {
            Job j = it.next();
            TaskContext ctx = TaskContext.get();
            String where = "executor " + SparkEnv.get().executorId() + " task " + ctx.taskAttemptId();
            return JobOutcome.attempt(j, ctx.partitionId(), maxAttempts, where);
        }
    }

    /** On the driver, as each task ends. */
    private static final class Collect extends AbstractFunction2<Object, JobOutcome, BoxedUnit> implements Serializable {
        private static final long serialVersionUID = 1L;
        private final transient LinkedBlockingQueue<JobOutcome> queue;

        Collect(LinkedBlockingQueue<JobOutcome> queue) { this.queue = queue; }

        @Override
        public BoxedUnit apply(Object partition, JobOutcome o) {
            queue.add(o);
            return BoxedUnit.UNIT;
        }
    }

    private static final class Unit extends AbstractFunction0<BoxedUnit> implements Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public BoxedUnit apply() { return BoxedUnit.UNIT; }
    }
}
