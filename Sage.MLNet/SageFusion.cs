namespace Sage.MLNet;

/// <summary>
/// Selects how SAGE combines the two modalities' TCN outputs before the Transformer.
/// </summary>
/// <remarks>
/// <para>Every variant keeps the rest of the network the same, so comparing them measures the fusion alone. The
/// <c>Reliability</c> output column is, for every variant, the mean factor by which a frame's fused features are
/// scaled, on one scale: 1 is an average frame, 2 twice its weight.</para>
/// <list type="table">
/// <listheader><term>Variant</term><description>Fused features Z and reliability</description></listheader>
/// <item><term><see cref="ReliabilityGuided"/></term><description>Z = diag(α)·X, α softmax over the clip of one logit per frame
/// (paper eq. 6-11); reliability α·N.</description></item>
/// <item><term><see cref="ModalityReliability"/></term><description>each modality scaled by its own α over time; reliability per
/// modality α_m·N (columns VisualReliability, AudioReliability) and their mean.</description></item>
/// <item><term><see cref="Concatenation"/></term><description>Z = X; reliability 1 everywhere.</description></item>
/// <item><term><see cref="GatedMultimodalUnit"/></term><description>Arevalo et al.'s gated multimodal unit; reliability per
/// modality 2·mean(z) and 2·mean(1 − z), whose mean is 1.</description></item>
/// </list>
/// </remarks>
public enum SageFusion
{
    /// <summary>
    /// Reliability-Guided Fusion as the paper's equations write it: one logit per frame from the concatenated features,
    /// a softmax over the clip's frames, and Z = diag(α)·X, scaled as <see cref="SageOptions.ReliabilityScaling"/> says. The default.
    /// </summary>
    ReliabilityGuided = 0,

    /// <summary>
    /// The paper's prose read literally ("reweights modality contributions at each time step"): one logit per modality per
    /// frame, each from that modality's own TCN output, a softmax over the clip per modality, and each modality's features
    /// scaled by its own weights before concatenation. Adds the VisualReliability and AudioReliability output columns.
    /// </summary>
    /// <remarks>
    /// Each logit sees only its own modality, so a weight can only move with evidence inside that modality (a blurred face
    /// lowers the visual weight, not the audio one) and the two weights can be read apart.
    /// </remarks>
    ModalityReliability = 1,

    /// <summary>Plain concatenation, Z = X: the ablation that shows what re-weighting adds.</summary>
    Concatenation = 2,

    /// <summary>
    /// The gated multimodal unit (GMU) of Arevalo, Solorio, Montes-y-Gómez and González ("Gated Multimodal Units for
    /// Information Fusion", ICLR workshop 2017): h_v = tanh(W_v·x_v), h_a = tanh(W_a·x_a), z = σ(W_z·[x_v, x_a]) per
    /// feature and frame, Z = z ⊙ h_v + (1 − z) ⊙ h_a. Adds the VisualReliability and AudioReliability output columns.
    /// </summary>
    /// <remarks>
    /// The gating baseline: the gated fusion models the paper compares with (GRJCA, TAGF) gate modality contributions per
    /// frame with sigmoids; the GMU is the common, self-contained form of that idea. Its gate trades one modality against
    /// the other per frame and never re-weights whole frames, so its overall reliability is 1.
    /// </remarks>
    GatedMultimodalUnit = 3,
}
