using System.Buffers.Binary;
using System.Diagnostics;
using FFMpegCore;
using Sage.MLNet.Media;

namespace Sage.MLNet.Evaluation.Corruption;

/// <summary>Corrupts a decoded 16 kHz mono waveform in sample ranges, and writes it back beside the original picture.</summary>
internal static class AudioCorruption
{
    /// <summary>Returns the waveform's mean power (mean of squares); 0 for an empty one.</summary>
    public static double Power(ReadOnlySpan<float> samples)
    {
        double sum = 0;
        foreach (var sample in samples)
        {
            sum += (double)sample * sample;
        }
        return samples.Length == 0 ? 0 : sum / samples.Length;
    }

    /// <summary>Adds white Gaussian noise of power <paramref name="referencePower"/> / 10^(snr/10) to <paramref name="samples"/>.</summary>
    public static void AddNoise(Span<float> samples, double referencePower, double snrDecibels, Random random)
    {
        var deviation = Math.Sqrt(referencePower / Math.Pow(10, snrDecibels / 10));
        for (var i = 0; i < samples.Length; i++)
        {
            // Box-Muller; 1 - NextDouble() lies in (0, 1], so the logarithm is finite.
            var gaussian = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            samples[i] = (float)Math.Clamp(samples[i] + deviation * gaussian, -1, 32767 / 32768.0);
        }
    }

    /// <summary>Copies <paramref name="other"/>'s samples at the same positions into <paramref name="samples"/>[start..], wrapping around a shorter track.</summary>
    public static void CopyFrom(Span<float> samples, int start, float[] other)
    {
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = other.Length == 0 ? 0 : other[(start + i) % other.Length];
        }
    }

    /// <summary>Returns the sample range [start, end) of frames <paramref name="first"/> … <paramref name="last"/> on the waveform, clamped to its length.</summary>
    public static (int Start, int End) Samples(AudioClock clock, int first, int last, int length)
    {
        var start = (int)Math.Round(clock.FrameTime(first) * DecodedAudio.SampleRate);
        var end = (int)Math.Round(clock.FrameTime(last + 1) * DecodedAudio.SampleRate);
        return (Math.Clamp(start, 0, length), Math.Clamp(end, 0, length));
    }

    /// <summary>Returns the whole audio track of <paramref name="videoFile"/> at 16 kHz mono, and its clock.</summary>
    /// <exception cref="InvalidDataException">The file has no audio track or cannot be decoded; the message names it.</exception>
    public static (float[] Samples, AudioClock Clock) Decode(string videoFile, string video, FFOptions ffOptions)
    {
        var decoder = new AudioDecoder(ffOptions);
        var clock = decoder.Probe(videoFile)
            ?? throw new InvalidDataException($"video '{video}': file '{videoFile}' has no audio track to corrupt");
        var samples = new List<float>((int)(clock.DurationSeconds * DecodedAudio.SampleRate) + DecodedAudio.SampleRate);
        decoder.Decode(videoFile, block => samples.AddRange(block));
        return ([.. samples], clock);
    }

    /// <summary>
    /// Writes <paramref name="destination"/> (Matroska): the picture of <paramref name="videoFile"/> copied as it is and
    /// <paramref name="samples"/> as 16-bit PCM, through a temporary file and a rename.
    /// </summary>
    /// <exception cref="InvalidDataException">ffmpeg fails; the message names the video and quotes ffmpeg.</exception>
    public static void Write(string videoFile, float[] samples, string destination, string video, FFOptions ffOptions)
    {
        var pcm = destination + ".tmp.pcm";
        var temporary = destination + ".tmp.mkv";
        try
        {
            using (var stream = File.Create(pcm))
            {
                var bytes = new byte[samples.Length * 2];
                for (var i = 0; i < samples.Length; i++)
                {
                    BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(i * 2), (short)Math.Clamp(Math.Round(samples[i] * 32768.0), short.MinValue, short.MaxValue));
                }
                stream.Write(bytes);
            }
            RunFFMpeg(ffOptions, video,
                ["-nostdin", "-v", "error", "-y", "-i", videoFile, "-f", "s16le", "-ar", $"{DecodedAudio.SampleRate}", "-ac", "1", "-i", pcm,
                 "-map", "0:v:0", "-map", "1:a:0", "-c:v", "copy", "-c:a", "pcm_s16le", "-f", "matroska", temporary]);
            File.Move(temporary, destination, overwrite: true);
        }
        finally
        {
            File.Delete(pcm);
            File.Delete(temporary);
        }
    }

    private static void RunFFMpeg(FFOptions ffOptions, string video, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(GlobalFFOptions.GetFFMpegBinaryPath(ffOptions))
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var ffmpeg = Process.Start(start)
            ?? throw new InvalidDataException($"video '{video}': ffmpeg could not be started to write its corrupted audio");
        var output = ffmpeg.StandardOutput.ReadToEndAsync();
        var errors = ffmpeg.StandardError.ReadToEnd();
        ffmpeg.WaitForExit();
        output.Wait();
        if (ffmpeg.ExitCode != 0)
        {
            var lines = errors.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            throw new InvalidDataException($"video '{video}': ffmpeg could not write its corrupted audio: {string.Join(" | ", lines.TakeLast(5))}");
        }
    }
}
