package atlas.experiment;

import atlas.error.BadInputException;

import atlas.data.BuiltinImages;
import atlas.data.ImageLoader;
import atlas.data.TargetImage;
import atlas.net.Activation;
import atlas.train.Loss;
import atlas.train.OptimizerKind;
import atlas.train.Precision;
import atlas.train.ShapeSpec;
import atlas.train.TrainConfig;

import java.nio.file.Path;

/**
 * Everything that defines a training run on an image (written to the run's {@code config.json}).
 *
 * @param image      a built-in image name ({@link BuiltinImages#NAMES}) or the path of a PNG/JPEG/GIF file
 * @param classify   for a file: true to learn its colours as classes (cross-entropy), false for grey values (MSE);
 *                   the built-in {@code ring3} is always a class image
 * @param imageSize  the side of a built-in image in pixels (1024 by default)
 * @param shape      hidden layers, e.g. {@code 30x30} = 30 layers of 30 (see {@link ShapeSpec}); ignored with {@code initModel}
 * @param initModel  a relu-atlas-model/1 file to start from instead of a fresh Kaiming init (any shape, skips included), or null
 * @param activation hidden activation: {@code leaky_relu} (default) or {@code relu}
 * @param leak       negative slope of leaky ReLU (0.01)
 * @param biasInit   constant initial bias (0.1)
 * @param biasStd    when positive, biases are drawn from N(0, biasStd^2) instead
 * @param points     training points
 * @param validation validation points
 * @param epochs     total epochs (passes over the training points)
 * @param every      snapshot interval in epochs (model, exact regions, frame, checkpoint); 0 = only at the end
 * @param batch      minibatch size
 * @param optimizer  adam, sgd, momentum or rmsprop
 * @param lr         learning rate
 * @param seed       seed of the sample, the initialisation and the shuffles
 * @param threads    worker threads (results do not depend on it)
 * @param frames     draw a frame per snapshot and the movie
 * @param panelSize  side of each frame panel in pixels
 * @param gifDelayMs display time of each GIF frame
 * @param mp4        also write an MP4 when ffmpeg is on the PATH
 * @param precision  arithmetic of training: {@code float} (default for new runs, about twice as fast) or {@code double};
 *                   a config.json without it (older runs) means double
 */
public record RunSpec(String image, boolean classify, int imageSize, String shape, String initModel,
                      String activation, double leak, double biasInit, double biasStd,
                      int points, int validation, int epochs, int every, int batch,
                      String optimizer, double lr, long seed, int threads,
                      boolean frames, int panelSize, int gifDelayMs, boolean mp4, String precision) {

    public RunSpec {
        if (image == null || image.isBlank()) throw new BadInputException("no image given (a built-in name such as ring, or a file)");
        if (initModel == null) ShapeSpec.parse(shape);
        if (!"leaky_relu".equals(activation) && !"relu".equals(activation))
            throw new BadInputException("activation must be leaky_relu or relu, got '" + activation + "'");
        if (!(leak >= 0 && leak < 1)) throw new BadInputException("leak must be in [0, 1), got " + leak);
        if (!Double.isFinite(biasInit) || !(biasStd >= 0) || !Double.isFinite(biasStd)) throw new BadInputException("bias settings must be finite, biasStd >= 0");
        if (points <= 0) throw new BadInputException("--points must be positive, got " + points);
        if (validation < 0) throw new BadInputException("--validation must not be negative, got " + validation);
        if (epochs < 0) throw new BadInputException("--epochs must not be negative, got " + epochs);
        if (every < 0) throw new BadInputException("--every must not be negative, got " + every);
        if (batch <= 0) throw new BadInputException("--batch must be positive, got " + batch);
        OptimizerKind.fromLabel(optimizer);
        if (!(lr > 0) || !Double.isFinite(lr)) throw new BadInputException("--lr must be a positive number, got " + lr);
        if (threads <= 0) throw new BadInputException("--threads must be positive, got " + threads);
        if (imageSize < 8 || imageSize > 8192) throw new BadInputException("--image-size must be between 8 and 8192, got " + imageSize);
        if (panelSize < 64 || panelSize > 2048) throw new BadInputException("--frame-size must be between 64 and 2048, got " + panelSize);
        if (gifDelayMs < 10) throw new BadInputException("GIF delay must be at least 10 ms");
        precision = precision == null ? Precision.DOUBLE.label() : Precision.fromLabel(precision).label();
    }

    /** The defaults of the original experiments: ring, 30x30, 5000 + 1000 points, Adam 1e-3, batch 1024, 6000 epochs, every 50. */
    public static RunSpec defaults() {
        return new RunSpec("ring", false, BuiltinImages.DEFAULT_SIZE, "30x30", null, "leaky_relu", 0.01, 0.1, 0,
                5000, 1000, 6000, 50, TrainConfig.DEFAULT_BATCH, "adam", TrainConfig.DEFAULT_LR, 1, TrainConfig.defaultThreads(),
                true, 400, 80, true, Precision.FLOAT.label());
    }

    public RunSpec withImage(String img) { return new RunSpec(img, classify, imageSize, shape, initModel, activation, leak, biasInit, biasStd, points, validation, epochs, every, batch, optimizer, lr, seed, threads, frames, panelSize, gifDelayMs, mp4, precision); }
    public RunSpec withShape(String s) { return new RunSpec(image, classify, imageSize, s, initModel, activation, leak, biasInit, biasStd, points, validation, epochs, every, batch, optimizer, lr, seed, threads, frames, panelSize, gifDelayMs, mp4, precision); }
    public RunSpec withPoints(int n, int v) { return new RunSpec(image, classify, imageSize, shape, initModel, activation, leak, biasInit, biasStd, n, v, epochs, every, batch, optimizer, lr, seed, threads, frames, panelSize, gifDelayMs, mp4, precision); }
    public RunSpec withEpochs(int e, int ev) { return new RunSpec(image, classify, imageSize, shape, initModel, activation, leak, biasInit, biasStd, points, validation, e, ev, batch, optimizer, lr, seed, threads, frames, panelSize, gifDelayMs, mp4, precision); }
    public RunSpec withOptimizer(String o, double l) { return new RunSpec(image, classify, imageSize, shape, initModel, activation, leak, biasInit, biasStd, points, validation, epochs, every, batch, o, l, seed, threads, frames, panelSize, gifDelayMs, mp4, precision); }
    public RunSpec withSeed(long s) { return new RunSpec(image, classify, imageSize, shape, initModel, activation, leak, biasInit, biasStd, points, validation, epochs, every, batch, optimizer, lr, s, threads, frames, panelSize, gifDelayMs, mp4, precision); }
    public RunSpec withFrames(boolean f, int panel, boolean movie) { return new RunSpec(image, classify, imageSize, shape, initModel, activation, leak, biasInit, biasStd, points, validation, epochs, every, batch, optimizer, lr, seed, threads, f, panel, gifDelayMs, movie, precision); }
    public RunSpec withImageSize(int s) { return new RunSpec(image, classify, s, shape, initModel, activation, leak, biasInit, biasStd, points, validation, epochs, every, batch, optimizer, lr, seed, threads, frames, panelSize, gifDelayMs, mp4, precision); }
    public RunSpec withBatch(int b) { return new RunSpec(image, classify, imageSize, shape, initModel, activation, leak, biasInit, biasStd, points, validation, epochs, every, b, optimizer, lr, seed, threads, frames, panelSize, gifDelayMs, mp4, precision); }
    public RunSpec withThreads(int t) { return new RunSpec(image, classify, imageSize, shape, initModel, activation, leak, biasInit, biasStd, points, validation, epochs, every, batch, optimizer, lr, seed, t, frames, panelSize, gifDelayMs, mp4, precision); }
    public RunSpec withInitModel(String m) { return new RunSpec(image, classify, imageSize, shape, m, activation, leak, biasInit, biasStd, points, validation, epochs, every, batch, optimizer, lr, seed, threads, frames, panelSize, gifDelayMs, mp4, precision); }
    public RunSpec withActivation(String a, double lk) { return new RunSpec(image, classify, imageSize, shape, initModel, a, lk, biasInit, biasStd, points, validation, epochs, every, batch, optimizer, lr, seed, threads, frames, panelSize, gifDelayMs, mp4, precision); }
    public RunSpec withBias(double value, double std) { return new RunSpec(image, classify, imageSize, shape, initModel, activation, leak, value, std, points, validation, epochs, every, batch, optimizer, lr, seed, threads, frames, panelSize, gifDelayMs, mp4, precision); }
    public RunSpec withClassify(boolean c) { return new RunSpec(image, c, imageSize, shape, initModel, activation, leak, biasInit, biasStd, points, validation, epochs, every, batch, optimizer, lr, seed, threads, frames, panelSize, gifDelayMs, mp4, precision); }

    public RunSpec withPrecision(String p) { return new RunSpec(image, classify, imageSize, shape, initModel, activation, leak, biasInit, biasStd, points, validation, epochs, every, batch, optimizer, lr, seed, threads, frames, panelSize, gifDelayMs, mp4, p); }

    /** The training arithmetic. */
    public Precision precisionKind() { return Precision.fromLabel(precision); }

    /** The hidden activation. */
    public Activation hiddenActivation() { return "relu".equals(activation) ? Activation.RELU : Activation.LEAKY_RELU; }

    public OptimizerKind optimizerKind() { return OptimizerKind.fromLabel(optimizer); }

    /** Loads or generates the image. */
    public TargetImage loadImage() {
        if (BuiltinImages.exists(image)) return BuiltinImages.create(image, imageSize);
        Path p = Path.of(image);
        if (!java.nio.file.Files.exists(p))
            throw new BadInputException("--image " + image + ": no such file and not a built-in image (" + String.join(", ", BuiltinImages.NAMES) + ")");
        return ImageLoader.load(p, classify);
    }

    /** The loss that fits the image. */
    public static Loss lossFor(TargetImage img) { return img.isClassification() ? Loss.CROSS_ENTROPY : Loss.MSE; }
}
