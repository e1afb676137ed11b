package atlas.web;

import atlas.error.BadInputException;

import atlas.geometry.Rectangle;
import atlas.geometry.Tolerance;
import atlas.net.ModelException;
import atlas.net.Network;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The web server of {@code atlas serve}: the page's static files (a fixed list read from the jar, nothing else
 * from disk) and the JSON API of docs/api.md over a {@link ModelStore}.
 *
 * <p>Computations run on a pool of {@code cores} threads; a request waits for its result at most
 * {@link Limits#computeSeconds()} (counted from its arrival), after which the computation is interrupted (the
 * partitioners stop between units) and the answer is HTTP 503 with a message. Every error is JSON
 * {@code {"error": "one line"}}; no stack trace leaves the server.
 */
public final class ExplorerServer implements AutoCloseable {

    /**
     * @param computeSeconds longest a request may wait for its computation
     * @param maxUploadBytes largest model file accepted by POST /api/models
     */
    public record Limits(double computeSeconds, long maxUploadBytes) {
        public static final Limits DEFAULT = new Limits(20, 64L << 20);

        public Limits {
            if (!(computeSeconds > 0)) throw new BadInputException("the compute time limit must be positive");
            if (maxUploadBytes <= 0) throw new BadInputException("the upload limit must be positive");
        }
    }

    /** The static files of the page: URL path -> (resource, content type). Nothing outside this list is served. */
    private static final Map<String, String[]> STATIC = Map.of(
            "/", new String[]{"/web/index.html", "text/html; charset=utf-8"},
            "/index.html", new String[]{"/web/index.html", "text/html; charset=utf-8"},
            "/app.js", new String[]{"/web/app.js", "text/javascript; charset=utf-8"},
            "/style.css", new String[]{"/web/style.css", "text/css; charset=utf-8"});

    /** Largest JSON body of POST /api/planes (three 784-pixel images take about 60 kB). */
    static final int MAX_PLANE_BODY = 4 << 20;

    private final ModelStore store;
    private final Function<Path, Network> loader;
    private final Limits limits;
    private final Tolerance tol = Tolerance.DEFAULT;
    private final ExecutorService pool;
    private final int computeThreads;
    private final Map<String, byte[]> files = new LinkedHashMap<>();
    private final Javalin app;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * @param store  the models to serve (more may be uploaded)
     * @param loader the model-file reader (the CLI's, so uploads accept every format the CLI reads)
     * @param limits time and size limits
     */
    public ExplorerServer(ModelStore store, Function<Path, Network> loader, Limits limits) {
        this.store = store;
        this.loader = loader;
        this.limits = limits;
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        AtomicInteger n = new AtomicInteger();
        ThreadFactory tf = r -> {
            Thread t = new Thread(r, "atlas-web-compute-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.computeThreads = threads;
        this.pool = Executors.newFixedThreadPool(threads, tf);
        for (String[] f : STATIC.values()) files.computeIfAbsent(f[0], ExplorerServer::resource);
        this.app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.http.maxRequestSize = Math.max(limits.maxUploadBytes(), MAX_PLANE_BODY) + 1;
            for (Map.Entry<String, String[]> e : STATIC.entrySet()) {
                byte[] body = files.get(e.getValue()[0]);
                String type = e.getValue()[1];
                cfg.routes.get(e.getKey(), ctx -> {
                    ctx.header("Cache-Control", "no-cache");
                    ctx.contentType(type).result(body);
                });
            }
            cfg.routes.get("/api/models", ctx -> json(ctx, 200, models()));
            cfg.routes.post("/api/models", this::upload);
            cfg.routes.get("/api/regions", ctx -> {
                ModelStore.Entry m = store.model(ctx.queryParam("model"));
                PlaneChoice plane = plane(m, ctx.queryParam("plane"));
                Rectangle domain = domain(ctx.queryParam("domain"), plane);
                jsonBytes(ctx, 200, compute(() -> RegionViews.regions(m, plane, domain, tol)));
            });
            cfg.routes.get("/api/point", ctx -> {
                ModelStore.Entry m = store.model(ctx.queryParam("model"));
                PlaneChoice plane = plane(m, ctx.queryParam("plane"));
                Rectangle domain = domain(ctx.queryParam("domain"), plane);
                double[] x = numbers(required(ctx, "x"), 2, "x");
                json(ctx, 200, compute(() -> RegionViews.point(m, plane, domain, x[0], x[1], tol)));
            });
            cfg.routes.get("/api/line", ctx -> {
                ModelStore.Entry m = store.model(ctx.queryParam("model"));
                PlaneChoice plane = plane(m, ctx.queryParam("plane"));
                double[] from = numbers(required(ctx, "from"), 2, "from");
                double[] to = numbers(required(ctx, "to"), 2, "to");
                json(ctx, 200, compute(() -> RegionViews.line(m, plane, from, to, tol)));
            });
            cfg.routes.post("/api/planes", this::newPlane);
            cfg.routes.exception(ApiException.class, (ex, ctx) -> json(ctx, ex.status(), error(ex.getMessage())));
            cfg.routes.exception(Exception.class, (ex, ctx) -> {
                if (isBadInput(ex)) {
                    json(ctx, 400, error(oneLine(ex)));
                } else {
                    System.err.println("atlas serve: internal error on " + ctx.method() + " " + ctx.path() + ": " + ex);
                    json(ctx, 500, error("internal error: " + ex.getClass().getSimpleName() + (ex.getMessage() == null ? "" : ": " + oneLine(ex))));
                }
            });
            cfg.routes.error(404, ctx -> {
                String body = ctx.result(); // an ApiException's JSON stays; Javalin's plain-text 404 becomes JSON
                if (body == null || !body.startsWith("{\"error\"")) json(ctx, 404, error("not found: " + ModelStore.clip(ctx.path())));
            });
        });
    }

    /** Starts listening; port 0 picks a free port (see {@link #port()}). */
    public ExplorerServer start(String host, int port) {
        app.start(host, port);
        return this;
    }

    /** The port listened on. */
    public int port() { return app.port(); }

    public ModelStore store() { return store; }

    /** The size of the pool the computations run on. */
    public int computeThreads() { return computeThreads; }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return; // a shutdown hook and the command may both close it
        app.stop();
        pool.shutdownNow();
    }

    // ---- handlers

    private ObjectNode models() {
        ObjectNode out = RegionViews.JSON.createObjectNode();
        ArrayNode ms = out.putArray("models");
        for (ModelStore.Entry e : store.models()) ms.add(describe(e));
        ArrayNode rs = out.putArray("runs");
        for (ModelStore.Run r : store.runs()) {
            ObjectNode o = rs.addObject();
            o.put("id", r.id());
            o.put("name", r.name());
            o.put("source", r.source());
            ArrayNode snaps = o.putArray("snapshots");
            for (ModelStore.Snapshot s : r.snapshots()) {
                ObjectNode so = snaps.addObject();
                so.put("epoch", s.epoch());
                so.put("model", s.model());
                RegionViews.num(so, "train_loss", s.trainLoss());
                RegionViews.num(so, "val_loss", s.valLoss());
                so.put("regions", s.regions());
            }
            ArrayNode metrics = o.putArray("metrics");
            for (var row : r.metrics()) {
                ArrayNode a = metrics.addArray();
                a.add(row.epoch());
                RegionViews.num(a, row.trainLoss());
                RegionViews.num(a, row.valLoss());
                if (row.regions() >= 0) a.add(row.regions());
                else a.addNull();
            }
        }
        ObjectNode lim = out.putObject("limits");
        lim.put("compute_seconds", limits.computeSeconds());
        lim.put("max_upload_bytes", limits.maxUploadBytes());
        return out;
    }

    private static ObjectNode describe(ModelStore.Entry e) {
        Network net = e.network();
        ObjectNode o = RegionViews.JSON.createObjectNode();
        o.put("id", e.id());
        o.put("name", e.name());
        o.put("source", e.source());
        o.put("input_dim", net.inputDim());
        o.put("outputs", net.outputDim());
        o.put("shape", net.shape());
        o.put("parameters", net.parameterCount());
        if (e.run() != null) {
            o.put("run", e.run());
            o.put("epoch", e.epoch());
        }
        RegionViews.putLayers(o, RegionViews.cuttingLayers(net));
        int side = imageSide(net.inputDim());
        if (side > 0) o.put("image_side", side);
        return o;
    }

    /** The side of a square image with {@code dim} pixels (784 -> 28), or 0 when inputs are not an image. */
    static int imageSide(int dim) {
        int side = (int) Math.round(Math.sqrt(dim));
        return dim >= 64 && side * side == dim ? side : 0;
    }

    /** POST /api/models?name=FILE: the body is a model file in any format the CLI reads. */
    private void upload(Context ctx) throws IOException {
        String name = ctx.queryParam("name");
        if (name == null || name.isBlank()) name = "upload.json";
        name = Path.of(name.replace('\\', '/')).getFileName().toString(); // the name is only a label and an extension hint
        long declared = ctx.req().getContentLengthLong();
        if (declared > limits.maxUploadBytes()) throw tooLarge(declared);
        byte[] body;
        try (InputStream in = ctx.bodyInputStream()) {
            body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limits.maxUploadBytes() + 1));
        }
        if (body.length > limits.maxUploadBytes()) throw tooLarge(body.length);
        if (body.length == 0) throw ApiException.badRequest(name + ": the uploaded file is empty");
        String ext = extension(name);
        Path tmp = Files.createTempFile("atlas-upload-", ext);
        try {
            Files.write(tmp, body);
            Network net;
            try {
                net = loader.apply(tmp);
            } catch (RuntimeException e) {
                if (!isBadInput(e)) throw e;
                String msg = oneLine(e).replace(tmp.toString(), name).replace(tmp.getFileName().toString(), name);
                throw ApiException.badRequest(msg.startsWith(name) ? msg : name + ": " + msg);
            }
            ModelStore.Entry e = store.add(name, "upload", net);
            json(ctx, 201, describe(e));
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private ApiException tooLarge(long bytes) {
        return new ApiException(413, "the upload (" + bytes + " bytes) is larger than the limit of " + limits.maxUploadBytes()
                + " bytes (atlas serve --max-upload-mb)");
    }

    /** ".json" from "net.json": letters and digits only, so the temporary file's name stays harmless. */
    private static String extension(String name) {
        int dot = name.lastIndexOf('.');
        if (dot < 0) return ".json";
        String ext = name.substring(dot + 1).toLowerCase(Locale.ROOT);
        return ext.matches("[a-z0-9]{1,16}") ? "." + ext : ".json";
    }

    /** POST /api/planes {"model": ID, "random": SEED} or {"model": ID, "points": [A, B, C]}. */
    private void newPlane(Context ctx) throws IOException {
        byte[] body;
        try (InputStream in = ctx.bodyInputStream()) {
            body = in.readNBytes(MAX_PLANE_BODY + 1);
        }
        if (body.length > MAX_PLANE_BODY) throw new ApiException(413, "the plane request is larger than " + MAX_PLANE_BODY + " bytes");
        JsonNode root;
        try {
            root = RegionViews.JSON.readTree(body);
        } catch (IOException e) {
            throw ApiException.badRequest("the plane request is not valid JSON: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j
                    ? atlas.net.ModelFormat.jsonProblem(j) : e.getMessage().split("\n")[0]));
        }
        if (root == null || !root.isObject()) throw ApiException.badRequest("the plane request must be a JSON object");
        ModelStore.Entry m = store.model(root.path("model").asText(null));
        int dim = m.network().inputDim();
        PlaneChoice plane;
        if (root.has("random")) {
            if (!root.get("random").canConvertToLong()) throw ApiException.badRequest("\"random\" must be an integer seed");
            plane = PlaneChoice.random(root.get("random").asLong(), dim);
        } else if (root.has("points")) {
            JsonNode pts = root.get("points");
            if (!pts.isArray() || pts.size() != 3) throw ApiException.badRequest("\"points\" must be an array of three points");
            double[][] p = new double[3][dim];
            for (int k = 0; k < 3; k++) {
                JsonNode v = pts.get(k);
                if (!v.isArray() || v.size() != dim)
                    throw ApiException.badRequest("point " + (k + 1) + " has " + (v.isArray() ? v.size() : 0) + " values, the model has " + dim + " inputs");
                for (int j = 0; j < dim; j++) {
                    if (!v.get(j).isNumber() || !Double.isFinite(v.get(j).asDouble()))
                        throw ApiException.badRequest("point " + (k + 1) + ", value " + j + " is not a finite number");
                    p[k][j] = v.get(j).asDouble();
                }
            }
            String label = root.path("label").asText("three chosen points");
            plane = PlaneChoice.through(p, ModelStore.clip(label));
        } else {
            throw ApiException.badRequest("the plane request needs \"random\": SEED or \"points\": [A, B, C]");
        }
        plane = store.addPlane(plane);
        ObjectNode out = RegionViews.JSON.createObjectNode();
        out.put("id", plane.id());
        out.put("description", plane.description());
        RegionViews.putDomain(out, plane.slice().defaultDomain());
        ArrayNode pts = out.putArray("points");
        for (double[] p : plane.points()) {
            ArrayNode a = pts.addArray();
            for (double v : p) a.add(v);
        }
        int side = imageSide(dim);
        if (side > 0) out.put("image_side", side);
        json(ctx, 201, out);
    }

    // ---- parameters

    /** The plane of a request: none (the input plane, or random:1 for more than 2 inputs), random:SEED or a plane id. */
    PlaneChoice plane(ModelStore.Entry m, String spec) {
        int dim = m.network().inputDim();
        if (spec == null || spec.isBlank() || spec.equals("input")) {
            if (dim == 2) return PlaneChoice.inputPlane();
            if (spec != null && spec.equals("input"))
                throw ApiException.badRequest("the model has " + dim + " inputs: its views need a plane (random:SEED or an id from POST /api/planes)");
            return PlaneChoice.random(1, dim);
        }
        if (spec.startsWith("random:")) {
            try {
                return PlaneChoice.random(Long.parseLong(spec.substring(7).trim()), dim);
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("plane random:SEED needs an integer seed, got '" + ModelStore.clip(spec.substring(7)) + "'");
            }
        }
        PlaneChoice p = store.plane(spec);
        if (p == null) throw ApiException.notFound("no plane with id '" + ModelStore.clip(spec) + "' (planes come from POST /api/planes, or use random:SEED)");
        if (p.inputDim() != dim)
            throw ApiException.badRequest("plane " + p.id() + " lies in " + p.inputDim() + " dimensions, the model has " + dim + " inputs");
        return p;
    }

    static Rectangle domain(String text, PlaneChoice plane) {
        if (text == null || text.isBlank()) return plane.slice().defaultDomain();
        double[] v = numbers(text, 4, "domain (xmin,xmax,ymin,ymax)");
        try {
            return new Rectangle(v[0], v[1], v[2], v[3]);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    static double[] numbers(String text, int count, String what) {
        String[] parts = text.split(",");
        if (parts.length != count) throw ApiException.badRequest(what + " needs " + count + " comma-separated numbers, got " + parts.length);
        double[] v = new double[count];
        for (int k = 0; k < count; k++) {
            try {
                v[k] = Double.parseDouble(parts[k].trim());
            } catch (NumberFormatException e) {
                throw ApiException.badRequest(what + ": '" + ModelStore.clip(parts[k].trim()) + "' is not a number");
            }
            if (!Double.isFinite(v[k])) throw ApiException.badRequest(what + ": value " + (k + 1) + " is not finite");
        }
        return v;
    }

    private static String required(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) throw ApiException.badRequest("parameter '" + name + "' is missing");
        return v;
    }

    // ---- computation with a time limit

    private <T> T compute(Callable<T> task) throws Exception {
        Future<T> f = pool.submit(task);
        try {
            return f.get((long) (limits.computeSeconds() * 1e3), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new ApiException(503, String.format(Locale.ROOT,
                    "the computation took longer than the limit of %.3g s and was cut off; zoom in, or raise the limit (atlas serve --time-limit)",
                    limits.computeSeconds()));
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new ApiException(503, "the request was interrupted");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof CancellationException) throw new ApiException(503, "the computation was cut off");
            if (c instanceof Exception ex) throw ex;
            throw e;
        }
    }

    // ---- answers

    private static boolean isBadInput(Throwable e) {
        return e instanceof ModelException || e instanceof IllegalArgumentException || e instanceof UncheckedIOException;
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) m = e.getClass().getSimpleName();
        return m.split("\n")[0];
    }

    private static ObjectNode error(String message) {
        ObjectNode o = RegionViews.JSON.createObjectNode();
        o.put("error", message);
        return o;
    }

    private static void json(Context ctx, int status, ObjectNode body) {
        ctx.status(status);
        ctx.contentType("application/json");
        try {
            ctx.result(RegionViews.JSON.writeValueAsBytes(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static void jsonBytes(Context ctx, int status, byte[] body) {
        ctx.status(status);
        ctx.contentType("application/json");
        ctx.result(body);
    }

    private static byte[] resource(String name) {
        try (InputStream in = ExplorerServer.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("the page's file " + name + " is missing from the jar");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
