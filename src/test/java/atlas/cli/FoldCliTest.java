package atlas.cli;

import atlas.net.CantorNet;
import atlas.net.ModelFormat;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static atlas.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** atlas cantor, fold, tropical and the folding / predict benches, on tiny inputs. */
class FoldCliTest {
    @TempDir
    Path dir;

    @Test
    void cantorWritesTheLevelKModel() {
        Path f = dir.resolve("c4.json");
        CliRun r = run("cantor", "--level", "4", "--out", f.toString());
        assertThat(r.code()).isZero();
        assertThat(ModelFormat.read(f)).isEqualTo(CantorNet.of(4));
        CliRun relu = run("cantor", "--level", "2", "--carry", "relu");
        assertThat(ModelFormat.parse(relu.out())).isEqualTo(CantorNet.withCarriedY(2));
    }

    @Test
    void cantorChiTableAndCheck() throws Exception {
        CliRun r = run("cantor", "--level", "3", "--chi-table", "--json");
        assertThat(r.code()).isZero();
        JsonNode rows = new ObjectMapper().readTree(r.out());
        assertThat(rows).hasSize(6);
        // hidden units only: r1 = 2k, r2 = 2^{k+1} - 2
        assertThat(rows.get(1).get("chiExact").asDouble()).isCloseTo(1 - 4.0 / 6, within(1e-12));
        assertThat(rows.get(2).get("r2").asInt()).isEqualTo(14);
        CliRun c = run("cantor", "--level", "3", "--check");
        assertThat(c.code()).isZero();
        assertThat(c.out()).doesNotContain("NO");
    }

    @Test
    void badInputsExitWithTwoAndOneLine() {
        assertThat(run("cantor", "--level", "0").code()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(run("cantor", "--carry", "wire").code()).isEqualTo(ExitCodes.INVALID_INPUT);
        Path f = dir.resolve("c.json");
        run("cantor", "--level", "2", "--out", f.toString());
        CliRun bad = run("fold", f.toString(), "--from", "0,0.5", "--to", "1");
        assertThat(bad.code()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(bad.err().trim().lines().count()).isEqualTo(1);
        assertThat(run("fold", f.toString(), "--from", "0,0.5", "--to", "0,0.5").code()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(run("fold", f.toString(), "--from", "0,0.5", "--to", "1,0.5", "--samples", "1").code()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(run("fold", dir.resolve("missing.json").toString(), "--from", "0,0", "--to", "1,1").code()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(run("tropical").code()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(run("tropical", "--random", "2-x-1").code()).isEqualTo(ExitCodes.INVALID_INPUT);
    }

    @Test
    void foldJsonListsEveryPiece() throws Exception {
        Path f = dir.resolve("c2.json");
        run("cantor", "--level", "2", "--out", f.toString());
        CliRun r = run("fold", f.toString(), "--from", "0,0.75", "--to", "1,0.75", "--outputs", "--samples", "1001", "--json");
        assertThat(r.code()).isZero();
        JsonNode o = new ObjectMapper().readTree(r.out());
        assertThat(o.get("regions").asInt()).isEqualTo(11);
        assertThat(o.get("pieces")).hasSize(11);
        assertThat(o.get("chi").asDouble()).isCloseTo(0.5, within(1e-12));
        assertThat(o.get("sampled").get("chi").asDouble()).isCloseTo(0.5, within(1e-12));
        assertThat(o.get("pieces").get(10).get("t1").asDouble()).isEqualTo(1.0);
        Path png = dir.resolve("fold.png");
        assertThat(run("fold", f.toString(), "--from", "0,0.75", "--to", "1,0.75", "--png", png.toString()).code()).isZero();
        assertThat(javax.imageio.ImageIO.read(png.toFile()).getWidth()).isEqualTo(1000);
    }

    @Test
    void tropicalCountsAndPieces() throws Exception {
        CliRun r = run("tropical", "--random", "2-4-4-1", "--json");
        assertThat(r.code()).isZero();
        JsonNode o = new ObjectMapper().readTree(r.out().trim());
        assertThat(o.get("distinctTropicalMaps").asInt()).isEqualTo(o.get("distinctRegionMaps").asInt());
        assertThat(o.get("prunedMonomials").asLong()).isLessThanOrEqualTo(o.get("rawMonomials").asLong());
        assertThat(o.get("maxMapError").asDouble()).isLessThan(1e-7);
    }

    @Test
    void benchesRunOnTinyInputs() {
        CliRun f = run("bench", "folding", "--paths", "300", "--pool", "20", "--input", "20", "--reference", "50");
        assertThat(f.code()).isZero();
        assertThat(f.out()).contains("chi identical");
        // --shapes reads AxB as train --shape does: A hidden layers of width B
        CliRun p = run("bench", "predict", "--shapes", "3x6", "--points", "2000");
        assertThat(p.code()).isZero();
        assertThat(p.out()).contains("2 -> [6]x3 -> 1");
        CliRun p3 = run("bench", "predict", "--dim", "3", "--shapes", "2x4", "--points", "1000", "--cells-per-axis", "2");
        assertThat(p3.code()).isZero();
        assertThat(p3.out()).contains("3 -> [4]x2 -> 1").contains(" yes ");
    }
}
