package atlas.geometry;

/**
 * The largest ball inside a polyhedron: its centre and radius (the inradius). The radius is negative when the
 * polyhedron is empty (it is then the largest "negative slack" the LP could reach), 0 (to tolerance) when it is
 * lower-dimensional, and {@code +infinity} (with a null centre) when it holds arbitrarily large balls.
 *
 * @param centre the centre; copied; null when unbounded
 * @param radius the inradius
 */
public record ChebyshevBall(double[] centre, double radius) {
    public ChebyshevBall {
        if (Double.isNaN(radius)) throw new IllegalArgumentException("radius is NaN");
        if (centre == null && radius != Double.POSITIVE_INFINITY) throw new IllegalArgumentException("a finite ball needs a centre");
        centre = centre == null ? null : centre.clone();
    }

    @Override public double[] centre() { return centre == null ? null : centre.clone(); }

    public boolean isUnbounded() { return centre == null; }
}
