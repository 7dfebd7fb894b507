package org.byol4j.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds image files under a folder and checks that each one decodes, for the folder sources. The scan follows
 * symbolic links, enters each real folder once (so link loops end) and counts each real file once, skips hidden
 * files and folders, and sorts paths so that the order, and with it every seeded run, is the same on every
 * machine.
 */
final class ImageFiles {

    private static final Logger logger = LoggerFactory.getLogger(ImageFiles.class);

    /** Extensions the scan picks up, lower case. */
    static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "gif");

    private ImageFiles() {}

    /**
     * @param root a folder
     * @return every image file below it (any depth), sorted by path
     * @throws IllegalArgumentException when {@code root} is not a readable folder
     */
    static List<Path> scan(Path root) {
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException(root + ": is not a folder (expected a folder of images)");
        }
        List<Path> found = new ArrayList<>();
        Set<Path> visitedDirs = new HashSet<>();
        try {
            Files.walkFileTree(root, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
                                throws IOException {
                            if (!dir.equals(root) && hidden(dir)) {
                                return FileVisitResult.SKIP_SUBTREE;
                            }
                            // A folder reached again through another link is not scanned twice.
                            return visitedDirs.add(dir.toRealPath()) ? FileVisitResult.CONTINUE
                                    : FileVisitResult.SKIP_SUBTREE;
                        }

                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                            if (attrs.isRegularFile() && !hidden(file) && isImageName(file)) {
                                found.add(file);
                            }
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path file, IOException e) {
                            if (e instanceof FileSystemLoopException) {
                                logger.warn("{}: symbolic link loop, not followed", file);
                            } else {
                                logger.warn("{}: cannot be read, left out of the scan: {}", file, e.toString());
                            }
                            return FileVisitResult.CONTINUE;
                        }
                    });
        } catch (IOException e) {
            throw new UncheckedIOException(root + ": cannot be scanned", e);
        }
        Collections.sort(found);
        // One file reached by several paths (links) counts once, under its first path in sorted order.
        Set<Path> realFiles = new HashSet<>();
        List<Path> unique = new ArrayList<>(found.size());
        for (Path f : found) {
            try {
                if (realFiles.add(f.toRealPath())) {
                    unique.add(f);
                }
            } catch (IOException e) {
                logger.warn("{}: cannot be resolved, left out of the scan: {}", f, e.toString());
            }
        }
        return unique;
    }

    static boolean isImageName(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    private static boolean hidden(Path p) {
        return p.getFileName() != null && p.getFileName().toString().startsWith(".");
    }

    /**
     * Decodes every file once (in parallel) and applies the policy.
     *
     * @param files candidates
     * @param decoder the decoder the source will use
     * @param policy what to do with a bad file
     * @param skipped receives the files left out (SKIP_AND_REPORT)
     * @return the files that decode, in the given order
     * @throws ImageDataException for the first bad file in order, under FAIL_FAST
     */
    static List<Path> validate(List<Path> files, ImageDecoder decoder, BadImagePolicy policy,
            List<SkippedImage> skipped) {
        int threads = Math.max(1, Math.min(files.size(), Runtime.getRuntime().availableProcessors()));
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "byol4j-image-check");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<String>> checks = new ArrayList<>(files.size());
            for (Path f : files) {
                checks.add(pool.submit(() -> {
                    try {
                        decoder.decode(f);
                        return null;
                    } catch (ImageDataException e) {
                        return e.problem();
                    }
                }));
            }
            List<Path> good = new ArrayList<>(files.size());
            for (int i = 0; i < files.size(); i++) {
                String problem = checks.get(i).get();
                if (problem == null) {
                    good.add(files.get(i));
                } else if (policy == BadImagePolicy.FAIL_FAST) {
                    throw new ImageDataException(files.get(i), problem + " (policy FAIL_FAST; use SKIP_AND_REPORT"
                            + " to leave bad files out)");
                } else {
                    skipped.add(new SkippedImage(files.get(i), problem));
                }
            }
            return good;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking images", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("image check failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
