using Microsoft.ML;
using Microsoft.ML.Data;
using Sage.MLNet.Featurization.Audio;
using Sage.MLNet.Media;

namespace Sage.MLNet.Samples.Benchmarks;

/// <summary>Audio featurisation (ffmpeg decode to 16 kHz mono, then 64-band log-mel summaries per video frame) in multiples of real time, and its peak memory.</summary>
internal static class AudioBenchmark
{
    /// <summary>Adds the featuriser's and the decoder's speed on <paramref name="video"/>, in multiples of real time, to the table.</summary>
    public static void Throughput(string video, double minutes, int rounds, ResultTable table)
    {
        var frames = FrameCount(minutes);
        var decoder = new AudioDecoder(FFMpegBinaries.Find(null));
        using var featurizer = new AudioFeaturizer(decoder, new LogMelEncoder(new SageAudioFeaturizerOptions().MelBands), SageMissingAudioPolicy.Error);
        featurizer.Featurize(video, frames);        // warm-up
        var whole = new Spread();
        var decoding = new Spread();
        for (var round = 0; round < rounds; round++)
        {
            whole.Add(minutes * 60 / Timed.Seconds(() => featurizer.Featurize(video, frames)));
            decoding.Add(minutes * 60 / Timed.Seconds(() => decoder.Decode(video, _ => { })));
        }
        table.Add("Audio: featuriser (decode + log-mel)", whole.ToString(), "× real time", $"{minutes:0.#}-minute video, {rounds} rounds");
        table.Add("Audio: ffmpeg decode alone", decoding.ToString(), "× real time", "ffmpeg to 16 kHz mono floats, samples dropped");
    }

    /// <summary>
    /// Featurises one video (meant for a child process) and prints peak memory and output size: through the public
    /// estimator, whose output ML.NET copies on its way to the caller, or with <paramref name="direct"/> through the
    /// featuriser alone.
    /// </summary>
    public static int MeasureMemory(string video, double minutes, bool direct)
    {
        long values;
        if (direct)
        {
            using var featurizer = new AudioFeaturizer(new AudioDecoder(FFMpegBinaries.Find(null)), new LogMelEncoder(new SageAudioFeaturizerOptions().MelBands), SageMissingAudioPolicy.Error);
            values = featurizer.Featurize(video, FrameCount(minutes)).Length;
        }
        else
        {
            var ml = new MLContext(seed: 1);
            var data = ml.Data.LoadFromEnumerable([new VideoRow { VideoFile = video, FrameCount = FrameCount(minutes) }]);
            using var model = ml.Transforms.FeaturizeAudio(new SageAudioFeaturizerOptions()).Fit(data);
            values = VectorColumn.Lengths(model.Transform(data), "AudioFeatures").Single();
        }
        Console.WriteLine($"{ChildProcess.PeakResidentMegabytes()} {values * 4.0 / (1 << 20):F1}");
        return 0;
    }

    /// <summary>Returns T for a synthetic video of <paramref name="minutes"/> at 30 fps.</summary>
    public static int FrameCount(double minutes) => (int)Math.Round(minutes * 60 * SyntheticMedia.FramesPerSecond);

    private sealed class VideoRow
    {
        public string VideoFile { get; set; } = "";

        public int FrameCount { get; set; }
    }
}
