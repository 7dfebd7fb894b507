package org.byol4j.data;

import static org.byol4j.data.ImageDecoderTest.corpus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderSourcesTest {

    private static void put(Path dir, String corpusName, String as) throws IOException {
        Files.createDirectories(dir);
        Files.copy(corpus(corpusName), dir.resolve(as));
    }

    /** Two classes with spaces and non-ASCII names, images at several depths, a stray file and a hidden one. */
    private static Path goodTree(Path root) throws IOException {
        put(root.resolve("chats et chiens"), "rgb.png", "été 1.png");
        put(root.resolve("chats et chiens/sous dossier"), "photo.jpg", "写真.JPG");
        put(root.resolve("ÄÖÜ"), "grey.png", "g.png");
        put(root.resolve("ÄÖÜ"), "bitmap.bmp", "b.bmp");
        put(root.resolve("ÄÖÜ/.thumbnails"), "rgb.png", "t.png");
        put(root, "rgb.png", "stray.png");
        Files.writeString(root.resolve("ÄÖÜ/notes.txt"), "not an image name: ignored");
        return root;
    }

    @Test
    void anImageFolderMapsSortedFolderNamesToClasses(@TempDir Path dir) throws IOException {
        ImageFolderSource s = new ImageFolderSource(goodTree(dir.resolve("data set")), 3, BadImagePolicy.FAIL_FAST);
        assertEquals(List.of("chats et chiens", "ÄÖÜ"), s.classNames());
        assertEquals(4, s.size());
        assertEquals("chats et chiens", s.label(0));
        assertEquals("chats et chiens", s.label(1));
        assertEquals("ÄÖÜ", s.label(2));
        assertTrue(s.file(0).toString().endsWith("写真.JPG"), "sorted by path: 'sous dossier' < 'été'");
        assertEquals(3, s.image(3).channels());
        assertEquals(2, s.image(3).height(), "grey.png at its own size");
        assertTrue(s.skipped().isEmpty());
    }

    @Test
    void anUnlabelledFolderTakesImagesAtAnyDepth(@TempDir Path dir) throws IOException {
        FolderImageSource s = new FolderImageSource(goodTree(dir), 1, BadImagePolicy.FAIL_FAST);
        assertEquals(5, s.size(), "the stray root file counts here; the hidden folder does not");
        assertEquals(1, s.image(0).channels());
        assertTrue(s.description().contains("5 images"));
    }

    @Test
    void failFastNamesTheFirstBadFileAndSkipAndReportCountsThemAll(@TempDir Path dir) throws IOException {
        Path root = goodTree(dir);
        for (String bad : new String[] {"zero-bytes.png", "not-an-image.png", "bomb.png", "truncated.jpg",
            "truncated.png", "corrupt.jpg"}) {
            put(root.resolve("ÄÖÜ"), bad, "bad-" + bad);
        }
        ImageDataException e = assertThrows(ImageDataException.class,
                () -> new ImageFolderSource(root, 3, BadImagePolicy.FAIL_FAST));
        assertTrue(e.getMessage().contains("bad-bomb.png") && e.getMessage().contains("declares 100000 x 100000"),
                e.getMessage());
        assertTrue(e.getMessage().contains("SKIP_AND_REPORT"), e.getMessage());

        ImageFolderSource s = new ImageFolderSource(root, 3, BadImagePolicy.SKIP_AND_REPORT);
        assertEquals(4, s.size());
        assertEquals(6, s.skipped().size());
        assertTrue(s.skipped().stream().anyMatch(k -> k.file().endsWith("bad-zero-bytes.png")
                && k.problem().startsWith("is empty")));
        FolderImageSource u = new FolderImageSource(root, 3, BadImagePolicy.SKIP_AND_REPORT);
        assertEquals(5, u.size());
        assertEquals(6, u.skipped().size());
    }

    @Test
    void aSymbolicLinkLoopDoesNotHangTheScan(@TempDir Path dir) throws IOException {
        Path root = goodTree(dir.resolve("root"));
        Files.createSymbolicLink(root.resolve("ÄÖÜ/loop"), root.resolve("ÄÖÜ"));
        Files.createSymbolicLink(root.resolve("chats et chiens/up"), root);
        Files.createSymbolicLink(root.resolve("chats et chiens/sous dossier/alias.jpg"),
                root.resolve("chats et chiens/été 1.png"));
        ImageFolderSource s = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> new ImageFolderSource(root.resolve("ÄÖÜ").getParent(), 3, BadImagePolicy.FAIL_FAST));
        assertEquals(2, s.classNames().size());
        // ÄÖÜ: its 2 images, once each. chats et chiens: its 2, plus what its link to the root reaches (the stray
        // file and ÄÖÜ's 2), each real file once.
        assertEquals(2, java.util.stream.IntStream.range(0, s.size()).filter(i -> s.label(i).equals("ÄÖÜ")).count());
        assertEquals(5, java.util.stream.IntStream.range(0, s.size())
                .filter(i -> s.label(i).equals("chats et chiens")).count());
        FolderImageSource all = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> new FolderImageSource(root));
        assertEquals(5, all.size(), "every real image once");
    }

    @Test
    void structuralProblemsAreNamed(@TempDir Path dir) throws IOException {
        IllegalArgumentException notFolder = assertThrows(IllegalArgumentException.class,
                () -> new ImageFolderSource(dir.resolve("absent")));
        assertTrue(notFolder.getMessage().contains("absent") && notFolder.getMessage().contains("not a folder"));
        Files.createDirectories(dir.resolve("flat"));
        put(dir.resolve("flat"), "rgb.png", "a.png");
        IllegalArgumentException flat = assertThrows(IllegalArgumentException.class,
                () -> new ImageFolderSource(dir.resolve("flat")));
        assertTrue(flat.getMessage().contains("no class sub-folders"), flat.getMessage());
        Files.createDirectories(dir.resolve("flat/empty class"));
        IllegalArgumentException emptyClass = assertThrows(IllegalArgumentException.class,
                () -> new ImageFolderSource(dir.resolve("flat")));
        assertTrue(emptyClass.getMessage().contains("empty class"), emptyClass.getMessage());
        Files.createDirectories(dir.resolve("nothing"));
        IllegalArgumentException nothing = assertThrows(IllegalArgumentException.class,
                () -> new FolderImageSource(dir.resolve("nothing")));
        assertTrue(nothing.getMessage().contains("no readable image"), nothing.getMessage());
    }

    @Test
    void idxCorpusFilesAreRefusedWithTheFileNamed() {
        Path wrongMagic = corpus("wrong-magic-images.idx");
        ImageDataException e = assertThrows(ImageDataException.class, () -> IdxImageSource.unlabelled(wrongMagic));
        assertTrue(e.getMessage().startsWith(wrongMagic.toString()) && e.getMessage().contains("magic"),
                e.getMessage());
        Path shortFile = corpus("short-images.idx");
        e = assertThrows(ImageDataException.class, () -> IdxImageSource.unlabelled(shortFile));
        assertTrue(e.getMessage().startsWith(shortFile.toString()) && e.getMessage().contains("truncated"),
                e.getMessage());
        Path labels = corpus("two-labels.idx");
        e = assertThrows(ImageDataException.class,
                () -> IdxImageSource.labelled(corpus("three-images.idx"), labels));
        assertTrue(e.getMessage().startsWith(labels.toString()) && e.getMessage().contains("2 labels but"),
                e.getMessage());
    }
}
