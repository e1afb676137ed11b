package atlas.geometry;

import atlas.error.BadInputException;

/** An axis-aligned rectangle {@code [xmin, xmax] x [ymin, ymax]} with positive area. */
public record Rectangle(double xmin, double xmax, double ymin, double ymax) {
    public Rectangle {
        if (!(Double.isFinite(xmin) && Double.isFinite(xmax) && Double.isFinite(ymin) && Double.isFinite(ymax)))
            throw new BadInputException("domain bounds must be finite numbers");
        if (!(xmax > xmin) || !(ymax > ymin))
            throw new BadInputException("domain [" + xmin + "," + xmax + "]x[" + ymin + "," + ymax + "] has zero area (need xmin < xmax and ymin < ymax)");
    }

    /** The unit square [0,1]^2. */
    public static final Rectangle UNIT = new Rectangle(0, 1, 0, 1);

    /** {@code [-r, r]^2}. */
    public static Rectangle centred(double r) { return new Rectangle(-r, r, -r, r); }

    /** Parses {@code xmin,xmax,ymin,ymax}. */
    public static Rectangle parse(String s) {
        String[] p = s.split(",");
        if (p.length != 4) throw new BadInputException("domain '" + s + "' must be xmin,xmax,ymin,ymax");
        double[] v = new double[4];
        for (int k = 0; k < 4; k++) {
            try {
                v[k] = Double.parseDouble(p[k].trim());
            } catch (NumberFormatException e) {
                throw new BadInputException("domain '" + s + "': '" + p[k].trim() + "' is not a number");
            }
        }
        Rectangle r = new Rectangle(v[0], v[1], v[2], v[3]);
        r.checkResolvable(s);
        return r;
    }

    /** The smallest side accepted by {@link #parse}, relative to the largest |coordinate| (doubles carry ~16 digits). */
    public static final double MIN_RELATIVE_SIDE = 1e-12;
    /** The smallest area accepted by {@link #parse}: region areas a further 1e-16 below it stay normal doubles. */
    public static final double MIN_AREA = 1e-200;

    /**
     * Throws IllegalArgumentException (bad input) when the rectangle is too thin or too small for double
     * arithmetic to resolve: a side below {@link #MIN_RELATIVE_SIDE} of the largest |coordinate| on its axis, or an area
     * below {@link #MIN_AREA} (an area that underflows to zero or to subnormal numbers).
     */
    public void checkResolvable(String text) {
        double w = xmax - xmin, h = ymax - ymin;
        if (!Double.isFinite(w) || !Double.isFinite(h) || !Double.isFinite(area()))
            return; // too large: the numeric range check reports it (exit 3)
        double mx = Math.max(Math.abs(xmin), Math.abs(xmax)), my = Math.max(Math.abs(ymin), Math.abs(ymax));
        if (w < MIN_RELATIVE_SIDE * mx || h < MIN_RELATIVE_SIDE * my) {
            boolean xThin = w < MIN_RELATIVE_SIDE * mx;
            throw new BadInputException(String.format(java.util.Locale.ROOT,
                    "domain '%s' is too thin: its %s side %.3g is below %.0e of its largest %s coordinate (%.3g), which doubles cannot resolve",
                    text, xThin ? "x" : "y", xThin ? w : h, MIN_RELATIVE_SIDE, xThin ? "x" : "y", xThin ? mx : my));
        }
        if (area() < MIN_AREA)
            throw new BadInputException(String.format(java.util.Locale.ROOT,
                    "domain '%s' has area %.3g, below %.0e (its area and its regions' areas would underflow)", text, area(), MIN_AREA));
    }

    public double width() { return xmax - xmin; }

    public double height() { return ymax - ymin; }

    public double area() { return width() * height(); }

    /** The largest absolute coordinate: the scale of the numbers in this domain. */
    public double magnitude() {
        return Math.max(Math.max(Math.abs(xmin), Math.abs(xmax)), Math.max(Math.abs(ymin), Math.abs(ymax)));
    }

    public boolean contains(double x, double y) { return x >= xmin && x <= xmax && y >= ymin && y <= ymax; }
}
