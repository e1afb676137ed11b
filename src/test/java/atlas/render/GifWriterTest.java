package atlas.render;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class GifWriterTest {
    private static BufferedImage frame(int rgb) {
        BufferedImage img = new BufferedImage(20, 10, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 10; y++) for (int x = 0; x < 20; x++) img.setRGB(x, y, x < 10 ? rgb : 0x808080);
        return img;
    }

    @Test
    void writesALoopingAnimationWithTheDelayAndExactPrimaryColours(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("m.gif");
        GifWriter.write(f, List.of(frame(0xFF0000), frame(0x0000FF), frame(0xFFFFFF)), 80, true);
        byte[] bytes = Files.readAllBytes(f);
        String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
        int loop = text.indexOf("NETSCAPE2.0");
        assertThat(loop).isPositive();
        assertThat(new byte[]{bytes[loop + 11], bytes[loop + 12], bytes[loop + 13], bytes[loop + 14]}).containsExactly(3, 1, 0, 0);
        try (ImageInputStream in = ImageIO.createImageInputStream(f.toFile())) {
            ImageReader r = ImageIO.getImageReaders(in).next();
            r.setInput(in);
            assertThat(r.getNumImages(true)).isEqualTo(3);
            assertThat(r.read(0).getRGB(2, 2) & 0xFFFFFF).isEqualTo(0xFF0000);
            assertThat(r.read(1).getRGB(2, 2) & 0xFFFFFF).isEqualTo(0x0000FF);
            assertThat(r.read(2).getRGB(2, 2) & 0xFFFFFF).isEqualTo(0xFFFFFF);
            // a mid grey maps to a grey within a few levels
            int g = r.read(0).getRGB(15, 5) & 0xFF;
            assertThat(Math.abs(g - 0x80)).isLessThanOrEqualTo(4);
            var meta = r.getImageMetadata(0);
            var root = (javax.imageio.metadata.IIOMetadataNode) meta.getAsTree(meta.getNativeMetadataFormatName());
            var gce = (javax.imageio.metadata.IIOMetadataNode) root.getElementsByTagName("GraphicControlExtension").item(0);
            assertThat(gce.getAttribute("delayTime")).isEqualTo("8");
        }
    }

    /**
     * Every grey 0..255 maps to a palette entry that is itself grey and is the nearest grey of the palette (found
     * here by scanning the palette the indexed image carries); pure red and blue stay exact.
     */
    @Test
    void greysMapToGreysAndNearestLevels() {
        BufferedImage src = new BufferedImage(258, 1, BufferedImage.TYPE_INT_RGB);
        for (int v = 0; v < 256; v++) src.setRGB(v, 0, (v << 16) | (v << 8) | v);
        src.setRGB(256, 0, 0xFF0000);
        src.setRGB(257, 0, 0x0000FF);
        BufferedImage dst = GifWriter.toIndexed(src);
        java.awt.image.IndexColorModel cm = (java.awt.image.IndexColorModel) dst.getColorModel();
        java.util.List<Integer> greyLevels = new java.util.ArrayList<>();
        for (int i = 0; i < cm.getMapSize(); i++)
            if (cm.getRed(i) == cm.getGreen(i) && cm.getGreen(i) == cm.getBlue(i)) greyLevels.add(cm.getRed(i));
        assertThat(greyLevels.size()).isGreaterThanOrEqualTo(46);
        for (int v = 0; v < 256; v++) {
            int idx = dst.getRaster().getSample(v, 0, 0);
            assertThat(cm.getRed(idx)).as("grey %d", v).isEqualTo(cm.getGreen(idx)).isEqualTo(cm.getBlue(idx));
            final int grey = v;
            int nearest = greyLevels.stream().mapToInt(l -> Math.abs(l - grey)).min().orElseThrow();
            assertThat(Math.abs(cm.getRed(idx) - v)).as("grey %d maps to level %d", v, cm.getRed(idx)).isEqualTo(nearest);
        }
        assertThat(dst.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0x000000);
        assertThat(dst.getRGB(255, 0) & 0xFFFFFF).isEqualTo(0xFFFFFF);
        assertThat(dst.getRGB(256, 0) & 0xFFFFFF).isEqualTo(0xFF0000);
        assertThat(dst.getRGB(257, 0) & 0xFFFFFF).isEqualTo(0x0000FF);
    }
}
