package org.byol4j.finetune;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.BytesValue;
import com.google.protobuf.InvalidProtocolBufferException;
import com.oracle.labs.mlrg.olcut.util.Pair;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.byol4j.backbone.BackbonePreprocessor;
import org.byol4j.data.ImageSource;
import org.byol4j.data.PixelImage;
import org.byol4j.io.AtomicFiles;
import org.byol4j.nn.Architecture;
import org.tribuo.Example;
import org.tribuo.Excuse;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.protos.core.ModelProto;
import org.tribuo.provenance.ModelProvenance;

/**
 * A fine-tuned image classifier: a backbone and a linear head trained end to end by {@link FineTuneTrainer}, as a
 * Tribuo {@link Model}. It predicts from examples of pixel features (its {@link ImageConverter} turns them back into
 * images, which are then adapted to the backbone's channels and size as embedding does), with a probability for
 * every class, in batches. Its weights live off-heap once it first predicts: close it to free them (it opens them
 * again if used after).
 *
 * <p>Files: {@link #save(Path)} writes a header with the sha256 of the whole serialised model, atomically;
 * {@link #load(Path)} refuses a truncated or altered file, naming it, and deserialises through an allow-list of
 * packages. Tribuo's own serialisation works too: {@code serializeToFile} / {@code Model.deserializeFromFile} carry the
 * same checked bytes in Tribuo's model proto, and plain Java serialisation checks the weights' sha256 on reading.
 */
public final class FineTunedModel extends Model<Label> implements AutoCloseable {

    private static final long serialVersionUID = 1L;

    /** The version of {@link #serialize()}'s proto. */
    public static final int CURRENT_VERSION = 0;

    /** First line of a model file. */
    static final String MAGIC = "byol4j-finetuned-model/1";
    private static final int BATCH = 256;

    private final String architecture;
    private final int inputChannels;
    private final int imageSize;
    private final byte[] backboneParameters;
    private final byte[] headParameters;
    private final String weightsSha256;
    private final ImageConverter converter;
    private final String startingBackbone;
    private transient FineTuneNetwork network;

    FineTunedModel(String name, ModelProvenance provenance, ImmutableFeatureMap features,
            ImmutableOutputInfo<Label> outputs, Architecture architecture, int imageSize, byte[] backboneParameters,
            byte[] headParameters, ImageConverter converter, String startingBackbone) {
        super(name, provenance, features, outputs, true);
        this.architecture = architecture.name();
        this.inputChannels = architecture.inputChannels();
        this.imageSize = imageSize;
        this.backboneParameters = backboneParameters.clone();
        this.headParameters = headParameters.clone();
        this.weightsSha256 = weightsSha256(backboneParameters, headParameters);
        this.converter = converter;
        this.startingBackbone = startingBackbone;
    }

    /** @return the backbone it started from: zoo coordinates or a folder, with the sha256 of its weights */
    public String startingBackbone() {
        return startingBackbone;
    }

    /** @return sha256 of the fine-tuned weights (backbone then head, in DJL's format) */
    public String weightsSha256() {
        return weightsSha256;
    }

    /** @return the converter from pixel features to images */
    public ImageConverter imageConverter() {
        return converter;
    }

    /** {@inheritDoc} */
    @Override
    public Prediction<Label> predict(Example<Label> example) {
        return innerPredict(List.of(example)).get(0);
    }

    /**
     * Predicts images directly: each becomes an example of this model's pixel features
     * ({@link ImageConverter#toExample}: channels adapted, centre-cropped and resized to a square converter's side).
     *
     * @param images any images
     * @return one prediction per image, in source order
     */
    public List<Prediction<Label>> predict(ImageSource images) {
        List<Prediction<Label>> out = new ArrayList<>(images.size());
        List<Example<Label>> batch = new ArrayList<>(BATCH);
        for (int i = 0; i < images.size(); i++) {
            batch.add(converter.toExample(images.image(i), LabelFactory.UNKNOWN_LABEL, "image " + i + " of "
                    + images.description()));
            if (batch.size() == BATCH || i == images.size() - 1) {
                out.addAll(predictBatch(batch, out.size()));
                batch.clear();
            }
        }
        return out;
    }

    /** Predicts {@value #BATCH} examples per forward pass. */
    @Override
    protected List<Prediction<Label>> innerPredict(Iterable<Example<Label>> examples) {
        List<Prediction<Label>> out = new ArrayList<>();
        List<Example<Label>> batch = new ArrayList<>(BATCH);
        Iterator<Example<Label>> it = examples.iterator();
        while (it.hasNext()) {
            batch.add(it.next());
            if (batch.size() == BATCH || !it.hasNext()) {
                out.addAll(predictBatch(batch, out.size()));
                batch.clear();
            }
        }
        return out;
    }

    private List<Prediction<Label>> predictBatch(List<Example<Label>> batch, int offset) {
        BackbonePreprocessor preprocessor = new BackbonePreprocessor(inputChannels, imageSize);
        int per = inputChannels * imageSize * imageSize;
        float[] pixels = new float[batch.size() * per];
        int[] used = new int[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            Example<Label> e = batch.get(i);
            PixelImage img = converter.convert(e, "example " + (offset + i));
            preprocessor.apply(img).copyTo(pixels, i * per);
            used[i] = e.size();
        }
        float[] probabilities;
        int classes = outputIDInfo.size();
        synchronized (this) {
            FineTuneNetwork net = network();
            try (NDManager step = net.manager().newSubManager()) {
                NDArray x = step.create(pixels, new Shape(batch.size(), inputChannels, imageSize, imageSize));
                probabilities = net.logits(new ParameterStore(step, false), x, false).softmax(1).toFloatArray();
            }
        }
        List<Prediction<Label>> out = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            Map<String, Label> scores = new LinkedHashMap<>();
            Label best = null;
            for (int k = 0; k < classes; k++) {
                String labelName = outputIDInfo.getOutput(k).getLabel();
                Label scored = new Label(labelName, probabilities[i * classes + k]);
                scores.put(labelName, scored);
                if (best == null || scored.getScore() > best.getScore()) {
                    best = scored;
                }
            }
            out.add(new Prediction<>(best, scores, used[i], batch.get(i), true));
        }
        return out;
    }

    private FineTuneNetwork network() {
        if (network == null) {
            FineTuneNetwork net = new FineTuneNetwork(Architecture.parse(architecture, inputChannels), imageSize,
                    backboneParameters, outputIDInfo.size(), 0, 0);
            try {
                net.head().loadParameters(net.manager(), new DataInputStream(new ByteArrayInputStream(
                        headParameters)));
            } catch (IOException | MalformedModelException e) {
                net.close();
                throw new IllegalStateException("the head's weights do not fit " + outputIDInfo.size() + " classes: "
                        + e.getMessage(), e);
            }
            net.backbone().freezeParameters(true); // inference only: no autograd graph kept for predictions
            net.head().freezeParameters(true);
            network = net;
        }
        return network;
    }

    /** A network has no per-feature weights to rank: empty. */
    @Override
    public Map<String, List<Pair<String, Double>>> getTopFeatures(int n) {
        return Map.of();
    }

    /** Not explained: empty. */
    @Override
    public Optional<Excuse<Label>> getExcuse(Example<Label> example) {
        return Optional.empty();
    }

    /** {@inheritDoc} */
    @Override
    protected FineTunedModel copy(String newName, ModelProvenance newProvenance) {
        return new FineTunedModel(newName, newProvenance, featureIDMap, outputIDInfo,
                Architecture.parse(architecture, inputChannels), imageSize, backboneParameters, headParameters,
                converter, startingBackbone);
    }

    /**
     * Tribuo's protobuf form ({@code serializeToFile}, {@code Model.deserializeFromFile}): the bytes {@link #save}
     * writes, checksum header included, as a {@code BytesValue} in the model proto.
     */
    @Override
    public ModelProto serialize() {
        return ModelProto.newBuilder().setVersion(CURRENT_VERSION).setClassName(FineTunedModel.class.getName())
                .setSerializedData(Any.pack(BytesValue.of(ByteString.copyFrom(fileBytes())))).build();
    }

    /**
     * Tribuo's protobuf deserialisation entry point (called by {@code Model.deserialize}).
     *
     * @param version the proto's version
     * @param className the class name it records
     * @param message the serialised data
     * @return the model
     * @throws IllegalArgumentException when the version is newer than this class reads, or the data is truncated or
     *     altered
     * @throws InvalidProtocolBufferException when the message is not this model's
     */
    public static FineTunedModel deserializeFromProto(int version, String className, Any message)
            throws InvalidProtocolBufferException {
        if (version < 0 || version > CURRENT_VERSION) {
            throw new IllegalArgumentException("unknown FineTunedModel proto version " + version + " (this class reads"
                    + " up to " + CURRENT_VERSION + ")");
        }
        byte[] bytes = message.unpack(BytesValue.class).getValue().toByteArray();
        try {
            return fromBytes(bytes, "Tribuo protobuf message of " + className);
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** Frees the weights' off-heap copy (the model stays usable: it makes a new one when it next predicts). */
    @Override
    public synchronized void close() {
        if (network != null) {
            network.close();
            network = null;
        }
    }

    /**
     * Writes the model atomically: a header line, the sha256 of the serialised model, then the model.
     *
     * @param file the model file
     * @throws IOException on write failure (an existing file is left as it was)
     */
    public void save(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        AtomicFiles.write(file, fileBytes());
    }

    /** @return a header line, the sha256 of the serialised model, then the model */
    private byte[] fileBytes() {
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(payload)) {
            out.writeObject(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] body = payload.toByteArray();
        byte[] header = (MAGIC + "\n" + AtomicFiles.sha256(body) + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] all = Arrays.copyOf(header, header.length + body.length);
        System.arraycopy(body, 0, all, header.length, body.length);
        return all;
    }

    /**
     * Reads a model written by {@link #save(Path)}.
     *
     * @param file the model file
     * @return the model
     * @throws IOException naming the file when it is missing, not a model file, truncated or altered
     */
    public static FineTunedModel load(Path file) throws IOException {
        try {
            return fromBytes(Files.readAllBytes(file), file.toString());
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such model file", e);
        }
    }

    private static FineTunedModel fromBytes(byte[] all, String origin) throws IOException {
        int first = indexOf(all, 0);
        int second = first < 0 ? -1 : indexOf(all, first + 1);
        if (second < 0 || !new String(all, 0, first, StandardCharsets.US_ASCII).equals(MAGIC)) {
            throw new IOException(origin + ": not a byol4j fine-tuned model (expected a file written by"
                    + " FineTunedModel.save, starting with " + MAGIC + ")");
        }
        String expected = new String(all, first + 1, second - first - 1, StandardCharsets.US_ASCII);
        byte[] body = Arrays.copyOfRange(all, second + 1, all.length);
        String actual = AtomicFiles.sha256(body);
        if (!actual.equals(expected)) {
            throw new IOException(origin + ": sha256 " + actual + " of the model does not match " + expected
                    + " in its header (truncated or altered file)");
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(body))) {
            in.setObjectInputFilter(ObjectInputFilter.Config.createFilter(
                    "org.byol4j.**;org.tribuo.**;com.oracle.labs.mlrg.olcut.**;java.**;!*"));
            Object model = in.readObject();
            if (!(model instanceof FineTunedModel)) {
                throw new IOException(origin + ": holds a " + model.getClass().getName() + ", not a FineTunedModel");
            }
            return (FineTunedModel) model;
        } catch (ClassNotFoundException | IOException | ClassCastException e) {
            throw new IOException(origin + ": cannot read the model: " + e.getMessage(), e);
        }
    }

    private static int indexOf(byte[] bytes, int from) {
        for (int i = from; i < Math.min(bytes.length, from + 200); i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        if (!weightsSha256(backboneParameters, headParameters).equals(weightsSha256)) {
            throw new InvalidObjectException("the fine-tuned weights do not match their sha256 " + weightsSha256);
        }
    }

    private static String weightsSha256(byte[] backbone, byte[] head) {
        MessageDigest digest = AtomicFiles.newSha256();
        digest.update(backbone);
        digest.update(head);
        return HexFormat.of().formatHex(digest.digest());
    }
}
