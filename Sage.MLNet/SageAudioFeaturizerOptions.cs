namespace Sage.MLNet;

/// <summary>Column names and settings of <see cref="SageAudioFeaturizerEstimator"/>.</summary>
public sealed class SageAudioFeaturizerOptions
{
    /// <summary>Gets or sets the output column of audio features, T × Da Single values per row. Default: <c>AudioFeatures</c>.</summary>
    public string OutputColumnName { get; set; } = "AudioFeatures";

    /// <summary>Gets or sets the input text column that holds the video file's path. Default: <c>VideoFile</c>.</summary>
    public string VideoFileColumnName { get; set; } = "VideoFile";

    /// <summary>Gets or sets the input Int32 column that holds T, the number of frames to featurise. Default: <c>FrameCount</c>.</summary>
    public string FrameCountColumnName { get; set; } = "FrameCount";

    /// <summary>Gets or sets the number of mel bands of the default log-mel encoder; Da is twice this. Default: 64 bands.</summary>
    /// <remarks>Ignored when <see cref="EncoderModelPath"/> is set.</remarks>
    public int MelBands { get; set; } = 64;

    /// <summary>
    /// Gets or sets an ONNX audio encoder to use instead of log-mel statistics, such as a WavLM export. Default: null (log-mel).
    /// </summary>
    /// <remarks>
    /// The model takes one input, the 16 kHz mono waveform as Single <c>[1, samples]</c> in [−1, 1], and its first output is
    /// Single <c>[1, steps, D]</c> with a fixed D, whose steps evenly span the waveform. Da is D.
    /// </remarks>
    public string? EncoderModelPath { get; set; }

    /// <summary>Gets or sets what to do with a video that has no audio track. Default: <see cref="SageMissingAudioPolicy.Error"/>.</summary>
    public SageMissingAudioPolicy MissingAudio { get; set; } = SageMissingAudioPolicy.Error;

    /// <summary>
    /// Gets or sets the folder that holds the <c>ffmpeg</c> and <c>ffprobe</c> binaries.
    /// Default: null, which uses FFMpegCore's <c>GlobalFFOptions.Current.BinaryFolder</c> (by default empty: the binaries are looked up on PATH).
    /// </summary>
    public string? FFMpegBinaryFolder { get; set; }

    /// <summary>Gets or sets the folder of the on-disk feature cache; null computes every video every time. Default: null.</summary>
    /// <remarks>
    /// When set, each video is read from <c>&lt;CacheFolder&gt;/audio-&lt;featurizerKey&gt;/&lt;videoKey&gt;.features</c> when that file
    /// exists and is intact, and computed and written there otherwise. Changing the encoder file, <see cref="MelBands"/> or <see cref="MissingAudio"/>, or touching the video, misses.
    /// See <see cref="SageFeatureCache"/> for the keys and for filling the cache in shards.
    /// When these rows feed <see cref="SageCatalog.Sage(Microsoft.ML.TransformsCatalog, SageOptions)"/> directly, a cached video is trained on a clip at a time, read
    /// straight from its file (its hash still checked), so training memory does not follow the video's length.
    /// </remarks>
    public string? CacheFolder { get; set; }

    /// <summary>Returns a copy of every setting, which the estimator keeps so that later changes to this object change nothing.</summary>
    internal SageAudioFeaturizerOptions Copy() => (SageAudioFeaturizerOptions)MemberwiseClone();
}
