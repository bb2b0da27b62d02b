using System.Diagnostics;
using System.Globalization;

using SkiaSharp;

namespace Sage.MLNet.Tests.Synthetic;

/// <summary>Reads back what <see cref="SyntheticAffWild2.Generate"/> wrote: labels, crop pixels, decoded audio, the reliability file.</summary>
internal static class SyntheticCopyReader
{
    public const int SampleRate = 16000;

    /// <summary>Returns the annotation file's rows as (valence, arousal) pairs, −5 kept.</summary>
    public static (float Valence, float Arousal)[] Labels(string annotationFile) =>
        [.. File.ReadLines(annotationFile).Skip(1).Select(line => line.Split(','))
            .Select(v => (float.Parse(v[0], CultureInfo.InvariantCulture), float.Parse(v[1], CultureInfo.InvariantCulture)))];

    /// <summary>Returns the mean of R, G and B over the box given as fractions of the crop's side.</summary>
    public static double MeanIntensity(string jpeg, double left, double top, double right, double bottom)
    {
        using var bitmap = SKBitmap.Decode(jpeg);
        return Pixels(bitmap, left, top, right, bottom).Average(c => (c.Red + c.Green + c.Blue) / 3.0);
    }

    /// <summary>Returns every pixel of the box given as fractions of the bitmap's side.</summary>
    public static IEnumerable<SKColor> Pixels(SKBitmap bitmap, double left, double top, double right, double bottom)
    {
        for (var y = (int)(top * bitmap.Height); y < (int)(bottom * bitmap.Height); y++)
        {
            for (var x = (int)(left * bitmap.Width); x < (int)(right * bitmap.Width); x++)
            {
                yield return bitmap.GetPixel(x, y);
            }
        }
    }

    /// <summary>Returns the video's audio decoded by ffmpeg to 16 kHz mono 16-bit samples.</summary>
    public static short[] DecodeAudio(string videoFile)
    {
        var start = new ProcessStartInfo("ffmpeg", $"-v error -i \"{videoFile}\" -vn -ac 1 -ar {SampleRate} -f s16le -")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var ffmpeg = Process.Start(start)!;
        var errors = ffmpeg.StandardError.ReadToEndAsync();
        using var pcm = new MemoryStream();
        ffmpeg.StandardOutput.BaseStream.CopyTo(pcm);
        ffmpeg.WaitForExit();
        Assert.AreEqual(0, ffmpeg.ExitCode, $"ffmpeg could not decode {videoFile}: {errors.Result}");
        var bytes = pcm.ToArray();
        var samples = new short[bytes.Length / 2];
        Buffer.BlockCopy(bytes, 0, samples, 0, samples.Length * 2);
        return samples;
    }

    /// <summary>Returns the root mean square, in [0, 1] of full scale, of the samples that play during frame <paramref name="frame"/>.</summary>
    public static double FrameRms(short[] samples, int frame, double framesPerSecond)
    {
        var first = (int)Math.Round(frame * SampleRate / framesPerSecond);
        var last = Math.Min(samples.Length, (int)Math.Round((frame + 1) * SampleRate / framesPerSecond));
        var sum = 0.0;
        for (var i = first; i < last; i++)
        {
            sum += (samples[i] / 32768.0) * (samples[i] / 32768.0);
        }
        return Math.Sqrt(sum / Math.Max(1, last - first));
    }

    /// <summary>Returns the reliability side file's rows.</summary>
    public static IReadOnlyList<Stage> Stages(string reliabilityFile) =>
        [.. File.ReadLines(reliabilityFile).Skip(1).Select(line => line.Split(','))
            .Select(v => new Stage(v[0], int.Parse(v[1], CultureInfo.InvariantCulture), int.Parse(v[2], CultureInfo.InvariantCulture), v[3], v[4]))];

    /// <summary>One row of <c>synthetic_reliability.csv</c>.</summary>
    public sealed record Stage(string Video, int FirstFrame, int LastFrame, string Modality, string Condition)
    {
        public bool Contains(int frame) => frame >= FirstFrame && frame <= LastFrame;
    }
}
