using System.Diagnostics;
using System.Globalization;
using FFMpegCore;
using Sage.MLNet.IO;
using Sage.MLNet.Media;

namespace Sage.MLNet.Featurization.Faces;

/// <summary>One video's extraction: the main person's crop folder, T, its flags and the frame times.</summary>
internal sealed record ExtractedFaces(string Folder, int FrameCount, float[] FaceFound, double[] FrameTimes, ExtractionManifest Manifest);

/// <summary>
/// Reads a video file to aligned face crops in the crop cache: decode, then <see cref="FaceFrameProcessor"/> frame by
/// frame, then the people are grouped and the main person's crops become the folder. Thread-safe: each call has its own
/// decoder and tracker; the detector serialises its own calls.
/// </summary>
/// <remarks>
/// Cache layout: <c>&lt;CacheFolder&gt;/&lt;key&gt;/</c> with the main person's <c>00001.jpg</c> … , every other person's
/// crops in <c>person-2/</c>, <c>person-3/</c> … , and <see cref="ExtractionManifest.FileName"/>. The key is the SHA-256 of
/// the video's full path, size and last-write time and of <see cref="SettingsIdentity"/>. The folder is built under a
/// temporary name and renamed when whole, so a crash or an error leaves nothing under the key; a folder that is found
/// whole is read, not made again.
/// </remarks>
internal sealed class FaceExtractor : IDisposable
{
    /// <summary>Changes whenever this code's crops change for the same settings (alignment rule, tracker, JPEG quality).</summary>
    public const int ExtractorVersion = 2;

    private readonly SageFaceExtractionOptions _options;
    private readonly ISageFaceDetector _detector;
    private readonly bool _ownsDetector;
    private readonly FFOptions _ffOptions;
    private readonly string _root;

    public FaceExtractor(SageFaceExtractionOptions options)
    {
        _options = options;
        _ffOptions = FFMpegBinaries.Find(options.FFMpegBinaryFolder);
        _root = Path.GetFullPath(options.CacheFolder ?? Path.Combine(Path.GetTempPath(), "sage-faces"));
        _ownsDetector = options.Detector is null;
        _detector = options.Detector
            ?? new BlazeFaceDetector(options.DetectorModel, options.MinDetectionScore, options.SuppressionOverlap, options.DetectorThreads);
        SettingsIdentity = string.Join('|',
            $"extractor={ExtractorVersion}", $"detector={_detector.Identity}", $"every={options.DetectEveryFrames}",
            $"gap={options.MaxGapFrames}", $"smoothing={options.SmoothingCutoff.ToString("R", CultureInfo.InvariantCulture)},{options.SmoothingBeta.ToString("R", CultureInfo.InvariantCulture)}",
            $"crop={options.CropSize}", $"decode={options.MaxDecodeSize}");
    }

    /// <summary>Every setting that changes the crops, the detector's identity included.</summary>
    public string SettingsIdentity { get; }

    /// <summary>The detector's identity (its model file's SHA-256 and thresholds).</summary>
    public string DetectorIdentity => _detector.Identity;

    /// <summary>The detector itself, for a live stream that detects frame by frame with the same settings; owned by this extractor.</summary>
    public ISageFaceDetector Detector => _detector;

    /// <summary>Where the time of every video extracted (not read from the cache) went.</summary>
    public FaceExtractionTimings Timings { get; } = new();

    /// <summary>Returns the video's crops, from the cache when they are there.</summary>
    /// <exception cref="InvalidDataException">The file is missing, not a video, cannot be decoded, has no frame, or (under <see cref="SageNoFacePolicy.Error"/>) no face; the message names it.</exception>
    public ExtractedFaces Extract(string videoFile)
    {
        if (string.IsNullOrEmpty(videoFile))
        {
            throw new InvalidDataException("a row has an empty video file path, so no faces can be extracted");
        }
        var info = new FileInfo(videoFile);
        if (!info.Exists)
        {
            throw new InvalidDataException($"video '{videoFile}' does not exist");
        }
        using var hash = new KeyHash().Add("face-crops").Add(SettingsIdentity).Add(info.FullName).Add(info.Length).Add(info.LastWriteTimeUtc.Ticks);
        var folder = Path.Combine(_root, hash.ToHex());
        var manifest = ExtractionManifest.TryRead(folder);
        if (manifest is null)
        {
            if (Directory.Exists(folder))
            {
                // Not made by this code (no manifest): never trust it.
                Directory.Delete(folder, recursive: true);
            }
            manifest = Build(info.FullName, videoFile, folder);
        }
        var main = manifest.People.FirstOrDefault();
        return new ExtractedFaces(folder, manifest.FrameCount, main?.FaceFound ?? new float[manifest.FrameCount], manifest.FrameTimes, manifest);
    }

    public void Dispose()
    {
        if (_ownsDetector)
        {
            _detector.Dispose();
        }
    }

    private ExtractionManifest Build(string fullPath, string videoFile, string folder)
    {
        Directory.CreateDirectory(_root);
        var temporary = Path.Combine(_root, $".{Path.GetFileName(folder)}.{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(temporary);
            var manifest = Decode(fullPath, videoFile, temporary);
            try
            {
                Directory.Move(temporary, folder);
            }
            catch (IOException) when (ExtractionManifest.TryRead(folder) is { } other)
            {
                // Another caller finished the same video first; its crops are the same.
                return other;
            }
            return manifest;
        }
        finally
        {
            if (Directory.Exists(temporary))
            {
                Directory.Delete(temporary, recursive: true);
            }
        }
    }

    private ExtractionManifest Decode(string fullPath, string videoFile, string temporary)
    {
        var timings = new FaceExtractionTimings();
        var times = new List<double>();
        var written = new Dictionary<int, List<int>>();     // track → frames with a crop file
        List<FaceTrack> tracks;
        int width;
        using (var reader = VideoFrameReader.Open(videoFile, _ffOptions, _options.MaxDecodeSize))
        using (var processor = new FaceFrameProcessor(_detector, _options))
        {
            width = reader.Width;
            var clock = Stopwatch.StartNew();
            while (reader.Next() is { } frame)
            {
                timings.Decode += clock.Elapsed;
                times.Add(frame.Time);
                var crops = processor.Process(frame);
                clock.Restart();
                foreach (var crop in crops)
                {
                    var trackFolder = Path.Combine(temporary, $"t{crop.TrackId}");
                    if (!written.TryGetValue(crop.TrackId, out var frames))
                    {
                        Directory.CreateDirectory(trackFolder);
                        written[crop.TrackId] = frames = [];
                    }
                    File.WriteAllBytes(Path.Combine(trackFolder, CropName(crop.Frame)), crop.Jpeg);
                    frames.Add(crop.Frame);
                }
                timings.Write += clock.Elapsed;
                clock.Restart();
            }
            tracks = processor.Finish();
            timings.Add(processor.Timings);
            timings.Frames = times.Count;
        }
        if (times.Count == 0)
        {
            throw new InvalidDataException($"video '{videoFile}' has no video frames");
        }
        var people = FacePeople.Group([.. tracks.Where(t => written.ContainsKey(t.Id))]);
        if (people.Count == 0 && _options.NoFace == SageNoFacePolicy.Error)
        {
            throw new InvalidDataException(
                $"video '{videoFile}': no face was found in any of its {times.Count} frames; set {nameof(SageFaceExtractionOptions)}.{nameof(SageFaceExtractionOptions.NoFace)} = {nameof(SageNoFacePolicy)}.{nameof(SageNoFacePolicy.Empty)} to give such videos no crops");
        }
        var extracted = new List<ExtractedPerson>();
        for (var p = 0; p < people.Count; p++)
        {
            var relative = p == 0 ? "" : $"person-{p + 1}";
            var target = Path.Combine(temporary, relative);
            Directory.CreateDirectory(target);
            var found = new float[times.Count];
            foreach (var id in people[p].TrackIds)
            {
                foreach (var frame in written[id])
                {
                    File.Move(Path.Combine(temporary, $"t{id}", CropName(frame)), Path.Combine(target, CropName(frame)));
                    found[frame] = 1;
                }
                Directory.Delete(Path.Combine(temporary, $"t{id}"));
            }
            extracted.Add(new ExtractedPerson(relative, people[p].Presence, people[p].MeanCentreX / width, found));
        }
        var manifest = new ExtractionManifest(ExtractionManifest.CurrentFormatVersion, fullPath, _detector.Identity, times.Count, [.. times], [.. extracted]);
        manifest.Write(temporary);
        lock (Timings)
        {
            Timings.Add(timings);
        }
        return manifest;
    }

    /// <summary>Aff-Wild2's crop name: frame 0 is <c>00001.jpg</c>.</summary>
    public static string CropName(int frame) => (frame + 1).ToString("D5", CultureInfo.InvariantCulture) + ".jpg";
}
