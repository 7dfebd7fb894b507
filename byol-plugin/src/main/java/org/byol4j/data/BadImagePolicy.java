package org.byol4j.data;

/** What an image-folder source does with a file it cannot decode. */
public enum BadImagePolicy {
    /** Refuse the whole folder at the first bad file, naming it and the problem (the default). */
    FAIL_FAST,
    /** Leave bad files out, keep each one's problem for {@code skipped()}, and log a summary with the count. */
    SKIP_AND_REPORT
}
