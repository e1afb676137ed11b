package atlas.regions;

import atlas.TestTolerances;
import atlas.geometry.Rectangle;
import atlas.geometry.Tolerance;
import atlas.net.ModelFormat;
import atlas.net.Network;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The hand-computed cases in {@code src/test/resources/groundtruth/*.json}: each holds a model in the
 * relu-atlas-model/1 format, a domain (or a segment) and the expected regions (pattern and area) or pieces
 * (breakpoints and slopes), worked out by hand as written in its description.
 */
class GroundTruthFixturesTest {

    record Fixture(String name, JsonNode root) {
        @Override public String toString() { return name; }
        Network model() { return ModelFormat.parse(root.get("model").toString()); }
        String description() { return root.get("description").asText(); }
    }

    static Stream<Fixture> fixtures() throws IOException, URISyntaxException {
        Path dir = Path.of(GroundTruthFixturesTest.class.getResource("/groundtruth").toURI());
        ObjectMapper mapper = new ObjectMapper();
        List<Fixture> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                try {
                    out.add(new Fixture(f.getFileName().toString(), mapper.readTree(f.toFile())));
                } catch (IOException e) {
                    throw new UncheckedIOException(f.toString(), e);
                }
            }
        }
        assertThat(out).as("fixtures").hasSizeGreaterThanOrEqualTo(12);
        return out.stream();
    }

    static Stream<Fixture> planeFixtures() throws IOException, URISyntaxException {
        return fixtures().filter(f -> f.root().has("domain"));
    }

    static Stream<Fixture> segmentFixtures() throws IOException, URISyntaxException {
        return fixtures().filter(f -> f.root().has("segment"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("planeFixtures")
    void planeRegionsMatchTheHandComputedOnes(Fixture fx) {
        Network net = fx.model();
        JsonNode d = fx.root().get("domain");
        Rectangle domain = new Rectangle(d.get(0).asDouble(), d.get(1).asDouble(), d.get(2).asDouble(), d.get(3).asDouble());
        PlanePartitioner pp = new PlanePartitioner(net, PlaneSlice.inputPlane(), domain, Tolerance.DEFAULT);
        PlanePartition p = pp.getResult();
        JsonNode exp = fx.root().get("expected");

        assertThat(p.count()).as(fx.description()).isEqualTo(exp.get("count").asInt());
        Map<ActivationPattern, Double> expected = new HashMap<>();
        for (JsonNode r : exp.get("regions")) expected.put(ActivationPattern.parse(r.get("pattern").asText()), r.get("area").asDouble());
        assertThat(expected).as("fixture lists each region once").hasSize(p.count());
        for (LinearRegion r : p.regions()) {
            assertThat(expected).as("pattern %s of region %d", r.pattern(), r.id()).containsKey(r.pattern());
            assertThat(r.area()).as("area of the region with pattern %s", r.pattern())
                    .isCloseTo(expected.get(r.pattern()), within(TestTolerances.AREA * domain.area()));
        }
        RegionChecks.assertAll(net, pp);
        RegionChecks.assertPatternsAtInteriorPoints(net, p);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("segmentFixtures")
    void segmentPiecesMatchTheHandComputedOnes(Fixture fx) {
        Network net = fx.model();
        JsonNode seg = fx.root().get("segment");
        double[] from = vector(seg.get("from")), to = vector(seg.get("to"));
        SegmentPartition sp = SegmentPartitioner.compute(net, from, to);
        JsonNode exp = fx.root().get("expected");
        assertThat(sp.count()).as(fx.description()).isEqualTo(exp.get("count").asInt());
        double[] bp = vector(exp.get("breakpoints"));
        assertThat(sp.breakpoints()).containsExactly(bp, within(TestTolerances.POSITION));
        double[] slopes = vector(exp.get("slopes"));
        for (int k = 0; k < slopes.length; k++)
            assertThat(sp.intervals().get(k).map().coefficient(0, 0)).as("slope of piece %d", k)
                    .isCloseTo(slopes[k], within(TestTolerances.MAP * (1 + Math.abs(slopes[k]))));
        RegionChecks.assertTilesUnitInterval(sp);
        RegionChecks.assertPerLayerCounts(net, sp);
        assertThat(RegionChecks.maxMapError(net, sp)).isLessThanOrEqualTo(TestTolerances.MAP);
    }

    private static double[] vector(JsonNode a) {
        double[] v = new double[a.size()];
        for (int k = 0; k < v.length; k++) v[k] = a.get(k).asDouble();
        return v;
    }
}
