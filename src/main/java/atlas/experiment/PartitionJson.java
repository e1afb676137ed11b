package atlas.experiment;

import atlas.geometry.Rectangle;
import atlas.geometry.Tolerance;
import atlas.io.AtomicFiles;
import atlas.net.Network;
import atlas.regions.AffineMap;
import atlas.regions.PlanePartition;
import atlas.regions.SegmentPartition;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * JSON views of partitions: a summary object (what {@code --json} prints) and the full list of regions
 * ({@code --regions-out}, format {@code relu-atlas-regions/1}). See README, "Output formats".
 */
public final class PartitionJson {
    public static final String REGIONS_FORMAT = "relu-atlas-regions/1";
    public static final String INTERVALS_FORMAT = "relu-atlas-intervals/1";
    static final ObjectMapper MAPPER = new ObjectMapper();

    private PartitionJson() {}

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

    static ObjectNode tolerance(Tolerance t) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("kind", t.kind().name()).put("side_eps", t.sideEps()).put("merge_eps", t.mergeEps()).put("min_volume", t.minVolume());
        return o;
    }

    static ArrayNode array(double[] v) {
        ArrayNode a = MAPPER.createArrayNode();
        for (double d : v) a.add(d);
        return a;
    }

    /** Writes every region (streamed, atomically). */
    public static void writeRegions(PlanePartition p, Network net, Tolerance tol, Path file) {
        writeDocument(file, REGIONS_FORMAT, summary(p, net, tol), "regions", p.regions(), (g, r) -> {
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
