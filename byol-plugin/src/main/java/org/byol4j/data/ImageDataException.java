package org.byol4j.data;

import java.nio.file.Path;

/** Bad image data: the message always names the file and what was expected. */
public class ImageDataException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String origin;
    private final String problem;

    /**
     * @param file the offending file
     * @param problem what is wrong and what was expected
     */
    public ImageDataException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
        this.origin = String.valueOf(file);
        this.problem = problem;
    }

    /**
     * @param file the offending file
     * @param problem what is wrong and what was expected
     * @param cause the underlying failure
     */
    public ImageDataException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
        this.origin = String.valueOf(file);
        this.problem = problem;
    }

    /**
     * For image bytes that came from elsewhere than a local file (a Spark row's path or URI, say).
     *
     * @param origin where the bytes came from, as the user would name it
     * @param problem what is wrong and what was expected
     * @param cause the underlying failure, or null
     */
    public ImageDataException(String origin, String problem, Throwable cause) {
        super(origin + ": " + problem, cause);
        this.file = null;
        this.origin = origin;
        this.problem = problem;
    }

    /** @return the offending file, or null when the bytes did not come from a local file ({@link #origin()}) */
    public Path file() {
        return file;
    }

    /** @return where the offending bytes came from: the file, or the origin they were given with */
    public String origin() {
        return origin;
    }

    /** @return what is wrong with the file, without its name */
    public String problem() {
        return problem;
    }
}
