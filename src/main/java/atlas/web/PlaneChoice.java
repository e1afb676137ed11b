package atlas.web;

import atlas.error.BadInputException;

import atlas.regions.PlaneSlice;

import java.util.Random;

/**
 * The plane a view of a model lies in: the input plane of a 2-input model, or a plane through three input-space
 * points (Hanin and Rolnick's construction, {@link PlaneSlice#throughPoints}), given by the user or drawn from a
 * seed exactly as {@code --plane random:SEED} draws them.
 *
 * @param id          the store's id ({@code p1}, ...), or a self-describing spec such as {@code random:7}
 * @param slice       the plane
 * @param points      the three points it goes through (input space), or null for the input plane
 * @param description a line for the page
 */
record PlaneChoice(String id, PlaneSlice slice, double[][] points, String description) {

    /** The input plane of a 2-input model. */
    public static PlaneChoice inputPlane() {
        return new PlaneChoice("input", PlaneSlice.inputPlane(), null, "input plane");
    }

    /** The plane through three seeded random points of [0,1]^dim (the same points as {@code --plane random:SEED}). */
    public static PlaneChoice random(long seed, int dim) {
        Random r = new Random(seed);
        double[][] p = new double[3][dim];
        for (double[] v : p) for (int k = 0; k < dim; k++) v[k] = r.nextDouble();
        return new PlaneChoice("random:" + seed, PlaneSlice.throughPoints(p[0], p[1], p[2]), p,
                "plane through three random points of [0,1]^" + dim + " (seed " + seed + ")");
    }

    /** The plane through three given points; throws IllegalArgumentException when they span no plane. */
    public static PlaneChoice through(double[][] points, String description) {
        if (points.length != 3) throw new BadInputException("a plane needs exactly three points, got " + points.length);
        return new PlaneChoice(null, PlaneSlice.throughPoints(points[0], points[1], points[2]), points, description);
    }

    PlaneChoice withId(String newId) { return new PlaneChoice(newId, slice, points, description); }

    public int inputDim() { return slice.inputDim(); }
}
