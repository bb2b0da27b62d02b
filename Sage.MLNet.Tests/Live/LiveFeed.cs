using Sage.MLNet.Media;

namespace Sage.MLNet.Tests.Live;

/// <summary>Reads a recorded video the way a live source delivers it: each frame with its time and the audio since the previous frame.</summary>
internal static class LiveFeed
{
    /// <summary>Pushes every frame of <paramref name="videoFile"/> into <paramref name="predictor"/>, then completes it; with <paramref name="realTime"/>, at the video's own pace.</summary>
    /// <returns>The number of frames pushed.</returns>
    public static int Push(SageLivePredictor predictor, string videoFile, bool realTime = false)
    {
        var ffOptions = FFMpegBinaries.Find(null);
        var waveform = new List<float>();
        new AudioDecoder(ffOptions).Decode(videoFile, block => waveform.AddRange(block.ToArray()));
        using var reader = VideoFrameReader.Open(videoFile, ffOptions, maxSide: 1280);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var sent = 0;
        var frames = 0;
        while (reader.Next() is { } frame)
        {
            if (realTime && frame.Time > clock.Elapsed.TotalSeconds)
            {
                Thread.Sleep(TimeSpan.FromSeconds(frame.Time - clock.Elapsed.TotalSeconds));
            }
            // The audio up to this frame's time: a live source has delivered that much when the frame arrives.
            var until = Math.Min(waveform.Count, (int)Math.Round(frame.Time * DecodedAudio.SampleRate));
            var audio = waveform.GetRange(sent, Math.Max(0, until - sent)).ToArray();
            sent = Math.Max(sent, until);
            predictor.Push(frame.Time, frame.Rgba, frame.Width, frame.Height, audio);
            frames++;
        }
        predictor.Complete();
        return frames;
    }
}
