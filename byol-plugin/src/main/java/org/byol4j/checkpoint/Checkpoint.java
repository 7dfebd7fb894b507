package org.byol4j.checkpoint;

import ai.djl.MalformedModelException;
import ai.djl.nn.Parameter;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.byol4j.io.AtomicFiles;
import org.byol4j.nn.TrainableNetworks;
import org.byol4j.optim.StatefulOptimizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The complete state of a pretraining run after some step: the method's weights (BatchNorm statistics included;
 * BYOL's online and target networks), optimiser buffers, the step count and the run's {@link Length}. Since the
 * data order and every augmentation are functions of (seed, epoch, position), this is all an exact resume needs.
 *
 * <p>Each checkpoint is written atomically to its own file {@code <dir>/checkpoint-<step>.bin}; the newest
 * {@code kept} are kept and older ones deleted after a new one is complete. On resume the newest readable one is
 * used: a truncated or corrupt file (a disk filled up, a copy cut short) is reported and the one before it used.
 * A checkpoint of another recipe or run length is refused outright, naming each field that differs with both
 * values: that is a mistake to fix, not damage to route around.
 */
public final class Checkpoint {

    private static final String MAGIC = "byol4j-checkpoint/5";
    /** The version before, whose header held the recipe as one string ({@code Map.toString()}); still read. */
    private static final String MAGIC_4 = "byol4j-checkpoint/4";
    private static final Pattern NAME = Pattern.compile("checkpoint-(\\d+)\\.bin");
    private static final Pattern UNFINISHED = Pattern.compile("checkpoint-\\d+\\.bin\\.tmp");
    private static final Logger logger = LoggerFactory.getLogger(Checkpoint.class);
    /**
     * Options added to every recipe after checkpoints were first written, with the value every run before them had:
     * a checkpoint without the field resumes when the option is still at that value.
     */
    private static final Map<String, String> ADDED_LATER = Map.of("supervisedWeight", "0.0", "localViews", "0",
            "localViewSize", "0", "localCropScaleMin", "0.05", "localCropScaleMax", "0.4", "variant", "BYOL");
    /** More recipe fields than any config has: a header claiming more is corrupt. */
    private static final int MAX_FIELDS = 10_000;

    private Checkpoint() {}

    /**
     * What a checkpoint records of its run's length.
     *
     * @param scheduleSteps the K the schedules were built for; a resume must build the same
     * @param endStep the step the run was to end at when the checkpoint was written (a time-budgeted run moves it)
     * @param elapsedSeconds wall-clock seconds of the run so far, all processes that worked on it together
     */
    public record Length(int scheduleSteps, int endStep, double elapsedSeconds) {}

    /**
     * A restored state.
     *
     * @param step the step the state is after
     * @param length the run length its checkpoint recorded
     */
    public record Restored(long step, Length length) {}

    /**
     * @param step the step the state is after
     * @return the name of the file holding the checkpoint of that step
     */
    public static String fileName(long step) {
        return String.format(Locale.ROOT, "checkpoint-%012d.bin", step);
    }

    /**
     * Writes a checkpoint, then deletes all but the newest {@code kept} (and any file of a later step: the run
     * resumed before it, so it was unreadable), and the temporary file of any write a kill cut short.
     *
     * @param dir the run's checkpoint directory
     * @param recipe the run's recipe, which a resume must match
     * @param step the step the state is after
     * @param length the run's length
     * @param method the method whose state to write
     * @param optimiser the optimiser whose state to write
     * @param kept how many of the newest checkpoints to keep
     * @return the file written
     * @throws IOException when the file cannot be written (the previous checkpoints are intact)
     */
    public static Path save(Path dir, Map<String, String> recipe, long step, Length length, TrainableNetworks method,
            StatefulOptimizer optimiser, int kept) throws IOException {
        Files.createDirectories(dir);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(MAGIC);
            out.writeInt(recipe.size());
            for (Map.Entry<String, String> field : recipe.entrySet()) {
                out.writeUTF(field.getKey());
                out.writeUTF(field.getValue());
            }
            out.writeInt(length.scheduleSteps());
            out.writeInt(length.endStep());
            out.writeDouble(length.elapsedSeconds());
            out.writeLong(step);
            writeState(out, method, optimiser);
        }
        Path file = dir.resolve(fileName(step));
        AtomicFiles.write(file, bytes.toByteArray());
        int older = 0;
        for (Path p : newestFirst(dir)) {
            long s = stepOf(p);
            if (s > step || (s < step && ++older >= kept)) {
                Files.deleteIfExists(p);
            }
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(f -> UNFINISHED.matcher(f.getFileName().toString()).matches()).toList()) {
                Files.deleteIfExists(p);
            }
        }
        return file;
    }

    /**
     * The run length the newest readable checkpoint was written for; a time-budgeted run resumes with it instead
     * of measuring its step rate again.
     *
     * @param dir the run's checkpoint directory
     * @param recipe the run's recipe, which the checkpoint must match
     * @return its length, or empty when {@code dir} holds no checkpoint
     * @throws IOException when the checkpoint is of another recipe, or when every checkpoint is unreadable
     */
    public static Optional<Length> savedLength(Path dir, Map<String, String> recipe) throws IOException {
        List<String> damaged = new ArrayList<>();
        for (Path file : newestFirst(dir)) {
            try (DataInputStream in = open(file)) {
                return Optional.of(readHeader(file, in, recipe));
            } catch (Damaged e) {
                damaged.add(e.getMessage());
            }
        }
        none(dir, damaged);
        return Optional.empty();
    }

    /**
     * Restores the newest readable checkpoint into the method and optimiser.
     *
     * @param dir the run's checkpoint directory
     * @param recipe the run's recipe, which the checkpoint must match
     * @param scheduleSteps the K this run's schedules are built for, which must be the checkpoint's
     * @param endStep the step this run ends at, which must be the checkpoint's; negative when the run's end may
     *     move (a time-budgeted run takes the checkpoint's)
     * @param method the method to restore into
     * @param optimiser the optimiser to restore into
     * @return the state restored, or empty when {@code dir} holds no checkpoint
     * @throws IOException when the checkpoint is of another recipe or run length, or when every checkpoint is
     *     unreadable (each file is named)
     */
    public static Optional<Restored> restore(Path dir, Map<String, String> recipe, int scheduleSteps, int endStep,
            TrainableNetworks method, StatefulOptimizer optimiser) throws IOException {
        List<String> damaged = new ArrayList<>();
        for (Path file : newestFirst(dir)) {
            try (DataInputStream in = open(file)) {
                Length saved = readHeader(file, in, recipe);
                if (saved.scheduleSteps() != scheduleSteps || (endStep >= 0 && saved.endStep() != endStep)) {
                    throw new IOException(file + ": was written for a run of " + describe(saved.scheduleSteps(),
                            saved.endStep()) + ", this run has " + describe(scheduleSteps, endStep)
                            + ". Use a new checkpoint directory or the same settings.");
                }
                long step = in.readLong();
                readState(in, method, optimiser);
                if (in.read() != -1) {
                    throw new Damaged(file + ": truncated or corrupt checkpoint: bytes after the optimiser state");
                }
                if (damaged.isEmpty()) {
                    logger.info("resuming from {} (step {})", file, step);
                } else {
                    logger.warn("resuming from {} (step {}); skipped: {}", file, step, String.join("; ", damaged));
                }
                return Optional.of(new Restored(step, saved));
            } catch (Damaged e) {
                damaged.add(e.getMessage());
            } catch (MalformedModelException | EOFException | RuntimeException e) {
                damaged.add(file + ": truncated or corrupt checkpoint: " + e.getMessage());
            }
        }
        none(dir, damaged);
        return Optional.empty();
    }

    private static String describe(int scheduleSteps, int endStep) {
        return endStep < 0 || endStep == scheduleSteps ? scheduleSteps + " steps"
                : endStep + " steps on schedules for " + scheduleSteps;
    }

    /**
     * Writes the state a run resumes from: the method's weights, then the optimiser's buffers and update counts. A
     * checkpoint file holds it after its header; {@link StateSnapshots} keeps it in memory.
     */
    static void writeState(DataOutputStream out, TrainableNetworks method, StatefulOptimizer optimiser)
            throws IOException {
        method.save(out);
        optimiser.saveState(out, ids(method), method.trainableParameters().stream().map(Parameter::getArray).toList());
    }

    /** Reads back what {@link #writeState} wrote, into the same method and optimiser. */
    static void readState(DataInputStream in, TrainableNetworks method, StatefulOptimizer optimiser)
            throws IOException, MalformedModelException {
        method.load(in);
        optimiser.loadState(in, ids(method), method.manager());
    }

    private static List<String> ids(TrainableNetworks method) {
        return method.trainableParameters().stream().map(Parameter::getId).toList();
    }

    private static void none(Path dir, List<String> damaged) throws IOException {
        if (!damaged.isEmpty()) {
            throw new IOException("no readable checkpoint in " + dir + ": " + String.join("; ", damaged)
                    + ". Move the directory away to start afresh.");
        }
    }

    /**
     * @param dir a checkpoint directory
     * @return the checkpoint files of {@code dir}, newest step first; none when it does not exist
     * @throws IOException when the directory cannot be listed
     */
    public static List<Path> newestFirst(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> NAME.matcher(p.getFileName().toString()).matches())
                    .sorted(Comparator.comparingLong(Checkpoint::stepOf).reversed()).toList();
        }
    }

    private static long stepOf(Path file) {
        Matcher m = NAME.matcher(file.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    private static DataInputStream open(Path file) throws IOException {
        return new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)));
    }

    /** Reads and checks the magic and recipe; returns the saved run length. */
    private static Length readHeader(Path file, DataInputStream in, Map<String, String> recipe) throws IOException {
        String magic;
        Map<String, String> saved;
        Length length;
        try {
            magic = in.readUTF();
            if (MAGIC.equals(magic)) {
                saved = new TreeMap<>();
                int fields = in.readInt();
                if (fields < 0 || fields > MAX_FIELDS) {
                    throw new Damaged(file + ": truncated or corrupt checkpoint: " + fields + " recipe fields");
                }
                for (int i = 0; i < fields; i++) {
                    saved.put(in.readUTF(), in.readUTF());
                }
            } else if (MAGIC_4.equals(magic)) {
                saved = parseMapString(in.readUTF());
            } else {
                throw new Damaged(file + ": not a byol4j checkpoint of this version (header '" + magic
                        + "', expected '" + MAGIC + "')");
            }
            length = new Length(in.readInt(), in.readInt(), in.readDouble());
        } catch (EOFException | java.io.UTFDataFormatException e) {
            throw new Damaged(file + ": truncated or corrupt checkpoint: " + e.getMessage());
        }
        List<String> differences = differences(saved, recipe);
        if (!differences.isEmpty()) {
            throw new IOException(file + ": was written by a different configuration: " + String.join(", ",
                    differences) + ". Use a new checkpoint directory or the same settings.");
        }
        return length;
    }

    /**
     * @param saved the recipe a checkpoint was written for
     * @param now this run's recipe
     * @return each field that differs, as {@code name (saved a, now b)}, in name order; empty when they agree
     */
    static List<String> differences(Map<String, String> saved, Map<String, String> now) {
        List<String> out = new ArrayList<>();
        Set<String> names = new TreeSet<>(saved.keySet());
        names.addAll(now.keySet());
        for (String name : names) {
            String a = saved.containsKey(name) ? saved.get(name) : ADDED_LATER.get(name);
            String b = now.get(name);
            if (!Objects.equals(a, b)) {
                out.add(name + " (saved " + (a == null ? "unset" : a) + ", now " + (b == null ? "unset" : b) + ")");
            }
        }
        return out;
    }

    /** Reads a version-4 header's recipe, written as {@code Map.toString()}: {@code {a=1, b=x}}. */
    private static Map<String, String> parseMapString(String recipe) {
        Map<String, String> out = new TreeMap<>();
        String body = recipe.startsWith("{") && recipe.endsWith("}") ? recipe.substring(1, recipe.length() - 1)
                : recipe;
        for (String pair : body.split(", ")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return out;
    }

    /** A checkpoint file that cannot be read (as opposed to one that belongs to another run). */
    private static final class Damaged extends IOException {
        private static final long serialVersionUID = 1L;

        Damaged(String message) {
            super(message);
        }
    }
}
