package org.byol4j.byol;

import ai.djl.MalformedModelException;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import org.byol4j.io.AtomicFiles;
import org.byol4j.optim.StatefulOptimizer;

/**
 * The complete state of a BYOL run after some step: online and target weights (BatchNorm statistics
 * included), optimiser buffers and the step count. Since the data order and every augmentation are functions
 * of (seed, epoch, position), this is all an exact resume needs. Written atomically to
 * {@code <dir>/checkpoint.bin}; refused on resume when the recipe differs.
 */
final class Checkpoint {

    static final String FILE = "checkpoint.bin";
    private static final String MAGIC = "byol4j-checkpoint/2";

    private Checkpoint() {}

    static Path save(Path dir, String recipe, long step, int totalSteps, ByolNetworks nets,
            StatefulOptimizer optimiser) throws IOException {
        Files.createDirectories(dir);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(MAGIC);
            out.writeUTF(recipe);
            out.writeInt(totalSteps);
            out.writeLong(step);
            nets.save(out);
            optimiser.saveState(out, nets.trainableIds(), nets.trainableArrays());
        }
        Path file = dir.resolve(FILE);
        AtomicFiles.write(file, bytes.toByteArray());
        return file;
    }

    /**
     * The run length K a checkpoint was written for; a time-budgeted run resumes with it instead of measuring
     * its step rate again.
     *
     * @return K, or empty when {@code dir} holds no checkpoint
     * @throws IOException when the file is not a checkpoint of this recipe
     */
    static OptionalInt savedTotalSteps(Path dir, String recipe) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return OptionalInt.empty();
        }
        try (DataInputStream in = open(file)) {
            return OptionalInt.of(readHeader(file, in, recipe));
        } catch (java.io.EOFException e) {
            throw new IOException(file + ": truncated or corrupt checkpoint: " + e.getMessage(), e);
        }
    }

    /**
     * @param totalSteps K of this run, which must be the checkpoint's
     * @return the step restored, or 0 when {@code dir} holds no checkpoint
     */
    static long restore(Path dir, String recipe, int totalSteps, ByolNetworks nets, StatefulOptimizer optimiser)
            throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return 0;
        }
        try (DataInputStream in = open(file)) {
            int saved = readHeader(file, in, recipe);
            if (saved != totalSteps) {
                throw new IOException(file + ": was written for a run of " + saved + " steps, this run has "
                        + totalSteps + ". Use a new checkpoint directory or the same settings.");
            }
            long step = in.readLong();
            nets.load(in);
            optimiser.loadState(in, nets.trainableIds(), nets.manager);
            return step;
        } catch (MalformedModelException | java.io.EOFException e) {
            throw new IOException(file + ": truncated or corrupt checkpoint: " + e.getMessage(), e);
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        return new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)));
    }

    /** Reads and checks the magic and recipe; returns the saved K. */
    private static int readHeader(Path file, DataInputStream in, String recipe) throws IOException {
        String magic = in.readUTF();
        if (!MAGIC.equals(magic)) {
            throw new IOException(file + ": not a byol4j checkpoint of this version (header '" + magic + "', expected '"
                    + MAGIC + "')");
        }
        String saved = in.readUTF();
        if (!saved.equals(recipe)) {
            throw new IOException(file + ": was written by a different configuration; saved " + saved
                    + ", now " + recipe + ". Use a new checkpoint directory or the same settings.");
        }
        return in.readInt();
    }
}
