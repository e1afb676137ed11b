package atlas.experiment.jobs;

import atlas.error.BadInputException;

/** Picks the runner: local threads by default, Apache Spark when a master is given. */
public final class Runners {
    private Runners() {}

    /** How to get a Spark-enabled build, for the error when Spark is missing. */
    public static final String HOW_TO_BUILD = "build the shaded jar with 'mvn -Pspark -DskipTests package' and run it with "
            + "spark-submit or 'java -cp target/relu-atlas-spark.jar atlas.cli.AtlasCommand ...' (see docs/spark.md)";

    /**
     * @param sparkMaster null for local threads, else a Spark master URL ({@code local[2]}, {@code spark://host:7077}, {@code yarn})
     * @param threads     local threads (ignored with Spark)
     * @throws IllegalArgumentException when Spark is asked for but not on the class path
     */
    public static JobRunner open(String sparkMaster, int threads) {
        if (sparkMaster == null) return new LocalRunner(threads);
        if (sparkMaster.isBlank()) throw new BadInputException("--spark needs a master URL, e.g. local[2] or spark://host:7077");
        try {
            Class.forName("org.apache.spark.SparkContext", false, Runners.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new BadInputException("--spark " + sparkMaster + ": Apache Spark is not on the class path; " + HOW_TO_BUILD);
        }
        try {
            // by name, so that the default runtime never loads a class that links against Spark
            Class<?> c = Class.forName("atlas.experiment.jobs.SparkRunner");
            return (JobRunner) c.getConstructor(String.class).newInstance(sparkMaster);
        } catch (java.lang.reflect.InvocationTargetException e) {
            Throwable t = e.getCause();
            if (t instanceof RuntimeException re) throw re;
            if (t instanceof Error err) throw err;
            throw new IllegalStateException("cannot start spark: " + t, t);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot load the spark runner: " + e, e);
        }
    }
}
