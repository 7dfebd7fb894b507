package org.byol4j.backbone;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.byol4j.data.ImageSource;
import org.byol4j.data.PixelImage;
import org.byol4j.engine.OfflineEngine;
import org.byol4j.io.AtomicFiles;
import org.byol4j.nn.Architecture;
import org.byol4j.nn.FiniteCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A trained feature extractor: a backbone {@link Architecture} (the online f after pretraining — never a target
 * network, see lightly #1471) with its weights, input size and the recipe that produced it. It embeds images in
 * inference mode (BatchNorm running statistics; through the architecture's faster inference form of the same
 * function, {@link #inferenceBlock()}), after its {@link BackbonePreprocessor}; it saves to and loads
 * from the directory format of {@link BackboneFiles}. Owns an NDManager: close it.
 */
public final class Backbone implements AutoCloseable {

    private static final Logger LOGGER = LoggerFactory.getLogger(Backbone.class);
    /** Largest difference, relative to the largest feature (or 1), between a block and its inference form. */
    private static final double INFERENCE_TOLERANCE = 1e-3;
    private static final long PROBE_SEED = 20201206L;

    private final Architecture architecture;
    private final int imageSize;
    private final Block block;
    private final Block inference;
    private final NDManager manager;
    private final Map<String, String> recipe;
    private final String sha256;
    private final String artifact;
    private final BackbonePreprocessor preprocessor;
    private final ClassifierHead head;

    private Backbone(Architecture architecture, int imageSize, Block block, NDManager manager,
            Map<String, String> recipe, String sha256, String artifact, ClassifierHead head) {
        this.architecture = architecture;
        this.imageSize = imageSize;
        this.block = block;
        this.inference = inferenceForm(architecture, imageSize, block, manager);
        this.manager = manager;
        this.recipe = Map.copyOf(recipe);
        this.sha256 = sha256;
        this.artifact = artifact;
        this.preprocessor = new BackbonePreprocessor(architecture.inputChannels(), imageSize);
        this.head = head;
    }

    /**
     * The architecture's inference form of the block ({@link Architecture#inferenceBlock}), checked on two fixed
     * images against the block itself; the block itself where the two disagree or the form cannot be built here,
     * with a warning. The probe images come from a fixed {@link Random}, never the engine's generator, so that
     * building a backbone during training (a snapshot) does not change what training draws next.
     */
    private static Block inferenceForm(Architecture architecture, int imageSize, Block block, NDManager manager) {
        Block candidate;
        try {
            candidate = architecture.inferenceBlock(block, manager);
        } catch (RuntimeException e) {
            LOGGER.warn("{}: embedding with the trained block, its inference form failed to build: {}", architecture,
                    e.toString());
            return block;
        }
        if (candidate == block) {
            return block;
        }
        int c = architecture.inputChannels();
        float[] pixels = new float[2 * c * imageSize * imageSize];
        Random random = new Random(PROBE_SEED);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = random.nextFloat();
        }
        try (NDManager probe = manager.newSubManager()) {
            NDList x = new NDList(probe.create(pixels, new Shape(2, c, imageSize, imageSize)));
            float[] expected = block.forward(new ParameterStore(probe, false), x, false).singletonOrThrow()
                    .toFloatArray();
            float[] actual = candidate.forward(new ParameterStore(probe, false), x, false).singletonOrThrow()
                    .toFloatArray();
            double scale = 0;
            double diff = 0;
            for (int i = 0; i < expected.length; i++) {
                scale = Math.max(scale, Math.abs(expected[i]));
                diff = Math.max(diff, Math.abs(expected[i] - actual[i]));
            }
            if (diff <= INFERENCE_TOLERANCE * Math.max(1, scale)) {
                return candidate;
            }
            LOGGER.warn("{}: embedding with the trained block, its inference form differs by {} on a probe",
                    architecture, diff);
        } catch (RuntimeException e) {
            LOGGER.warn("{}: embedding with the trained block, its inference form failed on a probe: {}", architecture,
                    e.toString());
        }
        return block;
    }

    /**
     * Copies a trained block's weights into a new, independent backbone.
     *
     * @param architecture the block's architecture
     * @param imageSize input side in pixels
     * @param trained the trained block (not retained)
     * @param recipe how it was trained (method, epochs, optimiser, ...)
     * @return the backbone
     */
    public static Backbone copyOf(Architecture architecture, int imageSize, Block trained, Map<String, String> recipe) {
        return fromParams(architecture, imageSize, parametersOf(trained), recipe, null, null);
    }

    /**
     * Copies a trained block's weights, with the classifier head trained with it (joint training), into a new,
     * independent backbone.
     *
     * @param architecture the block's architecture
     * @param imageSize input side in pixels
     * @param trained the trained block (not retained)
     * @param recipe how it was trained
     * @param head the classifier head, or null
     * @return the backbone
     */
    public static Backbone copyOf(Architecture architecture, int imageSize, Block trained, Map<String, String> recipe,
            ClassifierHead head) {
        return fromParams(architecture, imageSize, parametersOf(trained), recipe, null, head);
    }

    /**
     * A freshly initialised backbone (Kaiming, as torchvision): the baseline any pretraining has to beat in a
     * linear or kNN evaluation.
     *
     * @param architecture the architecture
     * @param imageSize input side in pixels
     * @param seed the engine seed used for the initialisation
     * @return the backbone, with recipe {@code method=random-init}
     */
    public static Backbone randomInit(Architecture architecture, int imageSize, int seed) {
        OfflineEngine.seed(seed);
        try (NDManager m = OfflineEngine.get().newBaseManager()) {
            Block b = architecture.newBlock();
            b.initialize(m, DataType.FLOAT32, new Shape(1, architecture.inputChannels(), imageSize, imageSize));
            return copyOf(architecture, imageSize, b, Map.of("method", "random-init", "seed",
                    Integer.toString(seed)));
        }
    }

    /**
     * A backbone from parameters in DJL's format, as {@link #parameters()} returns them: how a model zoo or any
     * other store that keeps its own metadata builds one.
     *
     * @param architecture the architecture the parameters belong to
     * @param imageSize input side in pixels
     * @param parameters the serialised parameters
     * @param recipe how it was trained
     * @param artifact zoo coordinates {@code groupId:artifactId:version}, or null
     * @return the backbone, whose {@link #sha256()} is that of {@code parameters} when they were written by
     *     {@link #parameters()}
     * @throws IllegalArgumentException when the parameters do not fit the architecture, or hold NaN or infinite values
     */
    public static Backbone fromParameters(Architecture architecture, int imageSize, byte[] parameters,
            Map<String, String> recipe, String artifact) {
        return fromParams(architecture, imageSize, parameters, recipe, artifact, null);
    }

    /**
     * As {@link #fromParameters(Architecture, int, byte[], Map, String)}, with a classifier head trained with it.
     *
     * @param architecture the architecture the parameters belong to
     * @param imageSize input side in pixels
     * @param parameters the serialised parameters
     * @param recipe how it was trained
     * @param artifact zoo coordinates, or null
     * @param head the classifier head, or null
     * @return the backbone
     */
    public static Backbone fromParameters(Architecture architecture, int imageSize, byte[] parameters,
            Map<String, String> recipe, String artifact, ClassifierHead head) {
        return fromParams(architecture, imageSize, parameters, recipe, artifact, head);
    }

    /** @return the parameters in DJL's format, the bytes whose sha256 is {@link #sha256()} */
    public byte[] parameters() {
        return parametersOf(block);
    }

    /**
     * Builds a frozen block from serialised parameters, refusing any that hold NaN or ∞ (every way to build a backbone
     * passes here, so one with non-finite values can be neither returned by training nor saved, exported or loaded).
     * The checksum is taken over the block's own
     * re-serialisation, the bytes {@link #save(Path)} writes: a block fresh from training serialises
     * differently from the same weights loaded into a new block, so hashing the input would not match the file.
     */
    private static Backbone fromParams(Architecture arch, int imageSize, byte[] params, Map<String, String> recipe,
            String artifact, ClassifierHead head) {
        NDManager manager = OfflineEngine.get().newBaseManager();
        Block block;
        List<String> nonFinite;
        try {
            block = arch.newBlock();
            block.initialize(manager, DataType.FLOAT32, new Shape(1, arch.inputChannels(), imageSize, imageSize));
            block.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(params)));
            block.freezeParameters(true);
            nonFinite = FiniteCheck.nonFiniteParameters(block);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            manager.close();
            throw new IllegalArgumentException("parameters do not fit " + arch + ": " + e.getMessage(), e);
        }
        if (!nonFinite.isEmpty()) {
            manager.close();
            throw new IllegalArgumentException(String.format(Locale.ROOT, "refusing a %s backbone whose parameters"
                    + " hold NaN or infinite values: %d of its arrays (first: %s); a backbone with non-finite weights"
                    + " or BatchNorm statistics is never built, saved or exported", arch, nonFinite.size(),
                    String.join(", ", nonFinite.subList(0, Math.min(3, nonFinite.size())))));
        }
        return new Backbone(arch, imageSize, block, manager, recipe, AtomicFiles.sha256(parametersOf(block)),
                artifact, head);
    }

    /**
     * Loads a backbone directory, verifying the parameters' sha256 against the metadata ({@link BackboneFiles}).
     *
     * @param dir a directory written by {@link #save(Path)}
     * @return the backbone
     * @throws IOException when a file is missing, malformed or does not match its checksum (named in the message)
     */
    public static Backbone load(Path dir) throws IOException {
        return BackboneFiles.load(dir);
    }

    /**
     * Writes this backbone to {@code dir} (created if needed) in the zoo format, crash-safely
     * ({@link BackboneFiles}).
     *
     * @param dir target directory
     * @throws IOException on write failure
     */
    public void save(Path dir) throws IOException {
        BackboneFiles.save(this, dir, artifact);
    }

    /**
     * Writes this backbone as a published artefact: like {@link #save(Path)}, with its coordinates recorded in
     * the metadata, so that a backbone loaded from it names them in provenance.
     *
     * @param dir target directory
     * @param artifact {@code groupId:artifactId:version}, or null for a local backbone
     * @throws IOException on write failure
     */
    public void save(Path dir, String artifact) throws IOException {
        BackboneFiles.save(this, dir, artifact);
    }

    /**
     * Embeds every image of a source, {@code batchSize} images per forward pass.
     *
     * @param images the source
     * @param batchSize images per pass, ≥ 1
     * @return one feature vector per image, in source order
     */
    public float[][] embed(ImageSource images, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        float[][] out = new float[images.size()][];
        for (int start = 0; start < images.size(); start += batchSize) {
            int end = Math.min(images.size(), start + batchSize);
            List<PixelImage> batch = new ArrayList<>(end - start);
            for (int i = start; i < end; i++) {
                batch.add(images.image(i));
            }
            System.arraycopy(embed(batch), 0, out, start, end - start);
        }
        return out;
    }

    /**
     * Embeds images in inference mode.
     *
     * @param images any sizes, 1 or 3 channels
     * @return one feature vector of length {@link #featureDim()} per image
     */
    public float[][] embed(List<PixelImage> images) {
        float[][] out = new float[images.size()][];
        if (images.isEmpty()) {
            return out;
        }
        int c = architecture.inputChannels();
        int per = c * imageSize * imageSize;
        float[] batch = new float[images.size() * per];
        for (int i = 0; i < images.size(); i++) {
            preprocess(images.get(i)).copyTo(batch, i * per);
        }
        try (NDManager step = manager.newSubManager()) {
            NDArray x = step.create(batch, new Shape(images.size(), c, imageSize, imageSize));
            NDArray y = inference.forward(new ParameterStore(step, false), new NDList(x), false).singletonOrThrow();
            float[] flat = y.toFloatArray();
            int d = architecture.featureDim();
            for (int i = 0; i < out.length; i++) {
                out[i] = java.util.Arrays.copyOfRange(flat, i * d, (i + 1) * d);
            }
        }
        return out;
    }

    /**
     * The input policy of {@link #embed} ({@link BackbonePreprocessor}): adapt channels, centre-crop to a square
     * and resize to the input size.
     *
     * @param img any image
     * @return the image the network sees
     */
    public PixelImage preprocess(PixelImage img) {
        return preprocessor.apply(img);
    }

    /** @return the architecture */
    public Architecture architecture() {
        return architecture;
    }

    /** @return the input side in pixels */
    public int imageSize() {
        return imageSize;
    }

    /** @return the length of each embedding */
    public int featureDim() {
        return architecture.featureDim();
    }

    /** @return how the backbone was trained (method, epochs, batch, optimiser, τ_base, ...) */
    public Map<String, String> recipe() {
        return recipe;
    }

    /** @return the zoo coordinates {@code groupId:artifactId:version} this backbone was published as, or null */
    public String artifact() {
        return artifact;
    }

    /** @return the classifier head trained with this backbone (joint training), if any */
    public java.util.Optional<ClassifierHead> classifierHead() {
        return java.util.Optional.ofNullable(head);
    }

    /** @return hex sha256 of the parameter file */
    public String sha256() {
        return sha256;
    }

    /** @return the underlying DJL block (frozen), with the backbone's parameters; owned by this backbone */
    public Block block() {
        return block;
    }

    /**
     * @return the block {@link #embed} runs: {@link #block()} in its inference form
     *     ({@link Architecture#inferenceBlock}: for a ResNet, each convolution with its BatchNorm folded in), the same
     *     function in inference mode to float rounding; owned by this backbone, never for training
     */
    public Block inferenceBlock() {
        return inference;
    }

    /** Frees the weights. */
    @Override
    public void close() {
        manager.close();
    }

    /**
     * @param block any initialised block
     * @return its parameters in DJL's format, as {@link #parameters()} writes a backbone's
     */
    public static byte[] parametersOf(Block block) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            block.saveParameters(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

}
