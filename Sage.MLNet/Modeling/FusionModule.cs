using TorchSharp;
using static TorchSharp.torch;

namespace Sage.MLNet.Modeling;

/// <summary>
/// What every fusion variant (<see cref="SageFusion"/>) computes: the fused features Z from the two TCN outputs
/// X = [X_v, X_a], and the factor each modality's features got at each frame, on one scale (1 = an average frame).
/// </summary>
internal abstract class FusionModule : nn.Module<Tensor, Tensor, (Tensor Fused, Tensor Weights)>
{
    protected FusionModule(string name) : base(name)
    {
    }

    /// <summary>Returns the module of <paramref name="config"/>'s variant.</summary>
    public static FusionModule Create(SageNetworkConfig config) => config.Fusion switch
    {
        SageFusion.ReliabilityGuided => new ReliabilityGuidedFusion(config.FusedSize, config.ReliabilityScaling),
        SageFusion.ModalityReliability => new ModalityReliabilityFusion(config.TcnChannels, config.ReliabilityScaling),
        SageFusion.Concatenation => new ConcatenationFusion(),
        SageFusion.GatedMultimodalUnit => new GatedMultimodalUnitFusion(config.TcnChannels, config.FusedSize),
        _ => throw new ArgumentOutOfRangeException(nameof(config), config.Fusion, "Unknown fusion variant"),
    };

    // forward, in every variant:
    //   x     [batch, time, D], the visual TCN's C channels then the audio TCN's C (D = 2C)
    //   mask  [batch, time], 1 where a frame exists and 0 on padding
    //   returns Z as [batch, time, D] and the (visual, audio) weights as [batch, time, 2], 0 on padding
}
