package org.byol4j.finetune;

/** How a fine-tuned model's new linear head starts. */
public enum HeadStart {
    /** From a linear probe on the starting backbone's frozen features (LP-FT; {@link ProbeHeadStart}). */
    PROBE,
    /** From PyTorch's default {@code nn.Linear} initialisation, drawn from the seed. */
    RANDOM
}
