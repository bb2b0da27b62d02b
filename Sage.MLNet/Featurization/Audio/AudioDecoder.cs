using FFMpegCore;
using FFMpegCore.Exceptions;
using FFMpegCore.Pipes;

namespace Sage.MLNet.Featurization.Audio;

/// <summary>
/// Reads a video's frame rate with ffprobe and decodes its audio track with ffmpeg to 16 kHz mono,
/// streamed through a pipe into one array (no temporary file). Thread-safe: each call runs its own processes.
/// </summary>
internal sealed class AudioDecoder
{
    private const int BytesPerSample = 2;      // s16le

    private readonly FFOptions _ffOptions;

    public AudioDecoder(FFOptions ffOptions) => _ffOptions = ffOptions;

    /// <summary>Returns the video's audio, or null when it has no audio track.</summary>
    /// <exception cref="InvalidDataException">The file is missing, is not a video ffprobe can read, or ffmpeg fails to decode it.</exception>
    public DecodedAudio? Decode(string videoFile)
    {
        if (string.IsNullOrEmpty(videoFile))
        {
            throw new InvalidDataException("a row has an empty video file path, so its audio cannot be featurised");
        }
        if (!File.Exists(videoFile))
        {
            throw new InvalidDataException($"video '{videoFile}' does not exist");
        }
        var analysis = Probe(videoFile);
        var video = analysis.PrimaryVideoStream
            ?? throw new InvalidDataException($"video '{videoFile}' has no video stream, so its frame times are unknown");
        var framesPerSecond = FrameRate(video);
        if (framesPerSecond is null)
        {
            throw new InvalidDataException($"video '{videoFile}': ffprobe reports no usable frame rate");
        }
        var audio = analysis.PrimaryAudioStream;
        if (audio is null)
        {
            return null;
        }
        var expectedSamples = (int)Math.Min(int.MaxValue / 2, Math.Ceiling(analysis.Duration.TotalSeconds * DecodedAudio.SampleRate) + DecodedAudio.SampleRate);
        var waveform = new WaveformBuffer(expectedSamples);
        RunFFMpeg(videoFile, waveform);
        var offset = (video.StartTime - audio.StartTime).TotalSeconds;
        return new DecodedAudio(waveform.Samples, waveform.Count, framesPerSecond.Value, offset);
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

    private IMediaAnalysis Probe(string videoFile)
    {
        try
        {
            return FFProbe.Analyse(videoFile, _ffOptions);
        }
        catch (FFMpegException e)
        {
            throw new InvalidDataException($"video '{videoFile}' cannot be read by ffprobe: {e.Message}", e);
        }
    }

    private void RunFFMpeg(string videoFile, WaveformBuffer waveform)
    {
        var errors = new List<string>();
        var sink = new StreamPipeSink((stream, token) => waveform.ReadPcmAsync(stream, token)) { Format = "s16le" };
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

    /// <summary>A growable float array that ffmpeg's 16-bit PCM output is read into.</summary>
    private sealed class WaveformBuffer(int capacity)
    {
        public float[] Samples { get; private set; } = new float[capacity];

        public int Count { get; private set; }

        public async Task ReadPcmAsync(Stream pcm, CancellationToken token)
        {
            var bytes = new byte[1 << 16];
            var carried = 0;        // a sample split across two reads
            int read;
            while ((read = await pcm.ReadAsync(bytes.AsMemory(carried), token).ConfigureAwait(false)) > 0)
            {
                var available = carried + read;
                var whole = available / BytesPerSample;
                Append(bytes.AsSpan(0, whole * BytesPerSample));
                carried = available - whole * BytesPerSample;
                if (carried > 0)
                {
                    bytes[0] = bytes[whole * BytesPerSample];
                }
            }
        }

        private void Append(ReadOnlySpan<byte> pcm)
        {
            var count = pcm.Length / BytesPerSample;
            if (Count + count > Samples.Length)
            {
                var grown = new float[Math.Max(Samples.Length * 2, Count + count)];
                Array.Copy(Samples, grown, Count);
                Samples = grown;
            }
            for (var i = 0; i < count; i++)
            {
                Samples[Count + i] = System.Buffers.Binary.BinaryPrimitives.ReadInt16LittleEndian(pcm[(i * BytesPerSample)..]) / 32768f;
            }
            Count += count;
        }
    }
}
