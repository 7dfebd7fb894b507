package org.byol4j.tribuo;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.byol4j.data.LabelledImageSource;
import org.tribuo.DataSource;
import org.tribuo.Example;
import org.tribuo.Output;
import org.tribuo.OutputFactory;
import org.tribuo.provenance.DataSourceProvenance;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * Labelled images as Tribuo {@link Example}s of their raw pixels ({@code px-0000} …, channel-major): the
 * baseline an embedding has to beat with the same classifier.
 *
 * @param <T> the output type
 */
public final class PixelDataSource<T extends Output<T>> implements DataSource<T> {

    private final List<Example<T>> examples;
    private final OutputFactory<T> outputFactory;
    private final DataSourceProvenance provenance;

    /**
     * @param images labelled images, all of one size
     * @param outputFactory e.g. {@code new LabelFactory()}
     */
    public PixelDataSource(LabelledImageSource images, OutputFactory<T> outputFactory) {
        List<Example<T>> out = new ArrayList<>(images.size());
        String[] names = null;
        for (int i = 0; i < images.size(); i++) {
            float[] px = images.image(i).pixels();
            if (names == null) {
                names = DenseFeatures.names("px", px.length);
            } else if (px.length != names.length) {
                throw new IllegalArgumentException(images.description() + ": image " + i + " has " + px.length
                        + " values, the first had " + names.length + "; raw pixels need one size");
            }
            out.add(DenseFeatures.example(outputFactory.generateOutput(images.label(i)), names, px));
        }
        this.examples = Collections.unmodifiableList(out);
        this.outputFactory = outputFactory;
        this.provenance = new SimpleDataSourceProvenance("raw pixels of " + images.description(), outputFactory);
    }

    /** {@inheritDoc} */
    @Override
    public OutputFactory<T> getOutputFactory() {
        return outputFactory;
    }

    /** {@inheritDoc} */
    @Override
    public DataSourceProvenance getProvenance() {
        return provenance;
    }

    /** {@inheritDoc} */
    @Override
    public Iterator<Example<T>> iterator() {
        return examples.iterator();
    }
}
