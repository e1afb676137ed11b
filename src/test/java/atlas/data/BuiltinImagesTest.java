package atlas.data;

import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BuiltinImagesTest {

    @Test
    void ringIsBlackExactlyBetweenTheRadii() {
        TargetImage ring = BuiltinImages.create("ring");
        assertThat(ring.width()).isEqualTo(1024);
        // pixels along row 512: black for columns 512 +- [224, 256], white elsewhere
        for (int j = 0; j < 1024; j++) {
            int d = Math.abs(j - 512);
            double expected = d >= 224 && d <= 256 ? 0 : 1;
            assertThat(ring.grey()[512 * 1024 + j]).as("column %d", j).isEqualTo(expected);
        }
        // black area ~ pi (256^2 - 224^2)
        long black = 0;
        for (double g : ring.grey()) if (g == 0) black++;
        assertThat((double) black).isCloseTo(Math.PI * (256.0 * 256 - 224.0 * 224), org.assertj.core.data.Percentage.withPercentage(1));
        assertThat(ring.isClassification()).isFalse();
    }

    @Test
    void pixelCoordinatesAreColumnOverWidthAndRowOverHeight() {
        TargetImage img = BuiltinImages.create("disc", 64);
        int p = 10 * 64 + 3; // row 10, column 3
        assertThat(img.x(p)).isEqualTo(3.0 / 64);
        assertThat(img.y(p)).isEqualTo(10.0 / 64);
    }

    @Test
    void ring3HasThreeClassesInsideRingOutside() {
        TargetImage img = BuiltinImages.create("ring3", 128);
        assertThat(img.classes()).isEqualTo(3);
        assertThat(img.labels()[64 * 128 + 64]).isEqualTo(2);   // centre: inside
        assertThat(img.labels()[0]).isEqualTo(0);               // corner: outside
        assertThat(img.labels()[64 * 128 + 64 + 30]).isEqualTo(1); // radius 30 of 32 scaled: 28..32 -> ring
    }

    @Test
    void everyBuiltinHasBothColours() {
        for (String n : BuiltinImages.NAMES) {
            TargetImage img = BuiltinImages.create(n, 64);
            double min = 1, max = 0;
            for (double g : img.grey()) { min = Math.min(min, g); max = Math.max(max, g); }
            assertThat(min).as(n).isEqualTo(0);
            assertThat(max).as(n).isEqualTo(1);
        }
    }

    @Test
    void unknownNameIsAOneLineError() {
        assertThatThrownBy(() -> BuiltinImages.create("moon")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown built-in image 'moon'").hasMessageNotContaining("\n");
    }

    @Test
    void sampleIsDisjointReproducibleAndInRange() {
        TargetImage img = BuiltinImages.create("ring", 100);
        PixelSample a = PixelSample.draw(img, 5000, 1000, 7);
        PixelSample b = PixelSample.draw(img, 5000, 1000, 7);
        assertThat(a.train()).isEqualTo(b.train());
        assertThat(a.validation()).isEqualTo(b.validation());
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int p : a.train()) assertThat(seen.add(p)).isTrue();
        for (int p : a.validation()) assertThat(seen.add(p)).as("validation pixel %d also a training pixel", p).isTrue();
        assertThat(seen).allMatch(p -> p >= 0 && p < 10000);
        assertThat(PixelSample.draw(img, 5000, 1000, 8).train()).isNotEqualTo(a.train());
        Dataset d = a.trainingSet(img);
        assertThat(d.size()).isEqualTo(5000);
        int p0 = a.train()[0];
        assertThat(d.inputs()[0]).isEqualTo((p0 % 100) / 100.0);
        assertThat(d.inputs()[1]).isEqualTo((p0 / 100) / 100.0);
        assertThat(d.targets()[0]).isEqualTo(img.grey()[p0]);
    }

    @Test
    void tooManyPointsIsAnError() {
        TargetImage img = BuiltinImages.create("disc", 16);
        assertThatThrownBy(() -> PixelSample.draw(img, 200, 100, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("only 256 pixels");
    }

    @Test
    void loadsPngGreyAndClasses(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        BufferedImage bi = new BufferedImage(4, 2, BufferedImage.TYPE_INT_RGB);
        for (int j = 0; j < 4; j++) { bi.setRGB(j, 0, 0xFFFFFF); bi.setRGB(j, 1, j < 2 ? 0xFF0000 : 0x000000); }
        Path f = dir.resolve("t.png");
        javax.imageio.ImageIO.write(bi, "png", f.toFile());
        TargetImage grey = ImageLoader.load(f, false);
        assertThat(grey.grey()[0]).isEqualTo(1.0);
        assertThat(grey.grey()[4]).isCloseTo(0.299, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(grey.grey()[7]).isEqualTo(0.0);
        TargetImage cls = ImageLoader.load(f, true);
        assertThat(cls.classes()).isEqualTo(3);
        // classes in increasing RGB order: black 0, red 1, white 2
        assertThat(cls.labels()).containsExactly(2, 2, 2, 2, 1, 1, 0, 0);
    }

    @Test
    void badImageFileIsAOneLineError(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.png");
        Files.writeString(f, "this is not a picture");
        assertThatThrownBy(() -> ImageLoader.load(f, false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot read image").hasMessageNotContaining("\n");
        assertThatThrownBy(() -> ImageLoader.load(dir.resolve("missing.png"), false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not exist");
    }
}
