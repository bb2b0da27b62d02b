namespace Sage.MLNet;

/// <summary>
/// Training-time augmentation of face crops, as in the paper: a random square-ish crop resized back to the encoder's input
/// size, and a random horizontal flip. Set it as <see cref="SageFaceFeaturizerOptions.TrainingAugmentation"/> on the
/// featurizer of the training rows only.
/// </summary>
/// <remarks>
/// <para>The draw for a crop depends only on <see cref="Seed"/>, the name of the video's crop folder and the crop's file
/// name, so the same settings give the same features in every run and the feature cache can keep them. Each frame
/// therefore has one augmented view per seed; featurise the training rows with several seeds for more views.</para>
/// <para>Validation, test and serving rows must be featurised without augmentation: <see cref="SageModel.Save"/> never
/// keeps it, so a model loaded with <see cref="SageModel.LoadWithFeaturizers"/> featurises new videos unaugmented.</para>
/// </remarks>
public sealed class SageFaceAugmentation
{
    /// <summary>Gets or sets the chance that a crop is mirrored left to right, in [0, 1]. Default: 0.5.</summary>
    public double HorizontalFlipProbability { get; set; } = 0.5;

    /// <summary>
    /// Gets or sets the smallest share of the crop's width and height the random crop keeps, in (0, 1]: each image keeps a
    /// share drawn uniformly from [MinCropScale, 1] of both sides at a uniformly drawn position. 1 turns cropping off.
    /// Default: 0.875 (98 of 112 pixels at least).
    /// </summary>
    public double MinCropScale { get; set; } = 0.875;

    /// <summary>Gets or sets the seed of the draws. Default: 1.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>Returns a copy of every setting.</summary>
    internal SageFaceAugmentation Copy() => (SageFaceAugmentation)MemberwiseClone();
}
