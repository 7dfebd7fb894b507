package org.byol4j.tribuo;

import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.liblinear.LibLinearClassificationTrainer;
import org.tribuo.classification.liblinear.LinearClassificationType;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.Hinge;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.math.optimisers.AdaGrad;

/**
 * The Tribuo linear classifiers offered for linear evaluation on frozen features (Grill et al. 2020 §4.1
 * trains a logistic regression). Each builds a fresh, seeded Tribuo trainer.
 */
public enum LinearProbe {
    /** Multinomial logistic regression by SGD with AdaGrad (Tribuo's {@code LogisticRegressionTrainer}). */
    LOGISTIC_REGRESSION {
        @Override
        public Trainer<Label> trainer(int epochs, long seed) {
            return new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(1.0, 0.1), epochs, seed);
        }
    },
    /** Linear SVM (one-vs-rest hinge loss) by SGD with AdaGrad. */
    LINEAR_SGD_HINGE {
        @Override
        public Trainer<Label> trainer(int epochs, long seed) {
            return new LinearSGDTrainer(new Hinge(), new AdaGrad(0.1, 0.1), epochs, seed);
        }
    },
    /** LibLinear's L2-regularised logistic regression (C = 1), solved to convergence; {@code epochs} unused. */
    LIBLINEAR {
        @Override
        public Trainer<Label> trainer(int epochs, long seed) {
            return new LibLinearClassificationTrainer(
                    new LinearClassificationType(LinearClassificationType.LinearType.L2R_LR), 1.0, 1000, 0.01, seed);
        }
    };

    /**
     * @param epochs passes over the data (SGD probes)
     * @param seed the trainer's seed
     * @return a new Tribuo trainer
     */
    public abstract Trainer<Label> trainer(int epochs, long seed);
}
