package org.byol4j.data;

import java.util.List;

/** An {@link ImageSource} whose images each carry one class name, for linear and kNN evaluation. */
public interface LabelledImageSource extends ImageSource {

    /**
     * @param index in [0, size)
     * @return the class name of that image, one of {@link #classNames()}
     */
    String label(int index);

    /** @return every class name, in the documented order of the source (index = class id) */
    List<String> classNames();
}
