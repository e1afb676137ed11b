package atlas.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShapeSpecTest {
    @Test
    void axbIsALayersOfWidthB() {
        assertThat(ShapeSpec.parse("30x30")).hasSize(30).containsOnly(30);
        assertThat(ShapeSpec.parse("6x14")).containsExactly(14, 14, 14, 14, 14, 14);
        assertThat(ShapeSpec.parse("1x500")).containsExactly(500);
        assertThat(ShapeSpec.parse("2x3")).containsExactly(3, 3);
    }

    @Test
    void bottleneckAndPythonForms() {
        int[] expected = {10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 2, 10, 10, 10};
        assertThat(ShapeSpec.parse("10x10,2,3x10")).containsExactly(expected);
        assertThat(ShapeSpec.parse("[10]*10+[2]+[10]*3")).containsExactly(expected);
        assertThat(ShapeSpec.parse("[30]*30")).hasSize(30).containsOnly(30);
        assertThat(ShapeSpec.parse("[5, 7, 9]")).containsExactly(5, 7, 9);
        assertThat(ShapeSpec.parse(" 4 X 8 , 3 ")).containsExactly(8, 8, 8, 8, 3);
    }

    @Test
    void formatRoundTrips() {
        int[] w = ShapeSpec.parse("10x10,2,3x10");
        assertThat(ShapeSpec.format(w)).isEqualTo("10x10,1x2,3x10");
        assertThat(ShapeSpec.parse(ShapeSpec.format(w))).containsExactly(w);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "x", "30x", "0x5", "5x0", "30x30,", "[30]*", "[30", "a,b", "-3", "99999999999x2", "2x200000"})
    void badShapesAreOneLineErrors(String s) {
        assertThatThrownBy(() -> ShapeSpec.parse(s)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("\n").hasMessageContaining("shape");
    }
}
