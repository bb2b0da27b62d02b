using Microsoft.ML;

namespace Sage.MLNet;

/// <summary>
/// Options for <see cref="SageEstimator"/>: column names, network sizes, training schedule and serving settings.
/// </summary>
/// <remarks>
/// Where the paper leaves a size open (TCN depth, kernel, widths, heads, dropout, output range) the
/// defaults below are this library's choice: a network of about 2.2 M parameters for 512-d visual and
/// 768-d audio features that trains at several thousand frames per second on two CPU cores.
/// </remarks>
public sealed class SageOptions
{
    /// <summary>Column of per-video visual features: a variable-length vector of T × <see cref="VisualFeatureSize"/> values, frame-major. Default: "VisualFeatures".</summary>
    public string VisualFeaturesColumnName { get; set; } = "VisualFeatures";

    /// <summary>Column of per-video audio features: a variable-length vector of T × <see cref="AudioFeatureSize"/> values, frame-major. Default: "AudioFeatures".</summary>
    public string AudioFeaturesColumnName { get; set; } = "AudioFeatures";

    /// <summary>Column of per-frame valence labels (T values, −5 = not annotated); needed for training only. Default: "Valence".</summary>
    public string ValenceColumnName { get; set; } = "Valence";

    /// <summary>Column of per-frame arousal labels (T values, −5 = not annotated); needed for training only. Default: "Arousal".</summary>
    public string ArousalColumnName { get; set; } = "Arousal";

    /// <summary>
    /// Column of per-frame face flags (T values, 1 = a face was found, 0 = not) whose 0 frames are left out of the
    /// training loss; needed for training only. Default: null (every annotated frame counts).
    /// </summary>
    /// <remarks>
    /// Set it to "FaceFound" when the visual features come from <see cref="FaceFeaturizationCatalog.FeaturizeFaces(TransformsCatalog, SageFaceFeaturizerOptions)"/>,
    /// so frames whose face crop was missing (their features copied from an earlier crop) do not count in the loss, as
    /// the paper excludes failed face detections during training. Those frames still go through the network, as
    /// context for their neighbours. Evaluation (<see cref="SageCatalog.EvaluateCcc"/>) and the validation CCC of
    /// <see cref="ValidationData"/> still count every annotated frame, as the ABAW metric does, so
    /// <see cref="ValidationData"/> needs no such column. The column must be a vector of Single with one value per frame, each 0 or 1.
    /// </remarks>
    public string? FaceFoundColumnName { get; set; }

    /// <summary>Output column of predicted valence, T values in [−1, 1]. Default: "PredictedValence".</summary>
    public string PredictedValenceColumnName { get; set; } = "PredictedValence";

    /// <summary>Output column of predicted arousal, T values in [−1, 1]. Default: "PredictedArousal".</summary>
    public string PredictedArousalColumnName { get; set; } = "PredictedArousal";

    /// <summary>Output column of per-frame fusion weights, T values (1 = the clip's average frame; see <see cref="SageFusion"/> per variant). Default: "Reliability".</summary>
    public string ReliabilityColumnName { get; set; } = "Reliability";

    /// <summary>
    /// Output column of the per-frame weight of the visual features, T values on the scale of <see cref="ReliabilityColumnName"/>;
    /// written only by the variants with a weight per modality (<see cref="SageFusion.ModalityReliability"/>, <see cref="SageFusion.GatedMultimodalUnit"/>).
    /// Default: "VisualReliability".
    /// </summary>
    public string VisualReliabilityColumnName { get; set; } = "VisualReliability";

    /// <summary>Output column of the per-frame weight of the audio features, written as <see cref="VisualReliabilityColumnName"/> is. Default: "AudioReliability".</summary>
    public string AudioReliabilityColumnName { get; set; } = "AudioReliability";

    /// <summary>Width Dv of one frame's visual feature vector. Required; 512 for ResNet18, 2048 for ResNet-50.</summary>
    public int VisualFeatureSize { get; set; }

    /// <summary>Width Da of one frame's audio feature vector. Required; 768 for WavLM-base.</summary>
    public int AudioFeatureSize { get; set; }

    /// <summary>Frames per clip, in training and in prediction. Default: 300 (the paper's).</summary>
    public int WindowLength { get; set; } = 300;

    /// <summary>Frames between the starts of consecutive clips. Default: 200 (the paper's).</summary>
    public int WindowStride { get; set; } = 200;

    /// <summary>Output channels of each modality's TCN; the fused width D is twice this. Default: 128.</summary>
    public int TcnChannels { get; set; } = 128;

    /// <summary>Residual blocks per TCN, with dilations 1, 2, 4, ... Default: 3 (a receptive field of 29 frames with kernel 3).</summary>
    public int TcnLevels { get; set; } = 3;

    /// <summary>Kernel size of the TCN convolutions, in frames; odd. Default: 3.</summary>
    public int TcnKernelSize { get; set; } = 3;

    /// <summary>Transformer encoder layers over the fused features. Default: 2.</summary>
    public int TransformerLayers { get; set; } = 2;

    /// <summary>Attention heads per Transformer layer; must divide 2 × <see cref="TcnChannels"/>. Default: 4.</summary>
    public int AttentionHeads { get; set; } = 4;

    /// <summary>Hidden width of each Transformer layer's feed-forward block. Default: 512.</summary>
    public int FeedForwardSize { get; set; } = 512;

    /// <summary>Hidden width of the frame-wise regression head. Default: 128.</summary>
    public int HeadHiddenSize { get; set; } = 128;

    /// <summary>
    /// Dropout probability, during training only, after each TCN convolution, on the Transformer's residual
    /// branches and before the head's output layer. A dropped feature is dropped for a whole clip. Default: 0.1.
    /// </summary>
    public double Dropout { get; set; } = 0.1;

    /// <summary>How the two modalities are fused before the Transformer. Default: <see cref="SageFusion.ReliabilityGuided"/> (the paper's).</summary>
    public SageFusion Fusion { get; set; } = SageFusion.ReliabilityGuided;

    /// <summary>How softmax-over-time fusion weights (<see cref="SageFusion.ReliabilityGuided"/>, <see cref="SageFusion.ModalityReliability"/>) scale the features. Default: <see cref="SageReliabilityScaling.FrameCount"/>.</summary>
    public SageReliabilityScaling ReliabilityScaling { get; set; } = SageReliabilityScaling.FrameCount;

    /// <summary>Passes over the training data. Default: 20.</summary>
    public int MaxEpochs { get; set; } = 20;

    /// <summary>Clips per optimisation step. Default: 8.</summary>
    public int BatchSize { get; set; } = 8;

    /// <summary>AdamW learning rate. Default: 1e-3.</summary>
    public double LearningRate { get; set; } = 1e-3;

    /// <summary>AdamW decoupled weight decay. Default: 0.01.</summary>
    public double WeightDecay { get; set; } = 0.01;

    /// <summary>Largest global gradient norm; larger gradients are scaled down. 0 turns clipping off. Default: 1.</summary>
    public double GradientClipNorm { get; set; } = 1.0;

    /// <summary>Clips held in the shuffle buffer while streaming the training data; more mixes videos better and uses more memory. Default: 64.</summary>
    public int ShuffleBufferSize { get; set; } = 64;

    /// <summary>
    /// Held-out videos scored after every epoch. When set, the weights of the epoch with the best mean
    /// validation CCC are kept, and training stops after <see cref="EarlyStoppingPatience"/> epochs without improvement.
    /// Default: none (the last epoch's weights are kept).
    /// </summary>
    public IDataView? ValidationData { get; set; }

    /// <summary>Epochs without a better validation mean CCC before training stops. 0 never stops early. Default: 5.</summary>
    public int EarlyStoppingPatience { get; set; } = 5;

    /// <summary>Seed of weight initialisation, dropout and clip shuffling: the same seed, data and <see cref="TrainingThreads"/> give the same model. Default: 1.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>TorchSharp device used for training, such as "cpu" or "cuda:0" (needs the CUDA backend). Default: "cpu".</summary>
    public string TrainingDevice { get; set; } = "cpu";

    /// <summary>
    /// Sets the CPU threads TorchSharp uses for training; 0 means one per core. With 2 or more on the CPU, each step runs the
    /// two halves of its batch at once, each on half of them. Default: 0.
    /// </summary>
    public int TrainingThreads { get; set; }

    /// <summary>A checkpoint written by <see cref="SageTransformer.SaveCheckpoint(string)"/> to start from (fine-tuning or resuming). Default: none.</summary>
    public string? InitialCheckpoint { get; set; }

    /// <summary>GPU that ONNX Runtime uses to serve the fitted model; null uses <see cref="MLContext.GpuDeviceId"/>. Default: null.</summary>
    public int? GpuDeviceId { get; set; }

    /// <summary>Whether serving falls back to the CPU when the GPU cannot be used; false throws instead. Default: false.</summary>
    public bool FallbackToCpu { get; set; }

    /// <summary>Receives a report after every epoch. Default: none.</summary>
    public IProgress<SageTrainingProgress>? Progress { get; set; }

    /// <summary>Stops training between optimisation steps; <see cref="SageEstimator.Fit(IDataView)"/> then throws <see cref="OperationCanceledException"/>. Default: none.</summary>
    public CancellationToken CancellationToken { get; set; }

    /// <summary>Returns a shallow copy: every setting, with the same data view, progress and token references.</summary>
    internal SageOptions Copy() => (SageOptions)MemberwiseClone();
}
