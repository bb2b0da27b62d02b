using System.CommandLine;
using Sage.MLNet.Samples.Benchmarks;

namespace Sage.MLNet.Samples;

/// <summary>
/// The <c>benchmark</c> command: bare, it measures training and inference of the default network;
/// <c>benchmark featurization</c> measures the face and audio featurisers and the feature cache; <c>benchmark live</c> a live stream.
/// </summary>
internal static class BenchmarkCommand
{
    public static Command Create()
    {
        var command = TrainingBenchmark.Create();
        command.Subcommands.Add(FeaturizationBenchmark.Create());
        command.Subcommands.Add(FullSizeBenchmark.Create());
        command.Subcommands.Add(LiveBenchmark.Create());
        return command;
    }
}
