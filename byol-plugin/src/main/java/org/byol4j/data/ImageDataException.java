package org.byol4j.data;

import java.nio.file.Path;

/** Bad image data: the message always names the file and what was expected. */
public class ImageDataException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String problem;

    /**
     * @param file the offending file
     * @param problem what is wrong and what was expected
     */
    public ImageDataException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
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
        this.problem = problem;
    }

    /** @return the offending file */
    public Path file() {
        return file;
    }

    /** @return what is wrong with the file, without its name */
    public String problem() {
        return problem;
    }
}
