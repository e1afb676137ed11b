package atlas.measure;

import atlas.error.BadInputException;

import atlas.geometry.HPolytope;
import atlas.geometry.Rectangle;
import atlas.geometry.Tolerance;
import atlas.io.AtomicFiles;
import atlas.net.Network;
import atlas.regions.AffineMap;
import atlas.regions.Facet;
import atlas.regions.PlanePartition;
import atlas.regions.PointRegion;
import atlas.regions.RegionPolytope;
import atlas.regions.RegionSet;
import atlas.regions.SegmentPartition;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.TokenBuffer;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The one JSON writer of regions, for every engine. n-D regions (see docs/enumeration.md for the field list): the
 * summary that {@code atlas enumerate --json} and {@code atlas stats --json} print, the statistics, one point's
 * region ({@code atlas point --json}), and the full region list ({@code --regions-out}, format
 * {@value #REGIONS_FORMAT}). Plane partitions and segments (README, "Output formats"): the summary that
 * {@code atlas regions --json} / {@code atlas line --json} print and the full lists (formats
 * {@value #PLANE_REGIONS_FORMAT}, {@value #INTERVALS_FORMAT}). Non-finite numbers are written as null.
 */
public final class RegionJson {
    public static final String REGIONS_FORMAT = "relu-atlas-regions-nd/1";
    /** The format of a plane partition's regions ({@link #writeRegions(PlanePartition, Network, Tolerance, Path)}). */
    public static final String PLANE_REGIONS_FORMAT = "relu-atlas-regions/1";
    /** The format of a segment partition's intervals. */
    public static final String INTERVALS_FORMAT = "relu-atlas-intervals/1";
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private RegionJson() {}

    /** count, complete, pieces, stop, ..., bounds. */
    public static ObjectNode summary(RegionSet set, LinearPieces.Result pieces, Network net, double hrT) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("count", set.count());
        o.put("complete", set.complete());
        o.put("pieces", pieces.pieces());
        o.put("stop", set.stop().name().toLowerCase());
        o.put("pending", set.pending());
        o.put("unresolved_facets", set.unresolvedFacets());
        o.put("thin_facets", set.thinFacets());
        o.put("network", net.shape());
        o.put("input_dim", net.inputDim());
        o.put("cutting_units", net.cuttingUnits());
        o.set("domain", domain(set.domain()));
        num(o, "volume_sum", set.volumeSum());
        num(o, "domain_volume", set.domainVolume());
        o.put("seconds", set.seconds());
        o.put("regions_per_second", set.count() / Math.max(set.seconds(), 1e-9));
        o.put("lps", set.lps());
        o.put("threads", set.threads());
        o.put("solver", set.solver());
        o.set("bounds", bounds(net, set.domain(), hrT));
        return o;
    }

    /** serra or arrangement bound, montufar, hanin_rolnick_scale (with its T). */
    public static ObjectNode bounds(Network net, HPolytope domain, double hrT) {
        ObjectNode b = MAPPER.createObjectNode();
        if (RegionBounds.plainRelu(net)) {
            b.put("serra", RegionBounds.serra(net));
            b.put("montufar", RegionBounds.montufar(net));
        }
        b.put("arrangement", RegionBounds.arrangement(net));
        double vol = domainVolume(domain);
        if (!Double.isNaN(vol)) {
            num(b, "hanin_rolnick_scale", RegionBounds.haninRolnick(net, vol, hrT));
            b.put("hanin_rolnick_t", hrT);
        }
        return b;
    }

    /** The domain's volume when it is a box, else NaN. */
    public static double domainVolume(HPolytope domain) {
        return domain.isBox() ? domain.boxVolume() : Double.NaN;
    }

    /** The statistics object. */
    public static ObjectNode statistics(RegionStatistics s) {
        ObjectNode o = MAPPER.createObjectNode();
        o.set("facets_histogram", histogram(s.facets()));
        o.set("interior_facets_histogram", histogram(s.interiorFacets()));
        num(o, "mean_facets", s.meanFacets());
        if (!s.vertices().isEmpty()) o.set("vertices_histogram", histogram(s.vertices()));
        if (s.volume() != null) o.set("volume", summary(s.volume()));
        o.set("inradius", summary(s.inradius()));
        o.put("units", s.units());
        ArrayNode dead = o.putArray("dead_units");
        for (int u : s.deadUnits()) dead.add(u);
        ArrayNode on = o.putArray("always_on_units");
        for (int u : s.alwaysOnUnits()) on.add(u);
        return o;
    }

    /**
     * The statistics of a certified partition ({@code stats --exact}), with the lists {@code certified} and
     * {@code float} naming which of its fields are exact and which are floating-point measures.
     */
    public static ObjectNode exactStatistics(ExactStatistics s) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("count", s.count());
        o.put("complete", s.complete());
        o.put("pieces", s.pieces());
        o.set("facets", histogram(s.facets()));
        o.set("interior_facets", histogram(s.interiorFacets()));
        if (!s.vertices().isEmpty()) o.set("vertices", histogram(s.vertices()));
        if (s.verticesUncounted() > 0) o.put("vertices_uncounted", s.verticesUncounted());
        ArrayNode dead = o.putArray("dead_units");
        for (int u : s.deadUnits()) dead.add(u);
        ArrayNode on = o.putArray("always_on_units");
        for (int u : s.alwaysOnUnits()) on.add(u);
        if (s.volume() != null) {
            o.set("volume", summary(s.volume()));
            num(o, "volume_sum", s.volume().sum());
        }
        o.set("inradius", summary(s.inradius()));
        num(o, "domain_volume", s.domainVolume());
        ArrayNode c = o.putArray("certified");
        for (String f : ExactStatistics.CERTIFIED) if (o.has(f)) c.add(f);
        ArrayNode fl = o.putArray("float");
        for (String f : ExactStatistics.FLOAT) if (o.has(f)) fl.add(f);
        return o;
    }

    private static ObjectNode histogram(Map<Integer, Integer> h) {
        ObjectNode o = MAPPER.createObjectNode();
        for (var e : h.entrySet()) o.put(Integer.toString(e.getKey()), e.getValue());
        return o;
    }

    private static ObjectNode summary(RegionStatistics.Summary s) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("n", s.n());
        num(o, "min", s.min());
        num(o, "q1", s.q1());
        num(o, "median", s.median());
        num(o, "q3", s.q3());
        num(o, "max", s.max());
        num(o, "mean", s.mean());
        num(o, "sum", s.sum());
        return o;
    }

    /** One point's region: pattern, inequalities, facets with neighbours, centre, inradius, map, distances. */
    public static ObjectNode point(PointRegion p, Network net) {
        ObjectNode o = MAPPER.createObjectNode();
        o.set("x", array(p.x()));
        o.put("pattern", p.pattern().toBitString());
        ArrayNode zu = o.putArray("zero_units");
        for (int u : p.zeroUnits()) zu.add(u);
        num(o, "boundary_distance", p.boundaryDistance());
        num(o, "unit_distance", p.unitDistance());
        o.put("nearest_unit", p.nearestUnit());
        num(o, "hanin_rolnick_estimate", p.haninRolnick());
        o.put("hanin_rolnick_unit", p.haninRolnickUnit());
        if (p.domain() != null) o.set("domain", domain(p.domain()));
        RegionPolytope r = p.region();
        o.put("full_dimensional", r != null);
        if (r == null) return o;
        ArrayNode ineq = o.putArray("inequalities");
        int[] ru = r.rowUnit();
        for (int i = 0; i < r.inequalities().rows(); i++) {
            ObjectNode row = ineq.addObject();
            if (ru[i] >= 0) row.put("unit", ru[i]); else row.put("domain_row", -1 - ru[i]);
            row.set("a", rowOf(r.inequalities(), i));
            row.put("b", r.inequalities().b()[i]);
        }
        region(o, r, true);
        return o;
    }

    private static void region(ObjectNode o, RegionPolytope r, boolean full) {
        // one writer of a region's fields (regionFields), replayed into the tree: the same fields, order and number types
        TokenBuffer b = new TokenBuffer(MAPPER, false);
        try {
            b.writeStartObject();
            regionFields(b, r, full, !o.has("pattern"));
            b.writeEndObject();
            o.setAll((ObjectNode) MAPPER.readTree(b.asParser()));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // a token buffer does no I/O
        }
    }

    /**
     * A region's fields (pattern when asked, centre, inradius, vertices and volume, map, facets; with {@code full}
     * each facet's point and neighbour pattern), written straight to {@code g}: a region file streams through it
     * without building a tree per region.
     */
    private static void regionFields(JsonGenerator g, RegionPolytope r, boolean full, boolean pattern) throws IOException {
        if (pattern) g.writeStringField("pattern", r.pattern().toBitString());
        double[] centre = r.centre();
        if (centre != null) {
            g.writeFieldName("centre");
            array(g, centre, 0, centre.length);
        }
        num(g, "inradius", r.inradius());
        double[] v = r.vertices();
        if (v != null) {
            g.writeArrayFieldStart("vertices");
            int d = r.dim();
            for (int k = 0; k < v.length / d; k++) array(g, v, k * d, d);
            g.writeEndArray();
            num(g, "volume", r.volume());
        }
        AffineMap m = r.output();
        g.writeObjectFieldStart("map");
        g.writeArrayFieldStart("matrix");
        for (int row = 0; row < m.outputs(); row++) {
            g.writeStartArray();
            for (int c = 0; c < m.inputs(); c++) g.writeNumber(m.coefficient(row, c));
            g.writeEndArray();
        }
        g.writeEndArray();
        g.writeFieldName("offset");
        double[] off = m.offset();
        array(g, off, 0, off.length);
        g.writeEndObject();
        g.writeArrayFieldStart("facets");
        for (Facet f : r.facets()) {
            g.writeStartObject();
            g.writeFieldName("normal");
            double[] n = f.normal();
            array(g, n, 0, n.length);
            g.writeNumberField("offset", f.offset());
            g.writeArrayFieldStart("units");
            for (int u : f.units()) g.writeNumber(u);
            g.writeEndArray();
            g.writeBooleanField("boundary", f.domainBoundary());
            if (f.neighbourId() >= 0) g.writeNumberField("neighbour", f.neighbourId());
            if (f.thin()) g.writeBooleanField("thin", true);
            if (full) {
                g.writeFieldName("point");
                double[] pt = f.point();
                array(g, pt, 0, pt.length);
                if (f.neighbour() != null) {
                    g.writeStringField("neighbour_pattern", f.neighbour().toBitString());
                    g.writeNumberField("flipped_units", f.neighbour().hamming(r.pattern()));
                }
            }
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /** v[from .. from + n) as a JSON array, non-finite values as null (as {@link #array(double[])}). */
    private static void array(JsonGenerator g, double[] v, int from, int n) throws IOException {
        g.writeStartArray();
        for (int k = from; k < from + n; k++) {
            if (Double.isFinite(v[k])) g.writeNumber(v[k]); else g.writeNull();
        }
        g.writeEndArray();
    }

    /** A number field, null when not finite (as {@link #num(ObjectNode, String, double)}). */
    private static void num(JsonGenerator g, String key, double v) throws IOException {
        if (Double.isFinite(v)) g.writeNumberField(key, v); else g.writeNullField(key);
    }

    /** Writes every region ({@value #REGIONS_FORMAT}) atomically, streaming. */
    public static void writeRegions(Path file, RegionSet set, LinearPieces.Result pieces, Network net) {
        AtomicFiles.write(file, out -> {
            JsonGenerator g = new JsonFactory(MAPPER).createGenerator(out);
            g.writeStartObject();
            g.writeStringField("format", REGIONS_FORMAT);
            g.writeStringField("network", net.shape());
            g.writeNumberField("input_dim", net.inputDim());
            g.writeNumberField("count", set.count());
            g.writeBooleanField("complete", set.complete());
            g.writeNumberField("pieces", pieces.pieces());
            g.writeFieldName("domain");
            g.writeTree(domain(set.domain()));
            g.writeArrayFieldStart("regions");
            int[] pieceOf = pieces.pieceOf();
            for (RegionPolytope r : set.regions()) { // a RegionStore makes each record here, one at a time
                g.writeStartObject();
                g.writeNumberField("id", r.id());
                g.writeNumberField("piece", pieceOf[r.id()]);
                regionFields(g, r, false, true);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.flush();
        });
    }

    static ObjectNode domain(HPolytope d) {
        ObjectNode o = MAPPER.createObjectNode();
        if (d.isBox()) {
            ArrayNode box = o.putArray("box");
            double[] lo = d.boxLo(), hi = d.boxHi();
            for (int k = 0; k < lo.length; k++) box.addArray().add(lo[k]).add(hi[k]);
        } else {
            ArrayNode a = o.putArray("A");
            for (int i = 0; i < d.rows(); i++) a.add(rowOf(d, i));
            o.set("b", array(d.b()));
        }
        return o;
    }

    private static ArrayNode rowOf(HPolytope p, int i) {
        ArrayNode a = MAPPER.createArrayNode();
        for (int k = 0; k < p.dim(); k++) a.add(p.a(i, k));
        return a;
    }

    static ObjectNode map(AffineMap m) {
        ObjectNode o = MAPPER.createObjectNode();
        ArrayNode rows = o.putArray("matrix");
        for (int r = 0; r < m.outputs(); r++) {
            ArrayNode row = rows.addArray();
            for (int c = 0; c < m.inputs(); c++) row.add(m.coefficient(r, c));
        }
        o.set("offset", array(m.offset()));
        return o;
    }

    static ArrayNode array(double[] v) {
        ArrayNode a = MAPPER.createArrayNode();
        for (double x : v) {
            if (Double.isFinite(x)) a.add(x); else a.addNull();
        }
        return a;
    }

    private static void num(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) o.put(key, v); else o.putNull(key);
    }

    /** Reads a polytope domain from JSON {@code {"A": [[...], ...], "b": [...]}}. */
    public static HPolytope readPolytope(Path file, int dim) {
        com.fasterxml.jackson.databind.JsonNode root;
        try {
            // NaN/Infinity literals are read so that they can be reported by name below
            try (java.io.InputStream in = new java.io.FileInputStream(file.toFile())) {
                root = MAPPER.reader().with(com.fasterxml.jackson.core.json.JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                        .with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(in);
            }
        } catch (IOException e) {
            throw new BadInputException("cannot read polytope " + file + ": " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j
                    ? "not valid JSON: " + atlas.net.ModelFormat.jsonProblem(j) : e.getMessage().split("\n")[0]));
        }
        if (root == null || !root.isObject()) throw new BadInputException("polytope " + file + " is not a JSON object {\"A\": [[...]], \"b\": [...]}");
        var a = root.get("A");
        var b = root.get("b");
        if (a == null || !a.isArray() || b == null || !b.isArray())
            throw new BadInputException("polytope " + file + ": needs arrays \"A\" (rows) and \"b\"");
        int m = a.size();
        if (b.size() != m) throw new BadInputException("polytope " + file + ": A has " + m + " rows but b has " + b.size() + " entries");
        double[] av = new double[m * dim], bv = new double[m];
        for (int i = 0; i < m; i++) {
            var row = a.get(i);
            if (!row.isArray() || row.size() != dim)
                throw new BadInputException("polytope " + file + ": row " + i + " of A must have " + dim + " numbers");
            for (int k = 0; k < dim; k++) {
                if (!row.get(k).isNumber()) throw new BadInputException("polytope " + file + ": A[" + i + "][" + k + "] is not a number");
                av[i * dim + k] = row.get(k).asDouble();
                if (!Double.isFinite(av[i * dim + k])) throw new BadInputException("polytope " + file + ": A[" + i + "][" + k + "] is not finite");
            }
            if (!b.get(i).isNumber()) throw new BadInputException("polytope " + file + ": b[" + i + "] is not a number");
            bv[i] = b.get(i).asDouble();
            if (!Double.isFinite(bv[i])) throw new BadInputException("polytope " + file + ": b[" + i + "] is not finite");
        }
        return new HPolytope(dim, m, av, bv);
    }

    /** The bound to print beside a count: "serra" for plain ReLU nets, else "arrangement". */
    public static String boundName(Network net) { return RegionBounds.plainRelu(net) ? "Serra et al. 2018" : "arrangement"; }

    /** {@link RegionBounds#best}. */
    public static BigInteger bestBound(Network net) { return RegionBounds.best(net); }

    // ---- plane partitions and segments (2-D and 1-D engines)

    /** count, domain, regions_per_layer, total_area, seconds, ... */
    public static ObjectNode summary(PlanePartition p, Network net, Tolerance tol) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("count", p.count());
        o.set("domain", domain(p.domain()));
        ObjectNode plane = o.putObject("plane");
        plane.put("description", p.slice().description());
        if (p.slice().inputDim() <= 16) {
            plane.set("origin", array(p.slice().origin()));
            plane.set("u1", array(p.slice().u1()));
            plane.set("u2", array(p.slice().u2()));
        }
        o.put("network", net.shape());
        o.put("input_dim", net.inputDim());
        o.put("cutting_units", net.cuttingUnits());
        ArrayNode perLayer = o.putArray("regions_per_layer");
        for (int c : p.regionsPerLayer()) perLayer.add(c);
        o.put("total_area", p.totalArea());
        o.put("domain_area", p.domain().area());
        o.put("density_per_unit_area", p.count() / p.domain().area());
        o.put("adjacent_pairs", p.adjacentPairs());
        o.put("anomalies", p.anomalies());
        o.put("declined_cuts", p.declinedCuts());
        double smallest = Double.POSITIVE_INFINITY;
        for (var r : p.regions()) smallest = Math.min(smallest, r.area());
        o.put("smallest_region_area", smallest);
        certification(o, tol, p.declinedCuts());
        o.put("seconds", p.seconds());
        o.set("tolerance", tolerance(tol));
        return o;
    }

    /** count, segment, pieces_per_layer, breakpoints, seconds. */
    public static ObjectNode summary(SegmentPartition s, Network net, Tolerance tol) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("count", s.count());
        ObjectNode seg = o.putObject("segment");
        seg.set("from", array(s.from()));
        seg.set("to", array(s.to()));
        seg.put("length", s.length());
        o.put("network", net.shape());
        ArrayNode perLayer = o.putArray("regions_per_layer");
        for (int c : s.piecesPerLayer()) perLayer.add(c);
        o.put("density_per_unit_length", s.density());
        o.set("breakpoints", array(s.breakpoints()));
        o.put("declined_cuts", s.declinedCuts());
        double shortest = Double.POSITIVE_INFINITY;
        for (var iv : s.intervals()) shortest = Math.min(shortest, iv.t1() - iv.t0());
        o.put("shortest_interval", shortest);
        certification(o, tol, s.declinedCuts());
        o.put("seconds", s.seconds());
        o.set("tolerance", tolerance(tol));
        return o;
    }

    /**
     * {@code exact}: whether every sign decision was certified ({@code --exact}); in the default mode, when cuts
     * were declined (pieces below the minimum area or length merged into a neighbour), a hint to rerun exactly.
     */
    static void certification(ObjectNode o, Tolerance tol, int declined) {
        o.put("exact", tol.isExact());
        if (!tol.isExact() && declined > 0)
            o.put("hint", declined + " cut(s) were declined (pieces below the tolerance's minimum size merged into a neighbour): rerun with --exact for the exact count");
    }

    static ObjectNode domain(Rectangle d) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("xmin", d.xmin()).put("xmax", d.xmax()).put("ymin", d.ymin()).put("ymax", d.ymax());
        return o;
    }

    /** The tolerance as JSON. */
    public static ObjectNode tolerance(Tolerance t) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("kind", t.kind().name()).put("side_eps", t.sideEps()).put("merge_eps", t.mergeEps()).put("min_volume", t.minVolume());
        return o;
    }

    /** Writes every region (streamed, atomically). */
    public static void writeRegions(PlanePartition p, Network net, Tolerance tol, Path file) {
        writeDocument(file, PLANE_REGIONS_FORMAT, summary(p, net, tol), "regions", p.regions(), (g, r) -> {
            g.writeNumberField("id", r.id());
            g.writeStringField("pattern", r.pattern().toBitString());
            g.writeNumberField("area", r.area());
            g.writeFieldName("vertices");
            g.writeStartArray();
            for (int k = 0; k < r.vertexCount(); k++) g.writeArray(new double[]{r.x(k), r.y(k)}, 0, 2);
            g.writeEndArray();
            g.writeFieldName("interior_point");
            g.writeArray(r.interiorPoint(), 0, 2);
            writeMap(g, r.map());
            int[] nb = r.neighbours();
            g.writeFieldName("neighbours");
            g.writeArray(nb, 0, nb.length);
        });
    }

    /** Writes every interval of a segment partition (atomically). */
    public static void writeIntervals(SegmentPartition s, Network net, Tolerance tol, Path file) {
        writeDocument(file, INTERVALS_FORMAT, summary(s, net, tol), "intervals", s.intervals(), (g, iv) -> {
            g.writeNumberField("t0", iv.t0());
            g.writeNumberField("t1", iv.t1());
            g.writeStringField("pattern", iv.pattern().toBitString());
            writeMap(g, iv.map());
        });
    }

    /** Writes the fields of one item of a streamed list. */
    @FunctionalInterface
    private interface ItemWriter<T> {
        void write(JsonGenerator g, T item) throws IOException;
    }

    /**
     * {@code {"format": ..., "summary": {...}, "<listName>": [{...}, ...]}}, streamed item by item (one per line)
     * and written atomically.
     */
    private static <T> void writeDocument(Path file, String format, ObjectNode summary, String listName, List<T> items,
                                          ItemWriter<T> itemWriter) {
        AtomicFiles.write(file, out -> {
            try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
                g.setCodec(MAPPER);
                g.writeStartObject();
                g.writeStringField("format", format);
                g.writeObjectField("summary", summary);
                g.writeArrayFieldStart(listName);
                for (T item : items) {
                    g.writeRaw('\n');
                    g.writeStartObject();
                    itemWriter.write(g, item);
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
                g.writeRaw('\n');
            }
        });
    }

    /** "map": {"matrix": [[...] one row per output], "offset": [...]} */
    static void writeMap(JsonGenerator g, AffineMap m) throws IOException {
        g.writeObjectFieldStart("map");
        g.writeFieldName("matrix");
        g.writeStartArray();
        double[] a = m.matrix();
        for (int o = 0; o < m.outputs(); o++) g.writeArray(a, o * m.inputs(), m.inputs());
        g.writeEndArray();
        g.writeFieldName("offset");
        double[] c = m.offset();
        g.writeArray(c, 0, c.length);
        g.writeEndObject();
    }
}
