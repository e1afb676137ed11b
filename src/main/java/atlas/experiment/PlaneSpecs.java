package atlas.experiment;

import atlas.measure.RegionJson;
import atlas.error.BadInputException;

import atlas.regions.PlaneSlice;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Parses the plane of a slice from a short text:
 * <ul>
 *   <li>{@code points:A;B;C} - through three points (Hanin-Rolnick circumcentre construction, domain [-1,1]^2),
 *       each point a comma-separated list;</li>
 *   <li>{@code origin:O;D1;D2} - origin plus two directions (domain [-1,1]^2 unless --domain says otherwise);</li>
 *   <li>{@code random:SEED} - through three seeded random points of [0,1]^n;</li>
 *   <li>a path to a JSON file with {@code {"points":[A,B,C]}} or {@code {"origin":O,"directions":[D1,D2]}}.</li>
 * </ul>
 */
public final class PlaneSpecs {
    private PlaneSpecs() {}

    public static PlaneSlice parse(String spec, int inputDim) {
        String s = spec.trim();
        if (s.startsWith("points:")) {
            double[][] p = vectors(s.substring(7), 3, inputDim, "points");
            return PlaneSlice.throughPoints(p[0], p[1], p[2]);
        }
        if (s.startsWith("origin:")) {
            double[][] p = vectors(s.substring(7), 3, inputDim, "origin");
            return PlaneSlice.of(p[0], p[1], p[2]);
        }
        if (s.startsWith("random:")) {
            long seed;
            try {
                seed = Long.parseLong(s.substring(7).trim());
            } catch (NumberFormatException e) {
                throw new BadInputException("--plane random:SEED needs an integer seed, got '" + s.substring(7) + "'");
            }
            return randomPlane(seed, inputDim);
        }
        Path file = Path.of(s);
        if (!Files.isRegularFile(file))
            throw new BadInputException("--plane '" + spec + "' is neither points:..., origin:..., random:SEED nor a JSON file");
        JsonNode root;
        try {
            // one object and nothing after it, as for model files
            try (var in = Files.newInputStream(file)) {
                root = RegionJson.MAPPER.reader().with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(in);
            }
        } catch (IOException e) {
            throw new BadInputException("plane file " + file + " is not valid JSON: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j
                    ? atlas.net.ModelFormat.jsonProblem(j) : e.getMessage().split("\n")[0]));
        }
        if (root == null || !root.isObject()) throw new BadInputException("plane file " + file + " is not a JSON object");
        if (root.has("points")) {
            double[][] p = vectors(root.get("points"), 3, inputDim, "points");
            return PlaneSlice.throughPoints(p[0], p[1], p[2]);
        }
        if (root.has("origin") && root.has("directions")) {
            double[][] o = vectors(RegionJson.MAPPER.createArrayNode().add(root.get("origin")), 1, inputDim, "origin");
            double[][] d = vectors(root.get("directions"), 2, inputDim, "directions");
            return PlaneSlice.of(o[0], d[0], d[1]);
        }
        throw new BadInputException("plane file " + file + " needs \"points\" (three points) or \"origin\" and \"directions\"");
    }

    /** The plane through three seeded random points of [0,1]^n. */
    public static PlaneSlice randomPlane(long seed, int inputDim) {
        Random r = new Random(seed);
        double[][] p = new double[3][inputDim];
        for (double[] v : p) for (int k = 0; k < inputDim; k++) v[k] = r.nextDouble();
        return PlaneSlice.throughPoints(p[0], p[1], p[2]);
    }

    /** Parses a comma-separated vector of exactly {@code dim} finite numbers. */
    public static double[] vector(String text, int dim, String what) {
        String[] parts = text.split(",");
        if (parts.length != dim)
            throw new BadInputException(what + " has " + parts.length + " coordinates, the network has " + dim + " inputs");
        double[] v = new double[dim];
        for (int k = 0; k < dim; k++) {
            try {
                v[k] = Double.parseDouble(parts[k].trim());
            } catch (NumberFormatException e) {
                throw new BadInputException(what + ": '" + parts[k].trim() + "' is not a number");
            }
            if (!Double.isFinite(v[k])) throw new BadInputException(what + ": coordinate " + k + " is not finite");
        }
        return v;
    }

    private static double[][] vectors(String text, int count, int dim, String what) {
        String[] parts = text.split(";");
        if (parts.length != count) throw new BadInputException("--plane " + what + ": needs " + count + " vectors separated by ';', got " + parts.length);
        double[][] out = new double[count][];
        for (int k = 0; k < count; k++) out[k] = vector(parts[k], dim, what + " vector " + (k + 1));
        return out;
    }

    private static double[][] vectors(JsonNode node, int count, int dim, String what) {
        if (!node.isArray() || node.size() != count) throw new BadInputException("plane file: \"" + what + "\" must be an array of " + count + " vectors");
        double[][] out = new double[count][dim];
        for (int k = 0; k < count; k++) {
            JsonNode v = node.get(k);
            if (!v.isArray() || v.size() != dim) throw new BadInputException("plane file: " + what + "[" + k + "] must have " + dim + " numbers");
            for (int j = 0; j < dim; j++) {
                if (!v.get(j).isNumber()) throw new BadInputException("plane file: " + what + "[" + k + "][" + j + "] is not a number");
                out[k][j] = v.get(j).asDouble();
            }
        }
        return out;
    }
}
