package atlas.render;

import atlas.error.BadInputException;

import atlas.geometry.Rectangle;

/**
 * Maps a rectangle of plane coordinates onto an image of {@code width x height} pixels. With {@code yDown}
 * the plane's y grows downwards, as image rows do (the convention of image data: pixel (i, j) is
 * x = j/W, y = i/H); otherwise y grows upwards, as in a plot.
 */
public record Viewport(Rectangle domain, int width, int height, boolean yDown) {
    public Viewport {
        if (width <= 0 || height <= 0 || width > 16384 || height > 16384)
            throw new BadInputException("image size " + width + "x" + height + " must be between 1 and 16384 pixels");
    }

    /** A viewport of about {@code longSide} pixels on the longer side, keeping the domain's aspect ratio. */
    public static Viewport fit(Rectangle domain, int longSide, boolean yDown) {
        double aspect = domain.width() / domain.height();
        int w = aspect >= 1 ? longSide : Math.max(1, (int) Math.round(longSide * aspect));
        int h = aspect >= 1 ? Math.max(1, (int) Math.round(longSide / aspect)) : longSide;
        return new Viewport(domain, w, h, yDown);
    }

    /** Image x (continuous, 0 at the left edge) of plane x. */
    public double px(double x) { return (x - domain.xmin()) / domain.width() * width; }

    /** Image y (continuous, 0 at the top edge) of plane y. */
    public double py(double y) {
        double f = (y - domain.ymin()) / domain.height();
        return (yDown ? f : 1 - f) * height;
    }

    /** Plane x of image x (continuous). */
    public double x(double px) { return domain.xmin() + px / width * domain.width(); }

    /** Plane y of image y (continuous). */
    public double y(double py) {
        double f = py / height;
        return domain.ymin() + (yDown ? f : 1 - f) * domain.height();
    }
}
