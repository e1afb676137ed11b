package atlas.regions;

import atlas.geometry.Rational;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The fraction-free integer solver of {@link ExactVertices} against plain rational Gaussian elimination written here. */
class ExactVerticesTest {

    /** The solution of a.x = b by rational Gauss-Jordan; null when singular. */
    private static Rational[] reference(Rational[][] rows, int dim) {
        Rational[][] m = new Rational[dim][];
        for (int r = 0; r < dim; r++) m[r] = rows[r].clone();
        for (int col = 0; col < dim; col++) {
            int piv = -1;
            for (int r = col; r < dim && piv < 0; r++) if (m[r][col].signum() != 0) piv = r;
            if (piv < 0) return null;
            Rational[] t = m[piv]; m[piv] = m[col]; m[col] = t;
            for (int r = 0; r < dim; r++) {
                if (r == col || m[r][col].signum() == 0) continue;
                Rational f = m[r][col].divide(m[col][col]);
                for (int j = col; j <= dim; j++) m[r][j] = m[r][j].subtract(f.multiply(m[col][j]));
            }
        }
        Rational[] x = new Rational[dim];
        for (int r = 0; r < dim; r++) x[r] = m[r][dim].divide(m[r][r]);
        return x;
    }

    @Test
    void solvesSquareSystemsExactlyAsRationalEliminationDoes() {
        Random rnd = new Random(3);
        int singular = 0;
        for (int t = 0; t < 3000; t++) {
            int dim = 1 + rnd.nextInt(5);
            Rational[][] rows = new Rational[dim][dim + 1];
            for (int r = 0; r < dim; r++)
                for (int j = 0; j <= dim; j++)
                    // small dyadic values, often zero or repeated, so that singular and degenerate systems occur
                    rows[r][j] = rnd.nextInt(4) == 0 ? Rational.ZERO : Rational.of((rnd.nextInt(7) - 3) / (double) (1 << rnd.nextInt(4)));
            if (rnd.nextInt(8) == 0 && dim > 1) rows[1] = rows[0].clone();
            List<BigInteger[]> planes = new ArrayList<>();
            for (Rational[] r : rows) planes.add(ExactVertices.integerRow(java.util.Arrays.copyOf(r, dim), r[dim]));
            List<BigInteger[]> got = new ExactVertices(dim).vertices(planes);
            Rational[] want = reference(rows, dim);
            if (want == null) {
                singular++;
                assertThat(got).as("system %d", t).isEmpty();
                continue;
            }
            assertThat(got).hasSize(1);
            BigInteger[] x = got.get(0);
            assertThat(x[dim].signum()).isPositive();
            for (int i = 0; i < dim; i++)
                assertThat(new Rational(x[i], x[dim]).compareTo(want[i])).as("system %d, x_%d", t, i).isZero();
            // the solution lies on each of its hyperplanes
            for (BigInteger[] p : planes) assertThat(ExactVertices.on(p, x)).isTrue();
        }
        assertThat(singular).isBetween(100, 2900);
    }

    @Test
    void verticesOfTheUnitCubeCutByAPlaneThroughSixCorners() {
        // [-1,1]^4 and x1+x2+x3+x4 >= 0: the 6 corners with sum 0, 4 with sum 2 and 1 with sum 4
        int dim = 4;
        ExactVertices half = new ExactVertices(dim);
        List<BigInteger[]> planes = new ArrayList<>();
        for (int i = 0; i < dim; i++)
            for (int s = -1; s <= 1; s += 2) {
                Rational[] a = new Rational[dim];
                for (int j = 0; j < dim; j++) a[j] = i == j ? Rational.of(s) : Rational.ZERO;
                half.addConstraint(a, Rational.ONE);
                planes.add(ExactVertices.integerRow(a, Rational.ONE));
            }
        Rational[] minusSum = new Rational[dim];
        java.util.Arrays.fill(minusSum, Rational.of(-1));
        half.addConstraint(minusSum, Rational.ZERO);
        planes.add(ExactVertices.integerRow(minusSum, Rational.ZERO));
        assertThat(half.vertices(planes)).hasSize(11);
    }
}
