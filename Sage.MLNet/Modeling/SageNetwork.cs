using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sage.MLNet.Modeling;

/// <summary>
/// The SAGE network (paper fig. 2-3): a TCN per modality, concatenation, a fusion (Reliability-Guided Fusion
/// by default, or another <see cref="SageFusion"/> variant), sinusoidal positions, a pre-norm Transformer encoder and a frame-wise MLP head to (valence, arousal).
/// </summary>
/// <remarks>
/// Submodule names are the keys of the saved state dictionary: keep them stable.
/// </remarks>
internal sealed class SageNetwork : nn.Module<Tensor, Tensor, Tensor, (Tensor Prediction, Tensor Weights)>
{
    private const string PositionsBuffer = "positions";

    private readonly TemporalConvNet _visualTcn;
    private readonly TemporalConvNet _audioTcn;
    private readonly FusionModule _fusion;
    private readonly ModuleList<TransformerLayer> _transformer;
    private readonly LayerNorm _finalNorm;
    private readonly Linear _headHidden;
    private readonly Linear _headOutput;
    private readonly TimeSharedDropout _dropout;

    public SageNetwork(SageNetworkConfig config) : base(nameof(SageNetwork))
    {
        Config = config;
        _visualTcn = new TemporalConvNet(config.VisualFeatureSize, config.TcnChannels, config.TcnLevels, config.TcnKernelSize, config.Dropout);
        _audioTcn = new TemporalConvNet(config.AudioFeatureSize, config.TcnChannels, config.TcnLevels, config.TcnKernelSize, config.Dropout);
        _fusion = FusionModule.Create(config);
        _transformer = nn.ModuleList<TransformerLayer>();
        for (var i = 0; i < config.TransformerLayers; i++)
        {
            _transformer.Add(new TransformerLayer(config.FusedSize, config.AttentionHeads, config.FeedForwardSize, config.Dropout));
        }
        _finalNorm = nn.LayerNorm(config.FusedSize);
        _headHidden = nn.Linear(config.FusedSize, config.HeadHiddenSize);
        _headOutput = nn.Linear(config.HeadHiddenSize, 2);
        _dropout = new TimeSharedDropout(config.Dropout);
        RegisterComponents();
        var positions = SinusoidalPositions.Create(config.WindowLength, config.FusedSize);
        register_buffer(PositionsBuffer, tensor(positions, [config.WindowLength, config.FusedSize]), persistent: false);
    }

    public SageNetworkConfig Config { get; }

    public TemporalConvNet VisualTcn => _visualTcn;

    public TemporalConvNet AudioTcn => _audioTcn;

    public FusionModule Fusion => _fusion;

    public IList<TransformerLayer> Transformer => _transformer;

    public LayerNorm FinalNorm => _finalNorm;

    public Linear HeadHidden => _headHidden;

    public Linear HeadOutput => _headOutput;

    /// <param name="visual">[batch, time, Dv]</param>
    /// <param name="audio">[batch, time, Da]</param>
    /// <param name="mask">[batch, time], 1 where a frame exists and 0 on padding; time ≤ WindowLength</param>
    /// <returns>(valence, arousal) in [-1, 1] as [batch, time, 2], and the fusion's (visual, audio) weights as [batch, time, 2]</returns>
    public override (Tensor Prediction, Tensor Weights) forward(Tensor visual, Tensor audio, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var time = visual.shape[1];
        // Training batches are mostly clips with no padding: then the TCNs and attention skip every masking step.
        var padding = mask.min().item<float>() == 0 ? mask : null;
        var x = cat([_visualTcn.call(visual, padding), _audioTcn.call(audio, padding)], -1);   // eq. 3: [batch, time, D]
        var (z, weights) = _fusion.call(x, mask);                                       // eq. 4, 10
        var h = z.add(get_buffer(PositionsBuffer)!.narrow(0, 0, time), Scalars.One);
        var keyBias = padding is null ? null
            : zeros_like(mask).masked_fill(mask.eq(Scalars.Zero), Scalars.NegativeInfinity).view(mask.shape[0], 1, 1, time);
        foreach (var layer in _transformer)
        {
            h = layer.call(h, keyBias);                                                // eq. 14
        }
        h = _finalNorm.call(h);
        var prediction = _headOutput.call(_dropout.call(_headHidden.call(h).relu_())).tanh();  // eq. 5
        return (prediction.MoveToOuterDisposeScope(), weights.MoveToOuterDisposeScope());
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            // TorchSharp's Module.Dispose frees parameters and persistent buffers only: the positions table would leak.
            get_buffer(PositionsBuffer)?.Dispose();
        }
        base.Dispose(disposing);
    }
}
