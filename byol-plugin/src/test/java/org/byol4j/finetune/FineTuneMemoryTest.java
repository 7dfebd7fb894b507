package org.byol4j.finetune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.byol4j.engine.LiveArrays;
import org.byol4j.spi.PretrainingListener;
import org.byol4j.spi.TrainingProgress;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Dataset;
import org.tribuo.classification.Label;

/**
 * Fine-tuning and prediction close every scope they open: the engine's count of live arrays is the same after every
 * step of a run, and back where it started once the model is closed, however often it trains and predicts.
 */
class FineTuneMemoryTest {

    @BeforeAll
    static void backbone(@TempDir Path dir) throws IOException {
        FineTuneTrainerTest.writeBackbone(dir);
    }

    @Test
    void liveArraysStayFlatAcrossStepsAndReturnToTheStartAfterClose() {
        Dataset<Label> train = FineTuneTrainerTest.dataset(64, 1);
        Dataset<Label> test = FineTuneTrainerTest.dataset(40, 2);
        List<Integer> perStep = new ArrayList<>();
        PretrainingListener counter = new PretrainingListener() {
            @Override
            public void onStep(TrainingProgress p) {
                if (p.step() >= 3) {
                    perStep.add(LiveArrays.count());
                }
            }
        };
        FineTuneTrainer trainer = FineTuneTrainerTest.trainer().withSteps(30).withListener(counter);
        int before = LiveArrays.count();
        for (int run = 0; run < 3; run++) {
            perStep.clear();
            try (FineTunedModel model = trainer.train(train)) {
                assertEquals(1, perStep.stream().distinct().count(), "live arrays per step, run " + run + ": "
                        + perStep);
                int afterTraining = LiveArrays.count();
                for (int i = 0; i < 5; i++) {
                    model.predict(test);
                }
                int afterPredicting = LiveArrays.count();
                model.predict(test);
                assertEquals(afterPredicting, LiveArrays.count(), "prediction leaves nothing behind");
                assertTrue(afterPredicting >= afterTraining, "the model's weights opened on first use");
            }
            assertEquals(before, LiveArrays.count(), "run " + run + ": everything freed once the model is closed");
        }
    }
}
