namespace Sage.MLNet;

/// <summary>Settings of <see cref="SageFaceFeaturizerEstimator"/>: columns, the image encoder and how it runs.</summary>
/// <remarks>
/// <para>
/// With <see cref="EncoderModelPath"/> null the encoder is the ResNet18 ONNX of the
/// Microsoft.ML.DnnImageFeaturizer.ResNet18 package, edited in memory to take batches and any input size
/// (Dv = 512). Its own preprocessing is fixed and the <c>Encoder*</c> pixel options are ignored: planes in
/// BGR order, pixel values 0–255, minus the package's 224 × 224 mean image when the input is 224 × 224 and
/// minus that image's per-channel means (B 103.06, G 115.90, R 123.15) at any other size.
/// </para>
/// <para>
/// With a path, each image is resized to <see cref="ImageWidth"/> × <see cref="ImageHeight"/>, laid out in
/// <see cref="EncoderChannelOrder"/>, and each value becomes (pixel × <see cref="EncoderPixelScale"/> − mean) / std
/// with <see cref="EncoderChannelMeans"/> and <see cref="EncoderChannelStds"/> given in RGB order.
/// </para>
/// </remarks>
public sealed class SageFaceFeaturizerOptions
{
    /// <summary>Output column of visual features: T × Dv values, frame-major. Default: "VisualFeatures".</summary>
    public string OutputColumnName { get; set; } = "VisualFeatures";

    /// <summary>Output column of T values, 1 where the frame has a face crop and 0 where its features were copied from a neighbour. Default: "FaceFound".</summary>
    public string FaceFoundColumnName { get; set; } = "FaceFound";

    /// <summary>Input text column: the folder of a video's face crops, <c>00001.jpg</c> holding frame 0. Default: "FaceFolder".</summary>
    public string FaceFolderColumnName { get; set; } = "FaceFolder";

    /// <summary>Input Int32 column: T, the number of frames to featurise. Default: "FrameCount".</summary>
    public string FrameCountColumnName { get; set; } = "FrameCount";

    /// <summary>ONNX image encoder taking [N, 3, H, W]; null uses the packaged ResNet18. Default: null.</summary>
    public string? EncoderModelPath { get; set; }

    /// <summary>Output of the encoder that holds the embedding, flattened per image; null takes its first output. Default: null.</summary>
    public string? EncoderOutputName { get; set; }

    /// <summary>Width each face crop is resized to, in pixels. Default: 112 (Aff-Wild2's crop size).</summary>
    public int ImageWidth { get; set; } = 112;

    /// <summary>Height each face crop is resized to, in pixels. Default: 112.</summary>
    public int ImageHeight { get; set; } = 112;

    /// <summary>Plane order of the encoder's input; ignored for the packaged ResNet18. Default: <see cref="SageFaceChannelOrder.Rgb"/>.</summary>
    public SageFaceChannelOrder EncoderChannelOrder { get; set; } = SageFaceChannelOrder.Rgb;

    /// <summary>Factor applied to 0–255 pixel values before the mean is subtracted; ignored for the packaged ResNet18. Default: 1/255.</summary>
    public float EncoderPixelScale { get; set; } = 1f / 255f;

    /// <summary>Means subtracted from the scaled red, green and blue values; ignored for the packaged ResNet18. Default: ImageNet's 0.485, 0.456, 0.406.</summary>
    public float[] EncoderChannelMeans { get; set; } = [0.485f, 0.456f, 0.406f];

    /// <summary>Standard deviations the red, green and blue values are divided by; ignored for the packaged ResNet18. Default: ImageNet's 0.229, 0.224, 0.225.</summary>
    public float[] EncoderChannelStds { get; set; } = [0.229f, 0.224f, 0.225f];

    /// <summary>Images per encoder call. Default: 32.</summary>
    public int BatchSize { get; set; } = 32;

    /// <summary>Whether a folder without any crop for the row's frames fails with an error; false gives zero features and FaceFound all 0. Default: true.</summary>
    public bool EmptyFolderIsError { get; set; } = true;

    /// <summary>GPU that ONNX Runtime runs the encoder on (CUDA); null runs it on the CPU. Default: null.</summary>
    public int? GpuDeviceId { get; set; }

    /// <summary>Whether the encoder falls back to the CPU when the GPU cannot be used; false throws instead. Default: false.</summary>
    public bool FallbackToCpu { get; set; }

    /// <summary>Folder of the on-disk feature cache; null computes every video every time. Default: null.</summary>
    /// <remarks>
    /// When set, each video is read from <c>&lt;CacheFolder&gt;/faces-&lt;featurizerKey&gt;/&lt;videoKey&gt;.features</c> when that file
    /// exists and is intact, and computed and written there otherwise. Changing the encoder file, image size, pixel options or <see cref="EmptyFolderIsError"/>, or touching a crop, misses.
    /// See <see cref="SageFeatureCache"/> for the keys and for filling the cache in shards.
    /// When these rows feed <see cref="SageCatalog.Sage(Microsoft.ML.TransformsCatalog, SageOptions)"/> directly, a cached video is trained on a clip at a time, read
    /// straight from its file (its hash still checked), so training memory does not follow the video's length.
    /// </remarks>
    public string? CacheFolder { get; set; }

    /// <summary>Random crop and horizontal flip applied to each face crop before the encoder; set it only on the featurizer of the training rows. Default: null, no augmentation.</summary>
    /// <remarks>
    /// The draws are repeatable (see <see cref="SageFaceAugmentation"/>), so the feature cache keeps augmented features under
    /// their own key. <see cref="SageModel.Save"/> does not keep this setting: serving never augments.
    /// </remarks>
    public SageFaceAugmentation? TrainingAugmentation { get; set; }

    /// <summary>Returns a copy of every setting (arrays and the augmentation copied too), which the estimator keeps so that later changes to this object change nothing.</summary>
    internal SageFaceFeaturizerOptions Copy()
    {
        var copy = (SageFaceFeaturizerOptions)MemberwiseClone();
        copy.EncoderChannelMeans = (float[])EncoderChannelMeans?.Clone()!;
        copy.EncoderChannelStds = (float[])EncoderChannelStds?.Clone()!;
        copy.TrainingAugmentation = TrainingAugmentation?.Copy();
        return copy;
    }
}
