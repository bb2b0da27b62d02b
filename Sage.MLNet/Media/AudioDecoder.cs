using System.Diagnostics;
using FFMpegCore;

namespace Sage.MLNet.Media;

/// <summary>
/// Reads a video's frame rate with ffprobe (and, for a variable-rate video, each frame's time) and decodes its audio track with ffmpeg to 16 kHz mono, streamed through a
/// pipe block by block (no temporary file, no whole waveform in memory). Thread-safe: each call runs its own processes.
/// </summary>
internal sealed class AudioDecoder
{
    private const int BytesPerSample = 2;      // s16le

    private readonly FFOptions _ffOptions;

    public AudioDecoder(FFOptions ffOptions) => _ffOptions = ffOptions;

    /// <summary>Returns the video's clock, or null when it has no audio track.</summary>
    /// <exception cref="InvalidDataException">The file is missing, or is not a video ffprobe can read.</exception>
    public AudioClock? Probe(string videoFile)
    {
        if (string.IsNullOrEmpty(videoFile))
        {
            throw new InvalidDataException("a row has an empty video file path, so its audio cannot be featurised");
        }
        if (!File.Exists(videoFile))
        {
            throw new InvalidDataException($"video '{videoFile}' does not exist");
        }
        var analysis = VideoProbe.Analyse(videoFile, _ffOptions);
        var video = analysis.PrimaryVideoStream
            ?? throw new InvalidDataException($"video '{videoFile}' has no video stream, so its frame times are unknown");
        var framesPerSecond = VideoProbe.FrameRate(video)
            ?? throw new InvalidDataException($"video '{videoFile}': ffprobe reports no usable frame rate");
        var audio = analysis.PrimaryAudioStream;
        if (audio is null)
        {
            return null;
        }
        var clock = new AudioClock(framesPerSecond, (video.StartTime - audio.StartTime).TotalSeconds, analysis.Duration.TotalSeconds);
        if (!VideoProbe.IsVariableRate(video))
        {
            return clock;
        }
        // Frame t is not at t / fps: read every frame's own time, as the frame reader defines frames. Its times start where
        // the file's earliest stream starts; the waveform starts where the audio stream does.
        var shift = (analysis.Format.StartTime - audio.StartTime).TotalSeconds;
        return clock with { FrameTimes = [.. VideoFrameTimes.Read(videoFile, _ffOptions).Select(t => t + shift)] };
    }

    /// <summary>Decodes the audio track, handing <paramref name="consume"/> each block of samples (in [−1, 1]) in order; returns the number of samples.</summary>
    /// <exception cref="InvalidDataException">ffmpeg fails to decode it; the message names the video and quotes ffmpeg.</exception>
    public long Decode(string videoFile, Action<ReadOnlySpan<float>> consume)
    {
        var pcm = new PcmReader(consume);
        RunFFMpeg(videoFile, pcm);
        return pcm.Count;
    }

    /// <summary>
    /// Runs ffmpeg with its PCM on standard output and reads it to the end on this thread. (FFMpegCore's output pipe
    /// cancels its reader when ffmpeg exits, which can lose the last blocks when the reader is slower than ffmpeg, as an
    /// encoder that works on each block is.)
    /// </summary>
    private void RunFFMpeg(string videoFile, PcmReader pcm)
    {
        var start = new ProcessStartInfo(GlobalFFOptions.GetFFMpegBinaryPath(_ffOptions))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] arguments = ["-nostdin", "-v", "error", "-i", videoFile, "-vn", "-sn", "-dn", "-ac", "1", "-ar", $"{DecodedAudio.SampleRate}", "-f", "s16le", "pipe:1"];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var ffmpeg = Process.Start(start)
            ?? throw new InvalidDataException($"video '{videoFile}': ffmpeg could not be started to decode its audio");
        var errors = ffmpeg.StandardError.ReadToEndAsync();
        try
        {
            pcm.Read(ffmpeg.StandardOutput.BaseStream);
        }
        catch
        {
            ffmpeg.Kill();
            throw;
        }
        ffmpeg.WaitForExit();
        if (ffmpeg.ExitCode != 0)
        {
            var lines = errors.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var detail = lines.Length > 0 ? string.Join(" | ", lines.TakeLast(5)) : $"exit code {ffmpeg.ExitCode}";
            throw new InvalidDataException($"video '{videoFile}': ffmpeg could not decode its audio: {detail}");
        }
    }

    /// <summary>Converts ffmpeg's 16-bit PCM output to floats one pipe read at a time and hands each block on.</summary>
    private sealed class PcmReader(Action<ReadOnlySpan<float>> consume)
    {
        private const int ReadSize = 1 << 16;

        private readonly float[] _samples = new float[ReadSize / BytesPerSample];

        public long Count { get; private set; }

        /// <summary>Reads <paramref name="pcm"/> to its end.</summary>
        public void Read(Stream pcm)
        {
            var bytes = new byte[ReadSize];
            var carried = 0;        // a sample split across two reads
            int read;
            while ((read = pcm.Read(bytes.AsSpan(carried))) > 0)
            {
                var available = carried + read;
                var whole = available / BytesPerSample;
                Convert(bytes.AsSpan(0, whole * BytesPerSample));
                carried = available - whole * BytesPerSample;
                if (carried > 0)
                {
                    bytes[0] = bytes[whole * BytesPerSample];
                }
            }
        }

        private void Convert(ReadOnlySpan<byte> pcm)
        {
            var count = pcm.Length / BytesPerSample;
            for (var i = 0; i < count; i++)
            {
                _samples[i] = System.Buffers.Binary.BinaryPrimitives.ReadInt16LittleEndian(pcm[(i * BytesPerSample)..]) / 32768f;
            }
            Count += count;
            consume(_samples.AsSpan(0, count));
        }
    }
}
