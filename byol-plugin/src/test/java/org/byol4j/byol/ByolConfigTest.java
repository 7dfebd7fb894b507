package org.byol4j.byol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import java.util.List;
import java.util.Map;
import org.byol4j.pretrain.OptimiserKind;
import org.byol4j.pretrain.Pretrainer;
import org.byol4j.spi.RepresentationTrainers;
import org.junit.jupiter.api.Test;

class ByolConfigTest {

    @Test
    void anOlcutConfigurationFileBuildsTheRecipe() {
        ConfigurationManager cm = new ConfigurationManager("/org/byol4j/byol/byol-config.xml");
        ByolConfig c = (ByolConfig) cm.lookup("byol");
        assertEquals("resnet18-small-w0.5", c.backbone().name());
        assertEquals(200, c.epochs());
        assertEquals(OptimiserKind.SGD, c.optimiser());
        assertEquals(0.99, c.tauBase(), 0);
        assertEquals(-1, ByolConfig.builder().build().tauBase(), 0, "derived from the run length by default");
        assertEquals("ByolConfig", c.getProvenance().getClassName().replaceAll(".*\\.", ""));
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
        ByolConfig c = ByolConfig.builder().optOptimiser(OptimiserKind.ADAMW).optBaseLearningRate(0.2f)
                .optWarmupEpochs(10f).build();
        List<String> w = c.warnings();
        assertEquals(1, w.size());
        assertTrue(w.get(0).contains("ADAMW") && w.get(0).contains("0.2"), w.get(0));
        assertTrue(ByolConfig.builder().optOptimiser(OptimiserKind.LARS).optBaseLearningRate(0.2f)
                .optWarmupEpochs(10f).build().warnings().isEmpty());
    }

    @Test
    void presetsStartTheRecipeAndFieldsOverrideThem() {
        ByolConfig paper = ByolConfig.builder(ByolPreset.PAPER_IMAGENET).build();
        assertEquals("resnet50-imagenet-w1", paper.backbone().name());
        assertEquals(0.996, paper.tauBase(), 0);
        assertEquals(10f, paper.warmupEpochs(), 0);
        assertEquals(4096, paper.batchSize());
        ByolConfig grey = ByolConfig.builder(ByolPreset.SMALL_GREYSCALE).optBatchSize(64).build();
        assertEquals(1, grey.inputChannels());
        assertEquals("resnet18-small-w0.25", grey.backbone().name(), "measured: 1.2 points over ResNet-20");
        assertEquals(28, grey.imageSize());
        assertEquals(0.35f, grey.cropScaleMin(), 0, "measured: 0.35 beat 0.2 by 0.7 points at 1,200 steps");
        assertEquals(64, grey.batchSize(), "overridden");
        assertEquals(-1, grey.tauBase(), 0, "derived");
        assertEquals(4, grey.scheduleStretch(), 0, "measured: a stretched schedule learns more in a short run");
        assertEquals(0.2f, grey.baseLearningRate(), 0, "the paper's, for what LARS does not adapt");
        assertEquals(0.02f, grey.trustCoefficient(), 0, "x 0.2: the weights' steps of lr 4.0 at trust 0.001");
        assertEquals(4f * 0.001f, grey.baseLearningRate() * grey.trustCoefficient(), 1e-7f,
                "measured: lr x trust 0.004 beat 0.002 by 1.3 points at 1,030 steps");
        assertEquals(0.72f, grey.viewScale(), 0);
        assertEquals(20, grey.viewSize(), "measured: 20 px views beat 28 px by 1.2 points in 10 minutes");
        assertEquals(1f, paper.viewScale(), 0, "the paper's views are the full 224 px");
        assertEquals(2f, grey.blurSigmaMax(), 0, "measured: the paper's blur beat 0.25 px by 5 points");
        assertEquals(1f, grey.predictorLearningRateScale(), 0, "measured: 10 learned more but diverged 1 run in 3");
        assertEquals(1, paper.scheduleStretch(), 0, "the paper anneals fully");
        assertEquals(1f, paper.predictorLearningRateScale(), 0, "the paper's predictor learns at the common rate");
        Pretrainer t = (Pretrainer) RepresentationTrainers.get("byol", Map.of("preset", "small-colour",
                "epochs", "3"));
        assertEquals(3, t.config().inputChannels());
        assertEquals(23, t.config().viewSize(), "0.72 x 32 = 23.04");
        assertEquals("resnet18-small-w0.25", t.config().backbone().name());
        assertEquals(3, t.config().epochs());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RepresentationTrainers.get("byol", Map.of("preset", "tiny")));
        assertTrue(e.getMessage().contains("unknown preset 'tiny'") && e.getMessage().contains("small_greyscale"),
                e.getMessage());
    }

    @Test
    void aTimeBudgetAndAStepCountExcludeEachOther() {
        PropertyException e = assertThrows(PropertyException.class,
                () -> ByolConfig.builder().optTotalSteps(100).optTimeBudgetSeconds(60).build());
        assertEquals("timeBudgetSeconds", e.getProperty());
        e = assertThrows(PropertyException.class, () -> ByolConfig.builder().optTimeBudgetSeconds(-1).build());
        assertEquals("timeBudgetSeconds", e.getProperty());
        e = assertThrows(PropertyException.class, () -> ByolConfig.builder().optTotalSteps(-5).build());
        assertEquals("totalSteps", e.getProperty());
        e = assertThrows(PropertyException.class, () -> ByolConfig.builder().optEpochs(2).optWarmupEpochs(3f).build());
        assertEquals("warmupEpochs", e.getProperty());
    }

    @Test
    void scheduleStepsNeedATotalStepCountWhichMayRunPastThem() {
        PropertyException e = assertThrows(PropertyException.class,
                () -> ByolConfig.builder().optScheduleSteps(100).build());
        assertEquals("scheduleSteps", e.getProperty());
        assertTrue(e.getMessage().contains("needs totalSteps"), e.getMessage());
        // what a budgeted run records when its machine sped up past its schedules' horizon: it must replay
        assertEquals(401, ByolConfig.builder().optTotalSteps(401).optScheduleSteps(100).optScheduleStretch(4).build()
                .totalSteps());
        e = assertThrows(PropertyException.class, () -> ByolConfig.builder().optScheduleSteps(-1).build());
        assertEquals("scheduleSteps", e.getProperty());
    }

    @Test
    void invalidFieldsAreNamed() {
        PropertyException e = assertThrows(PropertyException.class,
                () -> ByolConfig.builder().optBatchSize(1).optEpochs(10).build());
        assertEquals("batchSize", e.getProperty());
        e = assertThrows(PropertyException.class, () -> ByolConfig.builder().optBackbone("resnet19").optInputChannels(1)
                .optImageSize(28).build());
        assertEquals("backbone", e.getProperty());
        e = assertThrows(PropertyException.class, () -> ByolConfig.builder().optTauBase(1.5).build());
        assertEquals("tauBase", e.getProperty());
        e = assertThrows(PropertyException.class, () -> ByolConfig.builder().optCropScaleMin(0f).build());
        assertEquals("cropScaleMin", e.getProperty());
        assertEquals("0.2", ByolConfig.builder().optCropScaleMin(0.2f).build().recipe().get("cropScaleMin"));
        ByolConfig.Builder b = ByolConfig.builder();
        b.build();
        assertThrows(IllegalStateException.class, b::build);
    }
}
