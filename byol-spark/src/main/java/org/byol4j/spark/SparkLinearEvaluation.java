package org.byol4j.spark;

import java.util.List;
import java.util.Locale;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.StringIndexerModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The linear evaluation of embeddings with MLlib, as the paper judges features: labels indexed, features
 * standardised, an L2-regularised multinomial logistic regression fitted on the training rows, accuracy and the
 * confusion matrix on the test rows. Rows without an embedding (bad images kept) are left out and counted.
 *
 * @param embeddingCol the column of embeddings
 * @param labelCol the column of labels (text)
 * @param regParam the L2 weight λ of the logistic regression
 * @param maxIter the most L-BFGS iterations
 */
public record SparkLinearEvaluation(String embeddingCol, String labelCol, double regParam, int maxIter) {

    /** The defaults: columns {@code embedding} and {@code label}, λ = 1e-4, 200 iterations. */
    public SparkLinearEvaluation() {
        this("embedding", "label", 1e-4, 200);
    }

    /**
     * What the evaluation found.
     *
     * @param accuracy the share of test rows predicted right
     * @param classes the class names, in the confusion matrix's order
     * @param confusion counts, {@code confusion[true][predicted]}
     * @param trainRows training rows used
     * @param testRows test rows used
     * @param model the fitted pipeline (indexer, scaler, logistic regression)
     */
    public record Result(double accuracy, List<String> classes, long[][] confusion, long trainRows, long testRows,
            PipelineModel model) {

        /** @return the accuracy and the confusion matrix, one row per true class, for people */
        public String describe() {
            StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "linear evaluation (MLlib logistic"
                    + " regression): accuracy %.2f %% on %d test rows (trained on %d)%n", 100 * accuracy, testRows,
                    trainRows));
            s.append(String.format(Locale.ROOT, "%-14s", "true\\predicted"));
            for (int j = 0; j < classes.size(); j++) {
                s.append(String.format(Locale.ROOT, "%7s", abbreviate(classes.get(j))));
            }
            s.append(System.lineSeparator());
            for (int i = 0; i < classes.size(); i++) {
                s.append(String.format(Locale.ROOT, "%-14s", abbreviate(classes.get(i))));
                for (long c : confusion[i]) {
                    s.append(String.format(Locale.ROOT, "%7d", c));
                }
                s.append(System.lineSeparator());
            }
            return s.toString();
        }

        private static String abbreviate(String name) {
            return name.length() <= 6 ? name : name.substring(0, 6);
        }
    }

    /**
     * @param train rows with embeddings and labels to fit on
     * @param test rows to judge on
     * @return accuracy, confusion matrix and the fitted pipeline
     */
    public Result run(Dataset<Row> train, Dataset<Row> test) {
        Dataset<Row> fit = train.filter(train.col(embeddingCol).isNotNull()).cache();
        Dataset<Row> judge = test.filter(test.col(embeddingCol).isNotNull()).cache();
        try {
            StringIndexer indexer = new StringIndexer().setInputCol(labelCol).setOutputCol("labelIndex")
                    .setStringOrderType("alphabetAsc");
            StandardScaler scaler = new StandardScaler().setInputCol(embeddingCol).setOutputCol("scaled")
                    .setWithMean(true).setWithStd(true);
            LogisticRegression lr = new LogisticRegression().setFeaturesCol("scaled").setLabelCol("labelIndex")
                    .setRegParam(regParam).setElasticNetParam(0).setMaxIter(maxIter).setFamily("multinomial");
            PipelineModel model = new Pipeline().setStages(new PipelineStage[] {indexer, scaler, lr}).fit(fit);
            Dataset<Row> predicted = model.transform(judge);
            double accuracy = new MulticlassClassificationEvaluator().setLabelCol("labelIndex")
                    .setPredictionCol("prediction").setMetricName("accuracy").evaluate(predicted);
            List<String> classes = List.of(((StringIndexerModel) model.stages()[0]).labelsArray()[0]);
            long[][] confusion = new long[classes.size()][classes.size()];
            for (Row r : predicted.groupBy("labelIndex", "prediction").count().collectAsList()) {
                confusion[(int) r.getDouble(0)][(int) r.getDouble(1)] = r.getLong(2);
            }
            return new Result(accuracy, classes, confusion, fit.count(), judge.count(), model);
        } finally {
            fit.unpersist();
            judge.unpersist();
        }
    }
}
