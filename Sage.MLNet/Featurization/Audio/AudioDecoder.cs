using FFMpegCore;
using FFMpegCore.Exceptions;
using FFMpegCore.Pipes;

namespace Sage.MLNet.Featurization.Audio;

/// <summary>
/// Reads a video's frame rate with ffprobe and decodes its audio track with ffmpeg to 16 kHz mono, streamed through a
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
        var analysis = Analyse(videoFile, _ffOptions);
        var video = analysis.PrimaryVideoStream
            ?? throw new InvalidDataException($"video '{videoFile}' has no video stream, so its frame times are unknown");
        var framesPerSecond = FrameRate(video)
            ?? throw new InvalidDataException($"video '{videoFile}': ffprobe reports no usable frame rate");
        var audio = analysis.PrimaryAudioStream;
        return audio is null ? null : new AudioClock(framesPerSecond, (video.StartTime - audio.StartTime).TotalSeconds, analysis.Duration.TotalSeconds);
    }

    /// <summary>Decodes the audio track, handing <paramref name="consume"/> each block of samples (in [−1, 1]) in order; returns the number of samples.</summary>
    /// <exception cref="InvalidDataException">ffmpeg fails to decode it; the message names the video and quotes ffmpeg.</exception>
    public long Decode(string videoFile, Action<ReadOnlySpan<float>> consume)
    {
        var pcm = new PcmReader(consume);
        RunFFMpeg(videoFile, pcm);
        return pcm.Count;
    }

    /// <summary>Returns avg_frame_rate, or r_frame_rate where ffprobe gives no average; null when neither is a positive number.</summary>
    private static double? FrameRate(VideoStream video)
    {
        foreach (var rate in new[] { video.AverageFrameRate, video.RealFrameRate })
        {
            if (double.IsFinite(rate) && rate > 0)
            {
                return rate;
            }
        }
        return null;
    }

    private static IMediaAnalysis Analyse(string videoFile, FFOptions ffOptions)
    {
        try
        {
            return FFProbe.Analyse(videoFile, ffOptions);
        }
        catch (FFMpegException e)
        {
            throw new InvalidDataException($"video '{videoFile}' cannot be read by ffprobe: {e.Message}", e);
        }
    }

    private void RunFFMpeg(string videoFile, PcmReader pcm)
    {
        var errors = new List<string>();
        var sink = new StreamPipeSink((stream, token) => pcm.ReadAsync(stream, token)) { Format = "s16le" };
        try
        {
            FFMpegArguments
                .FromFileInput(videoFile)
                .OutputToPipe(sink, o => o
                    .WithCustomArgument("-vn -sn -dn -ac 1")
                    .WithAudioSamplingRate(DecodedAudio.SampleRate))
                .NotifyOnStandardError(errors.Add)
                .ProcessSynchronously(throwOnError: true, _ffOptions);
        }
        catch (FFMpegException e)
        {
            var detail = errors.Count > 0 ? string.Join(" | ", errors.TakeLast(5)) : e.Message;
            throw new InvalidDataException($"video '{videoFile}': ffmpeg could not decode its audio: {detail}", e);
        }
    }

    /// <summary>Converts ffmpeg's 16-bit PCM output to floats one pipe read at a time and hands each block on.</summary>
    private sealed class PcmReader(Action<ReadOnlySpan<float>> consume)
    {
        private const int ReadSize = 1 << 16;

        private readonly float[] _samples = new float[ReadSize / BytesPerSample];

        public long Count { get; private set; }

        public async Task ReadAsync(Stream pcm, CancellationToken token)
        {
            var bytes = new byte[ReadSize];
            var carried = 0;        // a sample split across two reads
            int read;
            while ((read = await pcm.ReadAsync(bytes.AsMemory(carried), token).ConfigureAwait(false)) > 0)
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
