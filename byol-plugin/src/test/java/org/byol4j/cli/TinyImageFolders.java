package org.byol4j.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;

/** Writes small labelled image folders for command-line tests: two classes that a linear probe can tell apart. */
final class TinyImageFolders {

    static final int SIDE = 14;

    private TinyImageFolders() {}

    /**
     * @param root folder to create class folders in
     * @param perClass images per class
     * @param seed pixel noise seed
     * @return {@code root}, holding {@code top-left/} (a bright square near the top-left corner) and
     *     {@code bottom-right/} (near the bottom-right corner), PNG, greyscale, {@value #SIDE} px
     * @throws IOException on write failure
     */
    static Path write(Path root, int perClass, long seed) throws IOException {
        Random r = new Random(seed);
        for (String cls : new String[] {"top-left", "bottom-right"}) {
            Path dir = Files.createDirectories(root.resolve(cls));
            for (int i = 0; i < perClass; i++) {
                BufferedImage img = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_BYTE_GRAY);
                int s = 3 + r.nextInt(3);
                int off = r.nextInt(3);
                int top = cls.equals("top-left") ? off : SIDE - s - off;
                for (int y = 0; y < SIDE; y++) {
                    for (int x = 0; x < SIDE; x++) {
                        boolean in = y >= top && y < top + s && x >= top && x < top + s;
                        img.getRaster().setSample(x, y, 0, in ? 180 + r.nextInt(70) : r.nextInt(40));
                    }
                }
                ImageIO.write(img, "png", dir.resolve(String.format("%03d.png", i)).toFile());
            }
        }
        return root;
    }
}
