using Microsoft.ML;
using Sage.MLNet.Data.AffWild2;
using Sage.MLNet.Evaluation.Corruption;
using Sage.MLNet.Media;
using Sage.MLNet.Featurization.Faces;
using Sage.MLNet.Synthetic;

namespace Sage.MLNet;

/// <summary>
/// Corrupts the picture or the sound of video rows on a copy, at the media level (face crops and audio tracks, before any
/// featurizer), so that the featurizers and the model meet the corruption as they would in a real video.
/// </summary>
public static class SageMediaCorruption
{
    /// <summary>The ground-truth file's name in the output folder.</summary>
    public const string GroundTruthFileName = "corruption.csv";

    /// <summary>The side file of a synthetic copy (see <see cref="Synthetic.SyntheticAffWild2"/>) that lists its unreliable stages.</summary>
    public const string SyntheticStagesFileName = SyntheticCopyFiles.ReliabilityFileName;

    /// <summary>
    /// Returns the rows of <paramref name="videos"/> with one modality corrupted on a copy in <paramref name="outputFolder"/>, and
    /// the ground truth of which frames were corrupted (also written to <see cref="GroundTruthFileName"/> there).
    /// </summary>
    /// <param name="ml">The ML.NET context that makes the returned rows.</param>
    /// <param name="videos">Rows with the columns of <see cref="AffWild2Catalog.LoadAffWild2"/>: VideoId, FaceFolder, VideoFile, Valence, Arousal, FrameCount.</param>
    /// <param name="corruption">What to do, to which share of each video, from which seed.</param>
    /// <param name="outputFolder">A missing or empty folder for the copy: <c>faces/&lt;video&gt;/</c> (every crop of a corrupted face
    /// folder: corrupted ones re-encoded, dropped ones left out, the rest copied) and <c>audio/&lt;video&gt;.mkv</c> (the picture copied,
    /// the sound as 16-bit PCM at 16 kHz).</param>
    /// <param name="progress">Receives the number of videos done after each; null for none.</param>
    /// <remarks>
    /// <para>Each video gets stretches of <see cref="SageCorruption.StretchFrames"/> frames covering round(<see cref="SageCorruption.Coverage"/>·T)
    /// frames, placed at random from the corruption's seed and the video's id, so the same seed gives the same files. A video
    /// without a corrupted frame keeps its original paths. Only the corrupted modality's column changes, so the other
    /// modality's features come from the original files (and a feature cache keyed by them).</para>
    /// <para>Each video's folder or file is written under a temporary name and renamed when complete; the ground-truth file last.</para>
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">A corruption option is out of range; the message names it. Or a column is missing.</exception>
    /// <exception cref="IOException"><paramref name="outputFolder"/> already holds files.</exception>
    /// <exception cref="InvalidDataException">A crop or an audio track cannot be read or written; the message names the video and the file.
    /// Or <see cref="SageCorruptionKind.AudioOtherVideo"/> is asked for rows that share one video file.</exception>
    /// <exception cref="FileNotFoundException">ffmpeg or ffprobe is missing, for an audio kind.</exception>
    public static SageCorruptedVideos Apply(MLContext ml, IDataView videos, SageCorruption corruption, string outputFolder, IProgress<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(ml);
        ArgumentNullException.ThrowIfNull(videos);
        ArgumentNullException.ThrowIfNull(corruption);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputFolder);
        corruption.Check();
        var rows = ReadRows(ml, videos);
        var root = Path.GetFullPath(outputFolder);
        if (Directory.Exists(root) && Directory.EnumerateFileSystemEntries(root).Any())
        {
            throw new IOException($"The corruption's output folder '{root}' is not empty; choose a new or empty folder");
        }
        Directory.CreateDirectory(root);
        var ffOptions = corruption.Modality == SageModality.Audio ? FFMpegBinaries.Find(corruption.FFMpegBinaryFolder) : null;

        var stretches = new List<SageCorruptedStretch>();
        var corrupted = new List<AffWild2Rows.Row>(rows.Count);
        for (var index = 0; index < rows.Count; index++)
        {
            var row = rows[index];
            var random = new Random(CorruptionStretches.VideoSeed(corruption.Seed, row.VideoId));
            var places = CorruptionStretches.Place(row.FrameCount, corruption.Coverage, corruption.StretchFrames, random);
            var copy = new AffWild2Rows.Row
            {
                VideoId = row.VideoId, FaceFolder = row.FaceFolder, VideoFile = row.VideoFile,
                Valence = row.Valence, Arousal = row.Arousal, FrameCount = row.FrameCount,
            };
            if (places.Count > 0)
            {
                if (corruption.Modality == SageModality.Visual)
                {
                    copy.FaceFolder = CorruptFaces(row, places, corruption, random, Path.Combine(root, "faces"));
                }
                else
                {
                    copy.VideoFile = CorruptAudio(row, rows, places, corruption, random, Path.Combine(root, "audio"), ffOptions!);
                }
                var condition = Condition(corruption.Kind);
                stretches.AddRange(places.Select(place => new SageCorruptedStretch(row.VideoId, place.First, place.Last, corruption.Modality, condition)));
            }
            corrupted.Add(copy);
            progress?.Report(index + 1);
        }
        var groundTruth = Path.Combine(root, GroundTruthFileName);
        GroundTruthFile.Write(groundTruth, stretches);
        return new SageCorruptedVideos(ml.Data.LoadFromEnumerable(corrupted), stretches, groundTruth);
    }

    /// <summary>
    /// Returns <paramref name="videos"/> as they are, with a synthetic copy's own unreliable stages (its
    /// <see cref="SyntheticStagesFileName"/>) as the ground truth: the generator's corruption, in both modalities.
    /// </summary>
    /// <param name="ml">The ML.NET context that makes the returned rows.</param>
    /// <param name="videos">Rows of the synthetic copy, with a VideoId column.</param>
    /// <param name="syntheticRoot">The copy's root folder.</param>
    /// <exception cref="FileNotFoundException">The root holds no <see cref="SyntheticStagesFileName"/>; the message names the path.</exception>
    /// <exception cref="InvalidDataException">A line of the file is malformed; the message names the line.</exception>
    public static SageCorruptedVideos SyntheticStages(MLContext ml, IDataView videos, string syntheticRoot)
    {
        ArgumentNullException.ThrowIfNull(ml);
        ArgumentNullException.ThrowIfNull(videos);
        ArgumentException.ThrowIfNullOrWhiteSpace(syntheticRoot);
        var path = Path.Combine(Path.GetFullPath(syntheticRoot), SyntheticStagesFileName);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Could not find '{path}': only a synthetic copy made by SyntheticAffWild2.Generate lists its unreliable stages", path);
        }
        var ids = ReadRows(ml, videos).Select(row => row.VideoId).ToHashSet(StringComparer.Ordinal);
        return new SageCorruptedVideos(videos, [.. GroundTruthFile.Read(path).Where(stretch => ids.Contains(stretch.VideoId))], path);
    }

    /// <summary>Returns the ground-truth file's condition for <paramref name="kind"/>.</summary>
    internal static string Condition(SageCorruptionKind kind) => kind switch
    {
        SageCorruptionKind.FaceOcclusion => "occluded",
        SageCorruptionKind.FaceBlur => "blurred",
        SageCorruptionKind.FaceDrop => "dropped",
        SageCorruptionKind.AudioSilence => "silent",
        SageCorruptionKind.AudioNoise => "noise",
        _ => "other_video",
    };

    private static List<AffWild2Rows.Row> ReadRows(MLContext ml, IDataView videos)
    {
        foreach (var name in new[] { "VideoId", "FaceFolder", "VideoFile", "Valence", "Arousal", "FrameCount" })
        {
            if (videos.Schema.GetColumnOrNull(name) is null)
            {
                throw new ArgumentOutOfRangeException(nameof(videos), $"the video rows have no '{name}' column; expected the columns of LoadAffWild2 (VideoId, FaceFolder, VideoFile, Valence, Arousal, FrameCount)");
            }
        }
        return [.. ml.Data.CreateEnumerable<AffWild2Rows.Row>(videos, reuseRowObject: false)];
    }

    private static string CorruptFaces(AffWild2Rows.Row row, IReadOnlyList<(int First, int Last)> places, SageCorruption corruption, Random random, string facesRoot)
    {
        var crops = FaceCropFrames.List(row.FaceFolder, row.VideoId, row.FrameCount);
        var mask = CorruptionStretches.Mask(row.FrameCount, places);
        var destination = Path.Combine(facesRoot, SafeName(row.VideoId));
        var temporary = Path.Combine(facesRoot, "." + SafeName(row.VideoId) + ".tmp");
        if (Directory.Exists(temporary))
        {
            Directory.Delete(temporary, recursive: true);
        }
        Directory.CreateDirectory(temporary);
        // One patch per stretch: an occluder stays where it is while it lasts.
        var stretchOf = new int[row.FrameCount];
        for (var s = 0; s < places.Count; s++)
        {
            for (var t = places[s].First; t <= places[s].Last; t++)
            {
                stretchOf[t] = s;
            }
        }
        var patches = new Dictionary<int, SkiaSharp.SKRectI>();
        for (var i = 0; i < crops.Files.Count; i++)
        {
            var (file, frame) = (crops.Files[i], crops.Frames[i]);
            var target = Path.Combine(temporary, Path.GetFileName(file));
            if (!mask[frame])
            {
                File.Copy(file, target);
                continue;
            }
            if (corruption.Kind == SageCorruptionKind.FaceDrop)
            {
                continue;
            }
            using var bitmap = FaceCorruption.Read(file, row.VideoId);
            if (corruption.Kind == SageCorruptionKind.FaceOcclusion)
            {
                if (!patches.TryGetValue(stretchOf[frame], out var patch))
                {
                    patches[stretchOf[frame]] = patch = FaceCorruption.Patch(bitmap.Width, bitmap.Height, corruption.EffectiveIntensity, random);
                }
                FaceCorruption.Occlude(bitmap, patch);
                FaceCorruption.Write(bitmap, target);
            }
            else
            {
                using var blurred = FaceCorruption.Blur(bitmap, corruption.EffectiveIntensity);
                FaceCorruption.Write(blurred, target);
            }
        }
        Directory.Move(temporary, destination);
        return destination;
    }

    private static string CorruptAudio(AffWild2Rows.Row row, IReadOnlyList<AffWild2Rows.Row> rows, IReadOnlyList<(int First, int Last)> places,
        SageCorruption corruption, Random random, string audioRoot, FFMpegCore.FFOptions ffOptions)
    {
        Directory.CreateDirectory(audioRoot);
        var (samples, clock) = AudioCorruption.Decode(row.VideoFile, row.VideoId, ffOptions);
        float[]? other = null;
        if (corruption.Kind == SageCorruptionKind.AudioOtherVideo)
        {
            var candidates = rows.Where(candidate => !string.Equals(Path.GetFullPath(candidate.VideoFile), Path.GetFullPath(row.VideoFile), StringComparison.Ordinal))
                .OrderBy(candidate => candidate.VideoId, StringComparer.Ordinal).ToList();
            if (candidates.Count == 0)
            {
                throw new InvalidDataException($"video '{row.VideoId}': audio-other-video needs another video file among the rows, and every row uses '{row.VideoFile}'");
            }
            var chosen = candidates[random.Next(candidates.Count)];
            other = AudioCorruption.Decode(chosen.VideoFile, chosen.VideoId, ffOptions).Samples;
        }
        var power = AudioCorruption.Power(samples);
        foreach (var (first, last) in places)
        {
            var (start, end) = AudioCorruption.Samples(clock, first, last, samples.Length);
            var span = samples.AsSpan(start, end - start);
            switch (corruption.Kind)
            {
                case SageCorruptionKind.AudioSilence:
                    span.Clear();
                    break;
                case SageCorruptionKind.AudioNoise:
                    AudioCorruption.AddNoise(span, power, corruption.EffectiveIntensity, random);
                    break;
                default:
                    AudioCorruption.CopyFrom(span, start, other!);
                    break;
            }
        }
        var destination = Path.Combine(audioRoot, SafeName(row.VideoId) + ".mkv");
        AudioCorruption.Write(row.VideoFile, samples, destination, row.VideoId, ffOptions);
        return destination;
    }

    private static string SafeName(string videoId) =>
        string.Concat(videoId.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));
}
