package org.byol4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every file of the bad-input corpus (see its README) through the decoder. */
class ImageDecoderTest {

    static Path corpus(String name) {
        try {
            return Path.of(ImageDecoderTest.class.getResource("/org/byol4j/data/corpus/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private final ImageDecoder rgb = new ImageDecoder(3, ImageDecoder.DEFAULT_MAX_PIXELS);
    private final ImageDecoder grey = new ImageDecoder(1, ImageDecoder.DEFAULT_MAX_PIXELS);

    @ParameterizedTest
    @ValueSource(strings = {"rgb.png", "photo.jpg", "bitmap.bmp", "anim.gif"})
    void goodImagesDecodeAtTheirOwnSize(String name) {
        PixelImage img = rgb.decode(corpus(name));
        assertEquals(3, img.channels());
        assertEquals(10, img.height());
        assertEquals(12, img.width());
        for (float v : img.pixels()) {
            assertTrue(v >= 0f && v <= 1f);
        }
        assertEquals(1, grey.decode(corpus(name)).channels());
    }

    @Test
    void pixelValuesAndChannelConversionsAreExact() {
        // rgb.png pixel (x, y) = (20x, 25y, 128) / 255.
        PixelImage img = rgb.decode(corpus("rgb.png"));
        assertEquals(60 / 255f, img.get(0, 2, 3), 1e-6f);
        assertEquals(50 / 255f, img.get(1, 2, 3), 1e-6f);
        assertEquals(128 / 255f, img.get(2, 2, 3), 1e-6f);
        // As grey: ITU-R 601 luma of the same pixel.
        float luma = (0.299f * 60 + 0.587f * 50 + 0.114f * 128) / 255f;
        assertEquals(luma, grey.decode(corpus("rgb.png")).get(0, 2, 3), 1e-6f);
        // A grey file keeps its values; as RGB the plane is repeated.
        float[] expected = {0f, 0.2f, 0.4f, 0.6f, 0.8f, 1f};
        assertArrayEquals(expected, grey.decode(corpus("grey.png")).pixels(), 1e-6f);
        PixelImage grey3 = rgb.decode(corpus("grey.png"));
        assertEquals(0.8f, grey3.get(2, 1, 1), 1e-6f);
    }

    @ParameterizedTest
    @CsvSource({
        "zero-bytes.png, is empty (0 bytes)",
        "not-an-image.png, is not an image",
        "bomb.png, declares 100000 x 100000 pixels",
        "truncated.jpg, is truncated or corrupt",
        "truncated.png, is truncated or corrupt",
        "corrupt.jpg, is truncated or corrupt"
    })
    void badFilesAreRefusedNamingTheFileAndTheProblem(String name, String problem) {
        Path file = corpus(name);
        ImageDataException e = assertThrows(ImageDataException.class, () -> rgb.decode(file));
        assertTrue(e.getMessage().startsWith(file + ": " + problem), e.getMessage());
        assertEquals(file, e.file());
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = Path.of("no-such-dir", "missing.png");
        ImageDataException e = assertThrows(ImageDataException.class, () -> rgb.decode(missing));
        assertTrue(e.getMessage().startsWith(missing + ": cannot be read"), e.getMessage());
    }

    @Test
    void thePixelLimitIsConfigurable() {
        ImageDecoder tiny = new ImageDecoder(3, 100);
        ImageDataException e = assertThrows(ImageDataException.class, () -> tiny.decode(corpus("rgb.png")));
        assertTrue(e.getMessage().contains("12 x 10"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ImageDecoder(2, 100));
    }
}
