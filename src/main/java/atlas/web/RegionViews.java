package atlas.web;

import atlas.geometry.HPolytope;
import atlas.geometry.Rectangle;
import atlas.geometry.Tolerance;
import atlas.measure.BoundaryDistance;
import atlas.measure.FoldingResult;
import atlas.measure.SpaceFolding;
import atlas.net.Network;
import atlas.regions.ActivationPattern;
import atlas.regions.AffineMap;
import atlas.regions.Facet;
import atlas.regions.LinearRegion;
import atlas.regions.PlanePartition;
import atlas.regions.PlanePartitioner;
import atlas.regions.PointRegion;
import atlas.regions.RegionPolytope;
import atlas.regions.SegmentInterval;
import atlas.regions.SegmentPartition;
import atlas.regions.SegmentPartitioner;
import atlas.render.RegionColours;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The JSON answers of the API, computed from the exact partitions: a 2-D view ({@link #regions}), one point's
 * region ({@link #point}) and a segment ({@link #line}). All coordinates are plane coordinates (s, t) of the
 * view's plane; for a 2-input model on its input plane they are the inputs themselves. Stateless and
 * thread-safe: every call builds its own partitioner.
 */
final class RegionViews {
    static final ObjectMapper JSON = new ObjectMapper();

    private RegionViews() {}

    /**
     * Every region of the view: polygon, pattern hash and colour, output value and shade, area, neighbours.
     * Written with a streaming generator (a view of the demo net has some 10,000 regions).
     */
    public static byte[] regions(ModelStore.Entry model, PlaneChoice plane, Rectangle domain, Tolerance tol) {
        Network net = model.network();
        PlanePartition p = new PlanePartitioner(net, plane.slice(), domain, tol).getResult();
        if (Thread.currentThread().isInterrupted()) throw new java.util.concurrent.CancellationException("interrupted");
        int[][] layers = cuttingLayers(net);
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        double[] value = new double[p.count()];
        for (LinearRegion r : p.regions()) {
            AffineMap m = r.map();
            for (int k = 0; k < r.vertexCount(); k++) {
                double v = m.apply(r.x(k), r.y(k))[0];
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            value[r.id()] = m.apply(r.interiorPoint())[0];
        }
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(1 << 16);
        try (JsonGenerator g = JSON.getFactory().createGenerator(bytes)) {
            g.writeStartObject();
            g.writeStringField("model", model.id());
            g.writeNumberField("count", p.count());
            g.writeNumberField("seconds", p.seconds());
            g.writeFieldName("domain");
            g.writeArray(new double[]{domain.xmin(), domain.xmax(), domain.ymin(), domain.ymax()}, 0, 4);
            g.writeStringField("plane", plane.id());
            int[] perLayer = p.regionsPerLayer();
            g.writeFieldName("regions_per_layer");
            g.writeArray(perLayer, 0, perLayer.length);
            g.writeArrayFieldStart("output_range");
            number(g, lo);
            number(g, hi);
            g.writeEndArray();
            g.writeNumberField("anomalies", p.anomalies());
            g.writeNumberField("declined_cuts", p.declinedCuts());
            g.writeArrayFieldStart("cutting_layers");
            for (int[] l : layers) {
                g.writeStartObject();
                g.writeNumberField("layer", l[0]);
                g.writeNumberField("units", l[2]);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("regions");
            for (LinearRegion r : p.regions()) {
                g.writeStartObject();
                g.writeNumberField("id", r.id());
                g.writeFieldName("polygon");
                double[] v = r.vertices();
                g.writeArray(v, 0, v.length);
                g.writeStringField("hash", hash(r.pattern()));
                g.writeStringField("colour", colour(r.pattern()));
                g.writeFieldName("value");
                number(g, value[r.id()]);
                g.writeFieldName("shade");
                number(g, hi > lo ? (value[r.id()] - lo) / (hi - lo) : 0.5);
                g.writeNumberField("area", r.area());
                int[] nb = r.neighbours();
                g.writeFieldName("neighbours");
                g.writeArray(nb, 0, nb.length);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void number(JsonGenerator g, double v) throws java.io.IOException {
        if (Double.isFinite(v)) g.writeNumber(v);
        else g.writeNull();
    }

    /**
     * The region of plane point (s, t) within the view: pattern per layer, outputs, affine map, area and vertices,
     * the exact distance to the region's boundary, and its inequalities (the facets, each with its unit and the
     * neighbour across it).
     */
    public static ObjectNode point(ModelStore.Entry model, PlaneChoice plane, Rectangle domain, double s, double t, Tolerance tol) {
        if (!domain.contains(s, t))
            throw ApiException.badRequest(String.format(Locale.ROOT, "the point (%g, %g) lies outside the view [%g,%g]x[%g,%g]",
                    s, t, domain.xmin(), domain.xmax(), domain.ymin(), domain.ymax()));
        Network net = model.network();
        Network restricted = plane.slice().restrict(net);
        HPolytope box = HPolytope.box(new double[]{domain.xmin(), domain.ymin()}, new double[]{domain.xmax(), domain.ymax()});
        PointRegion pr = PointRegion.of(restricted, new double[]{s, t}, box, atlas.geometry.LpSolver.defaultSolver(), tol);
        double[] x = plane.slice().toInput(s, t);
        int[][] layers = cuttingLayers(net);
        ObjectNode out = JSON.createObjectNode();
        out.put("model", model.id());
        out.put("plane", plane.id());
        ArrayNode xy = out.putArray("x");
        xy.add(s);
        xy.add(t);
        if (x.length <= 64) {
            ArrayNode in = out.putArray("input");
            for (double v : x) in.add(v);
        }
        ActivationPattern pattern = pr.pattern();
        out.put("pattern", pattern.toBitString());
        out.put("hash", hash(pattern));
        out.put("colour", colour(pattern));
        ArrayNode ls = out.putArray("layers");
        for (int[] l : layers) {
            ObjectNode o = ls.addObject();
            o.put("layer", l[0]);
            o.put("units", l[2]);
            o.put("active", countOn(pattern, l[1], l[2]));
            o.put("bits", pattern.toBitString().substring(l[1], l[1] + l[2]));
        }
        ArrayNode outputs = out.putArray("outputs");
        for (double v : net.forward(x)) num(outputs, v);
        ArrayNode zeros = out.putArray("on_boundary_of");
        for (int k : pr.zeroUnits()) zeros.add(unit(layers, k));
        num(out, "boundary_distance", pr.boundaryDistance());
        num(out, "unit_distance", pr.unitDistance());
        if (pr.nearestUnit() >= 0) out.set("nearest_unit", unit(layers, pr.nearestUnit()));
        num(out, "input_space_distance", BoundaryDistance.of(net, x));
        RegionPolytope region = pr.region();
        if (region == null) {
            out.putNull("region");
            return out;
        }
        ObjectNode reg = out.putObject("region");
        num(reg, "area", region.volume());
        double[] verts = region.vertices();
        ArrayNode vs = reg.putArray("polygon");
        if (verts != null) for (double v : verts) vs.add(v);
        num(reg, "inradius", region.inradius());
        AffineMap map = region.output();
        ObjectNode m = reg.putObject("map");
        ArrayNode a = m.putArray("matrix");
        for (int o = 0; o < map.outputs(); o++) {
            ArrayNode row = a.addArray();
            for (int k = 0; k < map.inputs(); k++) row.add(map.coefficient(o, k));
        }
        ArrayNode c = m.putArray("offset");
        for (int o = 0; o < map.outputs(); o++) c.add(map.offset(o));
        reg.put("rows", region.inequalities().rows());
        ArrayNode facets = reg.putArray("inequalities");
        for (Facet f : region.facets()) {
            ObjectNode o = facets.addObject();
            ArrayNode n = o.putArray("normal");
            for (double v : f.normal()) n.add(v);
            o.put("offset", f.offset());
            ArrayNode us = o.putArray("units");
            for (int k : f.units()) us.add(unit(layers, k));
            o.put("domain_boundary", f.domainBoundary());
            if (f.neighbour() != null) o.put("neighbour_hash", hash(f.neighbour()));
            else o.putNull("neighbour_hash");
        }
        return out;
    }

    /**
     * The 1-D view along the segment from -> to (plane coordinates): every linear piece with its pattern and the
     * outputs at its ends, the breakpoints, and the space folding (r1, r2, chi, running chi) of the pieces'
     * pattern sequence.
     */
    public static ObjectNode line(ModelStore.Entry model, PlaneChoice plane, double[] from, double[] to, Tolerance tol) {
        Network restricted = plane.slice().restrict(model.network());
        SegmentPartition sp = new SegmentPartitioner(restricted, from, to, tol).getResult();
        List<ActivationPattern> patterns = new ArrayList<>();
        ObjectNode out = JSON.createObjectNode();
        out.put("model", model.id());
        out.put("plane", plane.id());
        ArrayNode f = out.putArray("from");
        for (double v : from) f.add(v);
        ArrayNode tt = out.putArray("to");
        for (double v : to) tt.add(v);
        out.put("length", sp.length());
        out.put("count", sp.count());
        out.put("seconds", sp.seconds());
        ArrayNode bps = out.putArray("breakpoints");
        for (double b : sp.breakpoints()) bps.add(b);
        ArrayNode pieces = out.putArray("intervals");
        for (SegmentInterval iv : sp.intervals()) {
            patterns.add(iv.pattern());
            ObjectNode o = pieces.addObject();
            o.put("t0", iv.t0());
            o.put("t1", iv.t1());
            ArrayNode y0 = o.putArray("y0"), y1 = o.putArray("y1");
            for (double v : iv.map().apply(iv.t0())) num(y0, v);
            for (double v : iv.map().apply(iv.t1())) num(y1, v);
            o.put("hash", hash(iv.pattern()));
            o.put("colour", colour(iv.pattern()));
        }
        FoldingResult fr = SpaceFolding.ofPatterns(patterns);
        ObjectNode fold = out.putObject("folding");
        fold.put("r1", fr.r1());
        fold.put("r2", fr.r2());
        fold.put("chi", fr.chi());
        fold.put("max_running_chi", fr.maxRunningChi());
        ArrayNode rc = fold.putArray("running_chi");
        for (double v : fr.runningChi()) rc.add(v);
        return out;
    }

    /** For every cutting layer: {layer index, first pattern bit, units}. */
    static int[][] cuttingLayers(Network net) {
        List<int[]> out = new ArrayList<>();
        for (int i = 1; i <= net.depth(); i++)
            if (net.layer(i).activation().cuts()) out.add(new int[]{i, net.patternOffset(i), net.layer(i).units()});
        return out.toArray(new int[0][]);
    }

    static void putLayers(ObjectNode out, int[][] layers) {
        ArrayNode a = out.putArray("cutting_layers");
        for (int[] l : layers) {
            ObjectNode o = a.addObject();
            o.put("layer", l[0]);
            o.put("units", l[2]);
        }
    }

    private static ObjectNode unit(int[][] layers, int k) {
        ObjectNode o = JSON.createObjectNode();
        o.put("bit", k);
        for (int[] l : layers) {
            if (k >= l[1] && k < l[1] + l[2]) {
                o.put("layer", l[0]);
                o.put("unit", k - l[1]);
            }
        }
        return o;
    }

    private static int countOn(ActivationPattern p, int from, int count) {
        int n = 0;
        for (int k = from; k < from + count; k++) if (p.get(k)) n++;
        return n;
    }

    /** The pattern's stable hash as 16 hex digits (the key of its colour). */
    public static String hash(ActivationPattern p) {
        return String.format(Locale.ROOT, "%016x", p.stableHash());
    }

    /** The pattern's colour, the same as in the PNG pictures ({@link RegionColours#patternRgb}). */
    public static String colour(ActivationPattern p) {
        return String.format(Locale.ROOT, "#%06x", RegionColours.patternRgb(p));
    }

    static void putDomain(ObjectNode out, Rectangle d) {
        ArrayNode a = out.putArray("domain");
        a.add(d.xmin());
        a.add(d.xmax());
        a.add(d.ymin());
        a.add(d.ymax());
    }

    /** JSON has no NaN or infinity: those become null. */
    static void num(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) o.put(key, v);
        else o.putNull(key);
    }

    static void num(ArrayNode a, double v) {
        if (Double.isFinite(v)) a.add(v);
        else a.addNull();
    }
}
