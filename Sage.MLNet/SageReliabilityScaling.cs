namespace Sage.MLNet;

/// <summary>
/// Selects how Reliability-Guided Fusion scales the reweighted features Z before the Transformer.
/// </summary>
/// <remarks>
/// The paper defines Z = diag(α)·X with Σα = 1 over the clip (eq. 10-11). Over a 300-frame clip that
/// shrinks every frame by about 1/300, which slows learning a great deal. Multiplying by the number of
/// frames in the clip keeps the same relative weights but gives them a mean of 1.
/// </remarks>
public enum SageReliabilityScaling
{
    /// <summary>Z = α·X·N, where N is the number of frames in the clip, so that the weights average 1. The default.</summary>
    FrameCount = 0,

    /// <summary>Z = α·X exactly as written in the paper (eq. 10), with Σα = 1 over the clip.</summary>
    Literal = 1,
}
