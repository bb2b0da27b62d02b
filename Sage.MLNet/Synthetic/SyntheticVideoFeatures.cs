using Microsoft.ML;

namespace Sage.MLNet.Synthetic;

/// <summary>
/// Makes per-frame feature sequences of imaginary videos in which the informative modality changes over
/// time: in some stretches the face carries the valence and arousal and the audio is noise, in others the
/// reverse. A model that weighs modalities by reliability does well on it; one that averages does not.
/// </summary>
/// <remarks>
/// Rows are generated on demand from the seed each time the data is read, so even thousands of long
/// videos take no memory. About 5 % of frames carry −5 labels, as unannotated frames do in Aff-Wild2.
/// </remarks>
public static class SyntheticVideoFeatures
{
    /// <summary>Returns a data view of <paramref name="videos"/> rows with the columns SAGE reads by default, plus VideoId.</summary>
    /// <param name="mlContext">The context that makes the data view.</param>
    /// <param name="videos">Number of videos (rows).</param>
    /// <param name="visualFeatureSize">Dv, values per frame in VisualFeatures.</param>
    /// <param name="audioFeatureSize">Da, values per frame in AudioFeatures.</param>
    /// <param name="minFrames">Shortest video, in frames.</param>
    /// <param name="maxFrames">Longest video, in frames.</param>
    /// <param name="seed">Seed; the same seed gives the same videos. Videos made with different seeds share the feature projections, so one can train and the other test.</param>
    public static IDataView Create(MLContext mlContext, int videos, int visualFeatureSize, int audioFeatureSize,
        int minFrames = 200, int maxFrames = 1200, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentOutOfRangeException.ThrowIfNegative(videos);
        ArgumentOutOfRangeException.ThrowIfLessThan(visualFeatureSize, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(audioFeatureSize, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(minFrames, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFrames, minFrames);
        var projections = new Projections(visualFeatureSize, audioFeatureSize);
        return mlContext.Data.LoadFromEnumerable(Generate(videos, projections, minFrames, maxFrames, seed));
    }

    private static IEnumerable<SyntheticVideoRow> Generate(int videos, Projections projections, int minFrames, int maxFrames, int seed)
    {
        for (var i = 0; i < videos; i++)
        {
            yield return MakeVideo($"synthetic-{seed}-{i:D5}", new Random(SeedMixer.MixVideo(seed, i)), projections, minFrames, maxFrames);
        }
    }

    private static SyntheticVideoRow MakeVideo(string id, Random random, Projections projections, int minFrames, int maxFrames)
    {
        var frames = random.Next(minFrames, maxFrames + 1);
        var valence = SmoothTrajectory.CreateInFrames(random, frames);
        var arousal = SmoothTrajectory.CreateInFrames(random, frames);
        var visualReliable = ReliabilityStages(random, frames);
        var visual = new float[frames * projections.VisualSize];
        var audio = new float[frames * projections.AudioSize];
        for (var t = 0; t < frames; t++)
        {
            // The unreliable modality keeps a faint trace of the signal under strong noise.
            Project(projections.Visual, valence[t], arousal[t], visualReliable[t] ? 1.0 : 0.1, visualReliable[t] ? 0.1 : 1.0,
                visual.AsSpan(t * projections.VisualSize, projections.VisualSize), random);
            Project(projections.Audio, valence[t], arousal[t], visualReliable[t] ? 0.1 : 1.0, visualReliable[t] ? 1.0 : 0.1,
                audio.AsSpan(t * projections.AudioSize, projections.AudioSize), random);
        }
        var valenceLabels = valence.Select(v => (float)v).ToArray();
        var arousalLabels = arousal.Select(a => (float)a).ToArray();
        if (frames >= 40 && random.NextDouble() < 0.5)
        {
            var length = frames / 20;
            var start = random.Next(frames - length);
            valenceLabels.AsSpan(start, length).Fill(SageLabels.NotAnnotated);
            arousalLabels.AsSpan(start, length).Fill(SageLabels.NotAnnotated);
        }
        return new SyntheticVideoRow
        {
            VideoId = id,
            VisualFeatures = visual,
            AudioFeatures = audio,
            Valence = valenceLabels,
            Arousal = arousalLabels,
        };
    }

    /// <summary>Alternating stretches of 60 to 400 frames in which the face (true) or the audio (false) is the reliable modality.</summary>
    private static bool[] ReliabilityStages(Random random, int frames)
    {
        var stages = new bool[frames];
        var visualReliable = random.NextDouble() < 0.5;
        foreach (var (first, last) in ReliabilityStage.Stretches(random, frames, 60, 400))
        {
            stages.AsSpan(first, last - first + 1).Fill(visualReliable);
            visualReliable = !visualReliable;
        }
        return stages;
    }

    private static void Project(float[,] projection, double valence, double arousal, double signal, double noise, Span<float> features, Random random)
    {
        for (var d = 0; d < features.Length; d++)
        {
            var value = signal * (projection[d, 0] * valence + projection[d, 1] * arousal) + noise * Gaussian(random);
            features[d] = (float)value;
        }
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>Fixed random maps from (valence, arousal) to each modality's feature space.</summary>
    private sealed class Projections
    {
        public Projections(int visualSize, int audioSize)
        {
            var random = new Random(20261125);
            Visual = Make(random, visualSize);
            Audio = Make(random, audioSize);
        }

        public float[,] Visual { get; }

        public float[,] Audio { get; }

        public int VisualSize => Visual.GetLength(0);

        public int AudioSize => Audio.GetLength(0);

        private static float[,] Make(Random random, int size)
        {
            var projection = new float[size, 2];
            for (var d = 0; d < size; d++)
            {
                projection[d, 0] = (float)Gaussian(random);
                projection[d, 1] = (float)Gaussian(random);
            }
            return projection;
        }
    }

    private sealed class SyntheticVideoRow
    {
        public string VideoId { get; set; } = "";

        public float[] VisualFeatures { get; set; } = [];

        public float[] AudioFeatures { get; set; } = [];

        public float[] Valence { get; set; } = [];

        public float[] Arousal { get; set; } = [];
    }
}
