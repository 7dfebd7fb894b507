package org.byol4j.byol;

import static org.byol4j.byol.ByolConfig.PREDICTOR_LEARNING_RATE_SCALE;
import static org.byol4j.byol.ByolConfig.TAU_BASE;
import static org.byol4j.method.PretrainingConfig.BACKBONE;
import static org.byol4j.method.PretrainingConfig.BASE_LEARNING_RATE;
import static org.byol4j.method.PretrainingConfig.BATCH_SIZE;
import static org.byol4j.method.PretrainingConfig.BLUR_SIGMA_MAX;
import static org.byol4j.method.PretrainingConfig.CROP_SCALE_MIN;
import static org.byol4j.method.PretrainingConfig.EPOCHS;
import static org.byol4j.method.PretrainingConfig.IMAGE_SIZE;
import static org.byol4j.method.PretrainingConfig.INPUT_CHANNELS;
import static org.byol4j.method.PretrainingConfig.OPTIMISER;
import static org.byol4j.method.PretrainingConfig.SCHEDULE_STEPS;
import static org.byol4j.method.PretrainingConfig.SCHEDULE_STRETCH;
import static org.byol4j.method.PretrainingConfig.TIME_BUDGET_SECONDS;
import static org.byol4j.method.PretrainingConfig.TOTAL_STEPS;
import static org.byol4j.method.PretrainingConfig.TRUST_COEFFICIENT;
import static org.byol4j.method.PretrainingConfig.VIEW_SCALE;
import static org.byol4j.method.PretrainingConfig.WARMUP_EPOCHS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.MapProvenance;
import java.util.List;
import java.util.Map;
import org.byol4j.options.InvalidOptionException;
import org.byol4j.method.OptimiserKind;
import org.byol4j.pretrain.Pretrainer;
import org.byol4j.simclr.SimClrConfig;
import org.byol4j.method.PretrainingConfig;
import org.byol4j.spi.RepresentationTrainers;
import org.junit.jupiter.api.Test;

class ByolConfigTest {

    @Test
    void anOlcutConfigurationFileBuildsTheRecipe() {
        ConfigurationManager cm = new ConfigurationManager("/org/byol4j/byol/byol-config.xml");
        ByolConfig c = (ByolConfig) cm.lookup("byol");
        assertEquals("resnet18-small-w0.5", c.backbone().name());
        assertEquals(200, c.get(EPOCHS));
        assertEquals(OptimiserKind.SGD, c.get(OPTIMISER));
        assertEquals(0.99, c.get(TAU_BASE), 0);
        assertEquals(-1, ByolConfig.builder().build().get(TAU_BASE), 0, "derived from the run length by default");
        assertEquals("ByolConfig", c.getProvenance().getClassName().replaceAll(".*\\.", ""));
    }

    @Test
    void anOlcutConfigurationRecordsEveryOptionInItsProvenanceAndRefusesAnUnknownOne() {
        ByolConfig c = (ByolConfig) new ConfigurationManager("/org/byol4j/byol/byol-config.xml").lookup("byol");
        MapProvenance<?> options = (MapProvenance<?>) c.getProvenance().getConfiguredParameters().get("options");
        assertEquals(c.recipe().size() - 1, options.getMap().size(), "every option, set or not: " + options);
        assertEquals("SGD", options.getMap().get("optimiser").toString());
        assertEquals("256", options.getMap().get("batchSize").toString(), "a default is recorded too");
        PropertyException e = assertThrows(PropertyException.class,
                () -> new ConfigurationManager("/org/byol4j/byol/byol-config-typo.xml").lookup("byol"));
        assertTrue(e.getMessage().contains("unknown option 'batchsize'") && e.getMessage().contains("batchSize"),
                e.getMessage());
    }

    @Test
    void anOptionOfAnotherMethodIsNamedWhenRead() {
        InvalidOptionException e = assertThrows(InvalidOptionException.class,
                () -> new SimClrConfig().get(ByolConfig.TAU_BASE));
        assertEquals("option tauBase belongs to ByolConfig, not to SimClrConfig", e.getMessage());
    }

    @Test
    void optionsThroughTheRegistryReachTheRecipe() {
        Pretrainer t = (Pretrainer) RepresentationTrainers.get("byol", Map.of("preset", "paper_imagenet",
                "epochs", "20", "batchSize", "64", "optimiser", "adamw", "baseLearningRate", "0.001",
                "jointViewForward", "true"));
        Map<String, String> recipe = t.config().recipe();
        assertEquals("20", recipe.get("epochs"));
        assertEquals("64", recipe.get("batchSize"));
        assertEquals("ADAMW", recipe.get("optimiser"));
        assertEquals("true", recipe.get("jointViewForward"));
        assertTrue(t.config().warnings().isEmpty());
    }

    @Test
    void aLarsScaleRateWithAdamWIsWarnedAbout() {
        ByolConfig c = ByolConfig.builder().set(OPTIMISER, OptimiserKind.ADAMW).set(BASE_LEARNING_RATE, 0.2f)
                .set(WARMUP_EPOCHS, 10f).build();
        List<String> w = c.warnings();
        assertEquals(1, w.size());
        assertTrue(w.get(0).contains("ADAMW") && w.get(0).contains("0.2"), w.get(0));
        assertTrue(ByolConfig.builder().set(OPTIMISER, OptimiserKind.LARS).set(BASE_LEARNING_RATE, 0.2f)
                .set(WARMUP_EPOCHS, 10f).build().warnings().isEmpty());
    }

    @Test
    void presetsStartTheRecipeAndFieldsOverrideThem() {
        ByolConfig paper = ByolConfig.builder(ByolPreset.PAPER_IMAGENET).build();
        assertEquals("resnet50-imagenet-w1", paper.backbone().name());
        assertEquals(0.996, paper.get(TAU_BASE), 0);
        assertEquals(10f, paper.get(WARMUP_EPOCHS), 0);
        assertEquals(4096, paper.get(BATCH_SIZE));
        ByolConfig grey = ByolConfig.builder(ByolPreset.SMALL_GREYSCALE).set(BATCH_SIZE, 64).build();
        assertEquals(1, grey.get(INPUT_CHANNELS));
        assertEquals("resnet18-small-w0.25", grey.backbone().name(), "measured: 1.2 points over ResNet-20");
        assertEquals(28, grey.get(IMAGE_SIZE));
        assertEquals(0.35f, grey.get(CROP_SCALE_MIN), 0, "measured: 0.35 beat 0.2 by 0.7 points at 1,200 steps");
        assertEquals(64, grey.get(BATCH_SIZE), "overridden");
        assertEquals(-1, grey.get(TAU_BASE), 0, "derived");
        assertEquals(4, grey.get(SCHEDULE_STRETCH), 0, "measured: a stretched schedule learns more in a short run");
        assertEquals(0.2f, grey.get(BASE_LEARNING_RATE), 0, "the paper's, for what LARS does not adapt");
        assertEquals(0.02f, grey.get(TRUST_COEFFICIENT), 0, "x 0.2: the weights' steps of lr 4.0 at trust 0.001");
        assertEquals(4f * 0.001f, grey.get(BASE_LEARNING_RATE) * grey.get(TRUST_COEFFICIENT), 1e-7f,
                "measured: lr x trust 0.004 beat 0.002 by 1.3 points at 1,030 steps");
        assertEquals(0.72f, grey.get(VIEW_SCALE), 0);
        assertEquals(20, grey.viewSize(), "measured: 20 px views beat 28 px by 1.2 points in 10 minutes");
        assertEquals(1f, paper.get(VIEW_SCALE), 0, "the paper's views are the full 224 px");
        assertEquals(2f, grey.get(BLUR_SIGMA_MAX), 0, "measured: the paper's blur beat 0.25 px by 5 points");
        assertEquals(1f, grey.get(PREDICTOR_LEARNING_RATE_SCALE), 0,
                "measured: 10 learned more but diverged 1 run in 3");
        assertEquals(1, paper.get(SCHEDULE_STRETCH), 0, "the paper anneals fully");
        assertEquals(1f, paper.get(PREDICTOR_LEARNING_RATE_SCALE), 0,
                "the paper's predictor learns at the common rate");
        Pretrainer t = (Pretrainer) RepresentationTrainers.get("byol", Map.of("preset", "small-colour",
                "epochs", "3"));
        assertEquals(3, t.config().get(INPUT_CHANNELS));
        assertEquals(23, t.config().viewSize(), "0.72 x 32 = 23.04");
        assertEquals("resnet18-small-w0.25", t.config().backbone().name());
        assertEquals(3, t.config().get(EPOCHS));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RepresentationTrainers.get("byol", Map.of("preset", "tiny")));
        assertTrue(e.getMessage().contains("unknown preset 'tiny'") && e.getMessage().contains("small_greyscale"),
                e.getMessage());
    }

    @Test
    void aTimeBudgetAndAStepCountExcludeEachOther() {
        PropertyException e = assertThrows(PropertyException.class,
                () -> ByolConfig.builder().set(TOTAL_STEPS, 100).set(TIME_BUDGET_SECONDS, 60.0).build());
        assertEquals("timeBudgetSeconds", e.getProperty());
        e = assertThrows(PropertyException.class, () -> ByolConfig.builder().set(TIME_BUDGET_SECONDS, -1.0).build());
        assertEquals("timeBudgetSeconds", e.getProperty());
        e = assertThrows(PropertyException.class, () -> ByolConfig.builder().set(TOTAL_STEPS, -5).build());
        assertEquals("totalSteps", e.getProperty());
        e = assertThrows(PropertyException.class, () -> ByolConfig.builder().set(EPOCHS, 2).set(WARMUP_EPOCHS,
                3f).build());
        assertEquals("warmupEpochs", e.getProperty());
    }

    @Test
    void scheduleStepsNeedATotalStepCountWhichMayRunPastThem() {
        PropertyException e = assertThrows(PropertyException.class,
                () -> ByolConfig.builder().set(SCHEDULE_STEPS, 100).build());
        assertEquals("scheduleSteps", e.getProperty());
        assertTrue(e.getMessage().contains("needs totalSteps"), e.getMessage());
        // what a budgeted run records when its machine sped up past its schedules' horizon: it must replay
        assertEquals(401, ByolConfig.builder().set(TOTAL_STEPS, 401).set(SCHEDULE_STEPS, 100).set(SCHEDULE_STRETCH,
                4.0).build()
                .get(TOTAL_STEPS));
        e = assertThrows(PropertyException.class, () -> ByolConfig.builder().set(SCHEDULE_STEPS, -1).build());
        assertEquals("scheduleSteps", e.getProperty());
    }

    @Test
    void invalidFieldsAreNamed() {
        PropertyException e = assertThrows(PropertyException.class,
                () -> ByolConfig.builder().set(BATCH_SIZE, 1).set(EPOCHS, 10).build());
        assertEquals("batchSize", e.getProperty());
        e = assertThrows(PropertyException.class, () -> ByolConfig.builder().set(BACKBONE, "resnet19")
                .set(INPUT_CHANNELS, 1)
                .set(IMAGE_SIZE, 28).build());
        assertEquals("backbone", e.getProperty());
        e = assertThrows(PropertyException.class, () -> ByolConfig.builder().set(TAU_BASE, 1.5).build());
        assertEquals("tauBase", e.getProperty());
        e = assertThrows(PropertyException.class, () -> ByolConfig.builder().set(CROP_SCALE_MIN, 0f).build());
        assertEquals("cropScaleMin", e.getProperty());
        assertEquals("0.2", ByolConfig.builder().set(CROP_SCALE_MIN, 0.2f).build().recipe().get("cropScaleMin"));
        PretrainingConfig.Builder<ByolConfig> b = ByolConfig.builder();
        b.build();
        assertThrows(IllegalStateException.class, b::build);
    }
}
