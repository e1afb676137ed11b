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
        return new Rectangle(v[0], v[1], v[2], v[3]);
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
