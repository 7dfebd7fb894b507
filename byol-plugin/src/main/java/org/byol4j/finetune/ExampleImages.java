package org.byol4j.finetune;

import org.byol4j.data.ImageSource;
import org.byol4j.data.PixelImage;
import org.tribuo.Dataset;
import org.tribuo.classification.Label;

/**
 * The images of a Tribuo dataset of pixel features, converted on demand by an {@link ImageConverter}, with each
 * example's class id in the dataset's output domain.
 */
final class ExampleImages implements ImageSource {

    private final Dataset<Label> dataset;
    private final ImageConverter converter;

    ExampleImages(Dataset<Label> dataset, ImageConverter converter) {
        this.dataset = dataset;
        this.converter = converter;
    }

    /** @return the class id of every example, in dataset order */
    int[] labels() {
        int[] ids = new int[dataset.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = dataset.getOutputIDInfo().getID(dataset.getExample(i).getOutput());
        }
        return ids;
    }

    @Override
    public int size() {
        return dataset.size();
    }

    @Override
    public int channels() {
        return converter.channels();
    }

    @Override
    public PixelImage image(int index) {
        return converter.convert(dataset.getExample(index), "example " + index + " of " + description());
    }

    @Override
    public String description() {
        return "a Tribuo dataset of " + dataset.size() + " examples (" + dataset.getSourceDescription() + ")";
    }
}
