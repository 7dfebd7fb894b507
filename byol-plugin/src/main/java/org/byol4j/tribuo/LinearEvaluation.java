package org.byol4j.tribuo;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.transform.Transformation;
import org.tribuo.DataSource;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.evaluation.LabelEvaluation;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.classification.sgd.linear.LogisticRegressionTrainer;
import org.tribuo.transform.TransformTrainer;
import org.tribuo.transform.TransformationMap;
import org.tribuo.transform.transformations.MeanStdDevTransformation;

/**
 * Linear evaluation, the protocol of Grill et al. 2020 §4.1 on frozen features: a linear classifier trained
 * on train features, accuracy and confusion matrix on test features, through Tribuo's {@link LabelEvaluator}.
 * Features are standardised (mean 0, std 1, fitted on train) before the classifier; features that are
 * constant on the training set (a border pixel that is always 0) are left as they are, since Tribuo's
 * standardiser would divide by a zero deviation.
 */
public final class LinearEvaluation {

    private final Trainer<Label> classifier;

    /** @param classifier any Tribuo classification trainer; it is wrapped with standardisation */
    public LinearEvaluation(Trainer<Label> classifier) {
        this.classifier = classifier;
    }

    /** Logistic regression with Tribuo's defaults (AdaGrad). */
    public LinearEvaluation() {
        this(new LogisticRegressionTrainer());
    }

    /** The trained probe and its test evaluation. */
    public record Result(Model<Label> model, LabelEvaluation evaluation) {
        /** @return test accuracy in [0, 1] */
        public double accuracy() {
            return evaluation.accuracy();
        }
    }

    /**
     * @param train training features
     * @param test test features
     * @return the probe and its evaluation on {@code test}
     */
    public Result run(DataSource<Label> train, DataSource<Label> test) {
        MutableDataset<Label> data = new MutableDataset<>(train);
        Model<Label> model = new TransformTrainer<>(classifier, standardiseVarying(data)).train(data);
        LabelEvaluation evaluation = new LabelEvaluator().evaluate(model, new MutableDataset<>(test));
        return new Result(model, evaluation);
    }

    private static TransformationMap standardiseVarying(MutableDataset<Label> data) {
        Map<String, double[]> firstAndVaries = new HashMap<>();
        for (Example<Label> example : data) {
            for (Feature f : example) {
                double[] state = firstAndVaries.computeIfAbsent(f.getName(), k -> new double[] {f.getValue(), 0});
                if (state[0] != f.getValue()) {
                    state[1] = 1;
                }
            }
        }
        Map<String, List<Transformation>> perFeature = new HashMap<>();
        for (Map.Entry<String, double[]> e : firstAndVaries.entrySet()) {
            if (e.getValue()[1] == 1) {
                perFeature.put(e.getKey(), List.of(new MeanStdDevTransformation()));
            }
        }
        return new TransformationMap(perFeature);
    }
}
