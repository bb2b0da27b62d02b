using Sage.MLNet.Data;
using Sage.MLNet.Evaluation;
using Sage.MLNet.Modeling;
using Sage.MLNet.Native;
using static TorchSharp.torch;

namespace Sage.MLNet.Training;

/// <summary>
/// What both trainers (<see cref="SageTrainer"/> and the cross-validation trainer) need around TorchSharp, in one place:
/// the native library loaded before the first tensor, TorchSharp's CPU threads set to <see cref="SageOptions.TrainingThreads"/>
/// for as long as the session lives (and restored when it is disposed), and a network scored on labelled videos.
/// </summary>
internal sealed class TorchSession : IDisposable
{
    private readonly int _previousThreads;

    /// <summary>Loads TorchSharp's native library (or throws <see cref="SageNativeLibraryException"/>) and sets its CPU threads; 0 leaves them as they are.</summary>
    public TorchSession(int threads)
    {
        TorchSharpRuntime.EnsureLoaded();
        _previousThreads = get_num_threads();
        if (threads > 0)
        {
            set_num_threads(threads);
        }
        Threads = get_num_threads();
    }

    /// <summary>The CPU threads TorchSharp uses on this thread while the session lives, unless <see cref="UseThreads"/> changes them.</summary>
    public int Threads { get; }

    /// <summary>Sets TorchSharp's CPU threads on the calling thread to <paramref name="threads"/>, or back to <see cref="Threads"/> when null.</summary>
    public void UseThreads(int? threads = null) => set_num_threads(threads ?? Threads);

    /// <summary>Returns the CCC of <paramref name="network"/> (already on <paramref name="device"/>) on every video of <paramref name="reader"/>, as validation computes it.</summary>
    public static CccMetrics Score(SageNetwork network, Device device, SageVideoReader reader)
    {
        var predictor = new SageNetworkPredictor(network, device);
        var evaluator = new CccEvaluator();
        // Features come a clip at a time, from the cache files when the rows allow it: no validation video is held whole.
        foreach (var video in reader.Read(streamFeatures: true))
        {
            var prediction = predictor.Predict(video);
            evaluator.AddVideo(prediction.Valence, prediction.Arousal, video.Valence, video.Arousal);
        }
        return evaluator.Result;
    }

    /// <summary>Restores the CPU thread count the session found.</summary>
    public void Dispose() => set_num_threads(_previousThreads);
}
