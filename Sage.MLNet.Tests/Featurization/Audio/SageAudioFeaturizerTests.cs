using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Sage.MLNet.Featurization.Audio;
using Sage.MLNet.Media;
using Sage.MLNet.Tests.Media;

namespace Sage.MLNet.Tests.Featurization.Audio;

[TestClass]
public sealed class SageAudioFeaturizerTests
{
    private const int Da = 128;
    private static TestVideos s_videos = null!;
    private static string s_tone25 = null!;
    private static string s_tone2997 = null!;

    public TestContext TestContext { get; set; } = null!;

    [ClassInitialize]
    public static void MakeVideos(TestContext _)
    {
        s_videos = new TestVideos();
        s_tone25 = s_videos.WithToneFromOneSecond("tone25.mp4", "25");
        s_tone2997 = s_videos.WithToneFromOneSecond("tone2997.mp4", "30000/1001");
    }

    [ClassCleanup]
    public static void DeleteVideos() => s_videos.Dispose();

    [TestMethod]
    [DataRow(75)]
    [DataRow(10)]
    public void FeaturizeAudio_DefaultEncoder_GivesFrameCountTimesDaValues(int frameCount)
    {
        var features = Featurize(new SageAudioFeaturizerOptions(), (s_tone25, frameCount));

        Assert.HasCount(frameCount * Da, features[0]);
        Assert.IsTrue(features[0].All(float.IsFinite));
    }

    [TestMethod]
    [DataRow("tone25.mp4", 25.0)]
    [DataRow("tone2997.mp4", 30000.0 / 1001)]
    public void FeaturizeAudio_ToneStartsAtOneSecond_EnergyRisesAtThatFrame(string video, double fps)
    {
        var frameCount = (int)(2.9 * fps);
        var features = Featurize(new SageAudioFeaturizerOptions(), (Path.Combine(s_videos.Folder, video), frameCount))[0];
        var energy = Enumerable.Range(0, frameCount).Select(t => MeanLogMel(features, t)).ToArray();
        var threshold = (energy.Min() + energy.Max()) / 2;
        var toneFrame = TestVideos.ToneStart * fps;

        for (var t = 0; t < frameCount; t++)
        {
            if (t < toneFrame - 1.5)
            {
                Assert.IsLessThan(threshold, energy[t], $"frame {t} at {fps:F2} fps is before the tone");
            }
            else if (t > toneFrame + 1.5)
            {
                Assert.IsGreaterThan(threshold, energy[t], $"frame {t} at {fps:F2} fps is after the tone starts");
            }
        }
    }

    [TestMethod]
    public void FeaturizeAudio_FrameCountBeyondAudio_RepeatsLastMelFrame()
    {
        const int frameCount = 125;            // 5 s at 25 fps of a 3 s video
        var features = Featurize(new SageAudioFeaturizerOptions(), (s_tone25, frameCount))[0];
        var shorter = Featurize(new SageAudioFeaturizerOptions(), (s_tone25, 50))[0];

        var last = features.AsSpan((frameCount - 1) * Da, Da).ToArray();
        for (var t = 80; t < frameCount; t++)
        {
            CollectionAssert.AreEqual(last, features.AsSpan(t * Da, Da).ToArray(), $"frame {t} is past the end of the audio");
        }
        Assert.IsTrue(last.Skip(Da / 2).All(std => std == 0), "a single mel frame has standard deviation 0");
        Assert.IsGreaterThan(-5f, MeanLogMel(features, frameCount - 1), "the audio ends in the loud tone");
        CollectionAssert.AreEqual(shorter, features[..(50 * Da)], "the first frames do not depend on T");
    }

    [TestMethod]
    public void FeaturizeAudio_NoAudioTrack_ThrowsNamingVideo()
    {
        var video = s_videos.WithoutAudio("silent-film.mp4");

        var error = Assert.ThrowsExactly<InvalidDataException>(() => Featurize(new SageAudioFeaturizerOptions(), (video, 10)));

        StringAssert.Contains(error.Message, video);
        StringAssert.Contains(error.Message, "no audio track");
    }

    [TestMethod]
    public void FeaturizeAudio_NoAudioTrackWithZerosPolicy_GivesZeros()
    {
        var video = s_videos.WithoutAudio("silent-film-zeros.mp4");

        var features = Featurize(new SageAudioFeaturizerOptions { MissingAudio = SageMissingAudioPolicy.Zeros }, (video, 10), (s_tone25, 10));

        Assert.HasCount(10 * Da, features[0]);
        Assert.IsTrue(features[0].All(value => value == 0));
        Assert.IsTrue(features[1].Any(value => value != 0), "the video with audio still gets features");
    }

    [TestMethod]
    public void FeaturizeAudio_TruncatedVideo_ThrowsNamingFileAndFFMpegMessage()
    {
        var video = s_videos.Truncated("cut-short.mp4");

        var error = Assert.ThrowsExactly<InvalidDataException>(() => Featurize(new SageAudioFeaturizerOptions(), (video, 10)));

        StringAssert.Contains(error.Message, video);
        TestContext.WriteLine(error.Message);
    }

    [TestMethod]
    public void FeaturizeAudio_TextFileNamedMp4_ThrowsNamingFile()
    {
        var video = s_videos.TextRenamed("not-a-video.mp4");

        var error = Assert.ThrowsExactly<InvalidDataException>(() => Featurize(new SageAudioFeaturizerOptions(), (video, 10)));

        StringAssert.Contains(error.Message, video);
        StringAssert.Contains(error.Message, "Invalid data");
        TestContext.WriteLine(error.Message);
    }

    [TestMethod]
    public void Fit_FFMpegNotInBinaryFolder_ThrowsSayingHowToInstall()
    {
        var empty = Directory.CreateTempSubdirectory("sage-no-ffmpeg-");
        try
        {
            var ml = new MLContext(seed: 1);
            var estimator = ml.Transforms.FeaturizeAudio(new SageAudioFeaturizerOptions { FFMpegBinaryFolder = empty.FullName });

            var error = Assert.ThrowsExactly<FileNotFoundException>(() => estimator.Fit(Rows(ml, (s_tone25, 10))));

            StringAssert.Contains(error.Message, "apt-get install -y ffmpeg");
            StringAssert.Contains(error.Message, nameof(SageAudioFeaturizerOptions.FFMpegBinaryFolder));
            StringAssert.Contains(error.Message, empty.FullName);
        }
        finally
        {
            empty.Delete();
        }
    }

    [TestMethod]
    public void FeaturizeAudio_OnnxEncoder_InterpolatesStepsToFrameTimes()
    {
        var model = Path.Combine(s_videos.Folder, "tiny-encoder.onnx");
        TinyAudioEncoderModel.Write(model);
        const int sampleCount = 2 * DecodedAudio.SampleRate;           // 100 steps of 20 ms
        var ramp = Enumerable.Range(0, sampleCount).Select(n => (float)n / sampleCount).ToArray();
        using var encoder = new OnnxAudioEncoder(model);
        const int frameCount = 60;                                      // 2.4 s at 25 fps: the last 10 frames are past the end
        var features = new float[frameCount * 2];

        var encoding = encoder.Start(new AudioClock(25, 0, 2), frameCount, features);
        encoding.Append(ramp);
        encoding.Complete();

        Assert.AreEqual(2, encoder.FeatureSize);
        for (var t = 0; t < frameCount; t++)
        {
            // Frame t (t/25 s) lies halfway between the centres of steps 2t − 1 and 2t, clamped to the first and last step.
            var (mean, first) = t switch
            {
                0 => (159.5, 0.0),
                >= 50 => (320 * 99 + 159.5, 320.0 * 99),
                _ => (640.0 * t - 0.5, 640.0 * t - 160),
            };
            Assert.AreEqual(mean / sampleCount, features[2 * t], 1e-5, $"frame {t}, block mean");
            Assert.AreEqual(first / sampleCount, features[2 * t + 1], 1e-5, $"frame {t}, first sample");
        }
    }

    [TestMethod]
    public void FeaturizeAudio_OnnxEncoderOnVideo_GivesFrameCountTimesD()
    {
        var model = Path.Combine(s_videos.Folder, "tiny-encoder-video.onnx");
        TinyAudioEncoderModel.Write(model);

        var features = Featurize(new SageAudioFeaturizerOptions { EncoderModelPath = model }, (s_tone25, 50))[0];

        Assert.HasCount(50 * 2, features);
        Assert.IsTrue(features.Take(2 * 20).All(value => Math.Abs(value) < 1e-3), "the first second is silent");
        Assert.IsTrue(features.Skip(2 * 30).Where((_, i) => i % 2 == 1).Any(value => Math.Abs(value) > 0.1), "the tone is loud");
    }

    [TestMethod]
    public void Fit_VideoFileColumnMissing_ThrowsNamingColumn()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable([new FrameCountOnly { FrameCount = 3 }]);

        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Transforms.FeaturizeAudio().Fit(data));

        StringAssert.Contains(error.Message, "Could not find video file column 'VideoFile'");
    }

    [TestMethod]
    public void GetOutputSchema_FrameCountIsSingle_ThrowsSchemaMismatchNamingColumn()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable([new SingleFrameCount { VideoFile = s_tone25, FrameCount = 3 }]);

        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(
            () => ml.Transforms.FeaturizeAudio().GetOutputSchema(TestData.ShapeOf(data.Schema)));

        StringAssert.Contains(error.Message, "Schema mismatch for frame count column 'FrameCount': expected Int32, got Single");
    }

    [TestMethod]
    public void Fit_PromisedSchema_EqualsDeliveredAndSaveIsNotSupported()
    {
        var ml = new MLContext(seed: 1);
        var data = Rows(ml, (s_tone25, 5));
        var estimator = ml.Transforms.FeaturizeAudio();
        using var transformer = estimator.Fit(data);

        var promised = estimator.GetOutputSchema(TestData.ShapeOf(data.Schema)).Single(c => c.Name == "AudioFeatures");
        var delivered = transformer.Transform(data).Schema["AudioFeatures"];

        Assert.AreEqual(SchemaShape.Column.VectorKind.VariableVector, promised.Kind);
        Assert.AreEqual(NumberDataViewType.Single, promised.ItemType);
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single), delivered.Type);
        Assert.AreEqual(Da, transformer.FeatureSize);
        var error = Assert.ThrowsExactly<NotSupportedException>(() => ml.Model.Save(transformer, data.Schema, new MemoryStream()));
        StringAssert.Contains(error.Message, "cannot be saved");
    }

    [TestMethod]
    public void FeaturizeAudio_SixtySecondVideo_StreamsEveryFrameWithTheToneFromOneSecond()
    {
        // Speed is measured by `benchmark featurization`; this checks a long video comes through whole and aligned.
        var video = s_videos.WithToneFromOneSecond("sixty-seconds.mp4", "25", 60);

        var features = Featurize(new SageAudioFeaturizerOptions(), (video, 1500))[0];

        Assert.HasCount(1500 * Da, features);
        var silent = Enumerable.Range(2, 20).Average(frame => MeanLogMel(features, frame));
        var tone = Enumerable.Range(30, 1450).Select(frame => MeanLogMel(features, frame)).ToArray();
        Assert.IsGreaterThan(silent + 5, tone.Min());
        Assert.IsLessThan(2, tone.Max() - tone.Min());      // a steady tone: AAC moves the mean log-mel by under one nat
    }

    private static float MeanLogMel(float[] features, int frame) => features.AsSpan(frame * Da, Da / 2).ToArray().Average();

    private static List<float[]> Featurize(SageAudioFeaturizerOptions options, params (string Video, int FrameCount)[] rows)
    {
        var ml = new MLContext(seed: 1);
        var data = Rows(ml, rows);
        using var transformer = ml.Transforms.FeaturizeAudio(options).Fit(data);
        return ml.Data.CreateEnumerable<FeaturesRow>(transformer.Transform(data), reuseRowObject: false)
            .Select(row => row.AudioFeatures)
            .ToList();
    }

    [TestMethod]
    public void FeaturizeAudio_OptionsChangedAfterTheCall_EstimatorKeepsTheValidatedCopy()
    {
        var ml = new MLContext(seed: 1);
        var options = new SageAudioFeaturizerOptions { OutputColumnName = "Audio" };
        var estimator = ml.Transforms.FeaturizeAudio(options);
        options.OutputColumnName = "";              // would fail validation in the catalog call
        options.VideoFileColumnName = "Elsewhere";
        options.MelBands = 0;

        var shape = estimator.GetOutputSchema(TestData.ShapeOf(Rows(ml, (s_tone25, 3)).Schema));

        CollectionAssert.AreEqual(new[] { "VideoFile", "FrameCount", "Audio" }, shape.Select(c => c.Name).ToArray());
    }

    [TestMethod]
    public void FeaturizeAudio_EmptyCacheFolder_ThrowsNamingTheOption()
    {
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(
            () => new MLContext().Transforms.FeaturizeAudio(new SageAudioFeaturizerOptions { CacheFolder = " " }));

        Assert.AreEqual("CacheFolder", error.ParamName);
        StringAssert.Contains(error.Message, "must be null (no cache) or a folder");
    }

    private static IDataView Rows(MLContext ml, params (string Video, int FrameCount)[] rows) =>
        ml.Data.LoadFromEnumerable(rows.Select(row => new VideoRow { VideoFile = row.Video, FrameCount = row.FrameCount }).ToList());

    private sealed class VideoRow
    {
        public string VideoFile { get; set; } = "";

        public int FrameCount { get; set; }
    }

    private sealed class FeaturesRow
    {
        public float[] AudioFeatures { get; set; } = [];
    }

    private sealed class FrameCountOnly
    {
        public int FrameCount { get; set; }
    }

    private sealed class SingleFrameCount
    {
        public string VideoFile { get; set; } = "";

        public float FrameCount { get; set; }
    }
}
