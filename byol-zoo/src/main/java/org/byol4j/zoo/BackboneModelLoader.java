package org.byol4j.zoo;

import ai.djl.Application;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.modality.cv.Image;
import ai.djl.repository.MRL;
import ai.djl.repository.Repository;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelLoader;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.Translator;
import ai.djl.util.Progress;
import java.io.IOException;
import org.byol4j.backbone.Backbone;
import org.byol4j.data.PixelImage;
import org.byol4j.engine.OfflineEngine;
import org.byol4j.io.AtomicFiles;
import org.byol4j.nn.Architecture;

/**
 * Loads one zoo artefact as a DJL {@link ZooModel}: reads and validates its {@link ZooArtifact} metadata, checks the
 * parameters' size and sha256 on every load (nothing is trusted from an earlier load or a cache), applies the
 * {@code Criteria} filters to the artefact's properties, and builds the frozen backbone with an
 * {@link EmbeddingTranslator} for the input type asked for ({@link Image} or {@link PixelImage}, to
 * {@code float[]}). Nothing is ever downloaded: the files are in the jar or in a folder of the user's.
 */
final class BackboneModelLoader implements ModelLoader {

    private final ArtifactLocation location;

    BackboneModelLoader(ArtifactLocation location) {
        this.location = location;
    }

    /** An artefact whose metadata and parameters passed every check, with the parameters' bytes. */
    record Verified(ZooArtifact artifact, byte[] parameters) {}

    /**
     * @param location where the artefact's files are
     * @return its metadata and parameters, verified
     * @throws IOException when a file is missing or unreadable
     * @throws MalformedModelException naming the wrong field, or a parameter file that does not match its
     *     recorded size or sha256
     */
    static Verified verify(ArtifactLocation location) throws IOException, MalformedModelException {
        String where = location.uri() + " (" + ZooArtifact.METADATA + ")";
        ZooArtifact a = ZooArtifact.parse(location.read(ZooArtifact.METADATA), where);
        if (!a.artifactId().equals(location.artifactId())) {
            throw new MalformedModelException(where + ": field 'artifactId' must be the folder's name '"
                    + location.artifactId() + "', got '" + a.artifactId() + "'");
        }
        byte[] params = location.read(a.parameters().name());
        String sha = AtomicFiles.sha256(params);
        if (params.length != a.parameters().size() || !sha.equals(a.parameters().sha256())) {
            throw new MalformedModelException(location.uri() + ": parameter file " + a.parameters().name() + " ("
                    + params.length + " bytes, sha256 " + sha + ") does not match its metadata (" + a.parameters().size()
                    + " bytes, sha256 " + a.parameters().sha256() + "): the artefact is corrupt or was tampered with");
        }
        return new Verified(a, params);
    }

    /** {@inheritDoc} */
    @Override
    public String getGroupId() {
        return ByolModelZoo.GROUP_ID;
    }

    /** {@inheritDoc} */
    @Override
    public String getArtifactId() {
        return location.artifactId();
    }

    /** {@inheritDoc} */
    @Override
    public Application getApplication() {
        return Application.CV.ANY;
    }

    /** {@inheritDoc} */
    @Override
    public MRL getMrl() {
        String version = null;
        try {
            version = ZooArtifact.parse(location.read(ZooArtifact.METADATA), location.uri().toString()).version();
        } catch (IOException | MalformedModelException e) {
            // listed without a version; loading it reports the problem
        }
        Repository repo = Repository.newInstance(ByolModelZoo.GROUP_ID, ByolModelZoo.cacheRoot());
        return MRL.model(repo, getApplication(), getGroupId(), getArtifactId(), version, getArtifactId());
    }

    /** {@inheritDoc} */
    @Override
    public <I, O> ZooModel<I, O> loadModel(Criteria<I, O> criteria)
            throws IOException, ModelNotFoundException, MalformedModelException {
        checkTypes(criteria);
        Verified v = verify(location);
        ZooArtifact a = v.artifact();
        if (!a.matches(criteria.getFilters())) {
            throw new ModelNotFoundException(a.coordinates() + " has properties " + a.properties()
                    + ", which do not match the filters " + criteria.getFilters());
        }
        Architecture arch;
        try {
            arch = Architecture.parse(a.properties().get("backbone"), a.preprocessing().channels());
        } catch (IllegalArgumentException e) {
            throw new MalformedModelException(location.uri() + ": field 'properties.backbone': " + e.getMessage(), e);
        }
        Backbone backbone;
        try {
            backbone = Backbone.fromParameters(arch, a.preprocessing().size(), v.parameters(), a.recipe(),
                    a.coordinates());
        } catch (IllegalArgumentException e) {
            throw new MalformedModelException(location.uri() + ": " + e.getMessage(), e);
        }
        if (!backbone.sha256().equals(a.parameters().sha256())) {
            backbone.close();
            throw new MalformedModelException(location.uri() + ": parameters load but do not serialise back to the"
                    + " same bytes (written by an incompatible DJL version?)");
        }
        Model model = Model.newInstance(a.artifactId(), criteria.getDevice(), OfflineEngine.ENGINE_NAME);
        model.setBlock(backbone.inferenceBlock());
        return new BackboneZooModel<>(model, translator(criteria, backbone), backbone, a);
    }

    @SuppressWarnings("unchecked")
    private static <I, O> Translator<I, O> translator(Criteria<I, O> criteria, Backbone backbone) {
        return criteria.getInputClass() == Image.class ? (Translator<I, O>) EmbeddingTranslator.forImages(backbone)
                : (Translator<I, O>) EmbeddingTranslator.forPixelImages(backbone);
    }

    private static void checkTypes(Criteria<?, ?> criteria) throws ModelNotFoundException {
        if (criteria.getOutputClass() == float[].class && (criteria.getInputClass() == Image.class
                || criteria.getInputClass() == PixelImage.class)) {
            return;
        }
        throw new ModelNotFoundException("byol4j backbones embed " + Image.class.getName() + " or "
                + PixelImage.class.getName() + " into float[]; asked for " + criteria.getInputClass().getName()
                + " -> " + criteria.getOutputClass().getName());
    }

    /** {@inheritDoc} */
    @Override
    public <I, O> boolean isDownloaded(Criteria<I, O> criteria) {
        return true;
    }

    /** {@inheritDoc} Nothing to download: the files are local. */
    @Override
    public <I, O> void downloadModel(Criteria<I, O> criteria, Progress progress) {}

    /** @return coordinates, location and, when the metadata reads, the description and properties */
    @Override
    public String toString() {
        try {
            ZooArtifact a = ZooArtifact.parse(location.read(ZooArtifact.METADATA), location.uri().toString());
            return a.coordinates() + " at " + location.uri() + "\n  " + a.description() + "\n  " + a.properties();
        } catch (IOException | MalformedModelException e) {
            return getGroupId() + ":" + getArtifactId() + " at " + location.uri() + " (unreadable metadata: "
                    + e.getMessage() + ")";
        }
    }
}
