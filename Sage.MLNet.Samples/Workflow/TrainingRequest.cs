namespace Sage.MLNet.Samples.Workflow;

/// <summary>Everything one training run needs: the data, where files go, the encoders, the schedule and what to score afterwards.</summary>
/// <param name="DataRoot">The Aff-Wild2 copy.</param>
/// <param name="Output">Where the model, weights, metrics and plots go.</param>
/// <param name="CacheFolder">The feature cache; a second run with the same encoders reads features from it.</param>
/// <param name="Featurizers">The encoders.</param>
/// <param name="Training">The schedule.</param>
/// <param name="HeldOut">The labelled split scored after training.</param>
/// <param name="VideoPlots">How many scored videos to plot over time.</param>
internal sealed record TrainingRequest(string DataRoot, RunFolder Output, string CacheFolder, FeaturizerSettings Featurizers,
    TrainingSettings Training, HeldOutSplit HeldOut, int VideoPlots);
