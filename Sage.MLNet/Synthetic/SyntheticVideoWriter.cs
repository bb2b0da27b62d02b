using System.Globalization;

using FFMpegCore;
using FFMpegCore.Exceptions;
using FFMpegCore.Pipes;

using SkiaSharp;

namespace Sage.MLNet.Synthetic;

/// <summary>
/// Writes one synthetic video: each person's face crops as JPEG files, and the video file encoded by ffmpeg
/// from raw frames and raw PCM streamed through two pipes, so no temporary file is left behind.
/// </summary>
internal sealed class SyntheticVideoWriter
{
    private const int JpegQuality = 90;

    private readonly FFOptions _ffOptions;
    private readonly double _framesPerSecond;
    private readonly int _cropSize;

    public SyntheticVideoWriter(FFOptions ffOptions, double framesPerSecond, int cropSize)
    {
        _ffOptions = ffOptions;
        _framesPerSecond = framesPerSecond;
        _cropSize = cropSize;
    }

    /// <summary>Writes the crops below <paramref name="root"/> and returns the video file's full path.</summary>
    /// <exception cref="InvalidOperationException">ffmpeg failed; the message carries its last error lines.</exception>
    public string Write(SyntheticVideo video, string root)
    {
        var cropFolders = video.People
            .Select(person => Directory.CreateDirectory(Path.Combine(root, person.CropFolderName, person.VideoId)).FullName)
            .ToList();
        var videoFile = Path.Combine(Directory.CreateDirectory(Path.Combine(root, video.Folder)).FullName, video.Stem + video.Extension);
        var frames = new RawVideoPipeSource(Frames(video, cropFolders)) { FrameRate = _framesPerSecond };
        var tone = new LabelTone(video.People[0], _framesPerSecond, new Random(SeedMixer.Mix(video.Seed, 0, part: 2)));
        var audio = new RawAudioPipeSource(
            Enumerable.Range(0, video.Frames).Select(t => (IAudioSample)new RawPcmChunk(tone.NextFrame(t))), LabelTone.SampleRate, channels: 1)
        {
            Format = "s16le",
        };
        var errors = new List<string>();
        try
        {
            FFMpegArguments
                .FromPipeInput(frames)
                .AddPipeInput(audio)
                .OutputToFile(videoFile, overwrite: true, o => o
                    // One thread and bitexact flags make the same seed give the same bytes on any machine; passthrough
                    // keeps exactly T frames, where a constant-rate muxer would repeat frames to reach the audio's end.
                    .WithCustomArgument($"-map 0:v -map 1:a -r {FrameRateFraction(_framesPerSecond)} -fps_mode passthrough " +
                        $"-c:v libx264 -preset ultrafast -pix_fmt yuv420p -threads 1 {AudioCodec(video.Extension)} -shortest -map_metadata -1 " +
                        "-fflags +bitexact -flags:v +bitexact -flags:a +bitexact"))
                .NotifyOnStandardError(errors.Add)
                .ProcessSynchronously(throwOnError: true, _ffOptions);
        }
        catch (FFMpegException e)
        {
            var detail = errors.Count > 0 ? string.Join(" | ", errors.TakeLast(5)) : e.Message;
            throw new InvalidOperationException($"ffmpeg could not write synthetic video '{videoFile}': {detail}", e);
        }
        return videoFile;
    }

    /// <summary>Returns ffmpeg's exact fraction for <paramref name="framesPerSecond"/>: NTSC rates such as 29.97 as n/1001, others in thousandths.</summary>
    public static string FrameRateFraction(double framesPerSecond)
    {
        var ntsc = framesPerSecond * 1001 / 1000;
        if (Math.Abs(ntsc - Math.Round(ntsc)) < 1e-6 && Math.Abs(framesPerSecond - Math.Round(framesPerSecond)) > 1e-6)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{Math.Round(ntsc) * 1000}/1001");
        }
        return string.Create(CultureInfo.InvariantCulture, $"{Math.Round(framesPerSecond * 1000)}/1000");
    }

    /// <summary>
    /// Returns ffmpeg's audio codec arguments: AAC in MP4, 16-bit PCM in AVI, whose index cannot trim AAC's whole
    /// 1024-sample frames to the video's length, so its streams would end up to 64 ms apart.
    /// </summary>
    private static string AudioCodec(string extension) => extension == ".avi" ? "-c:a pcm_s16le" : "-c:a aac -b:a 64k";

    /// <summary>Yields the video's frames one by one, writing each person's crop of the frame as it goes.</summary>
    private IEnumerable<IVideoFrame> Frames(SyntheticVideo video, IReadOnlyList<string> cropFolders)
    {
        var boxes = SyntheticFrameLayout.FaceBoxes(video.People.Count);
        var noise = new Random(SeedMixer.Mix(video.Seed, 0, part: 3));
        using var frame = new SKBitmap(new SKImageInfo(SyntheticFrameLayout.Width, SyntheticFrameLayout.Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using var canvas = new SKCanvas(frame);
        for (var t = 0; t < video.Frames; t++)
        {
            canvas.Clear(new SKColor(20, 20, 24));
            for (var p = 0; p < video.People.Count; p++)
            {
                var person = video.People[p];
                using var crop = SyntheticFaceDrawing.Draw(_cropSize, person.Valence[t], person.Arousal[t], person.FaceDegradation(t), noise);
                if (!person.MissingCrops.Contains(t))
                {
                    using var jpeg = crop.Encode(SKEncodedImageFormat.Jpeg, JpegQuality);
                    File.WriteAllBytes(Path.Combine(cropFolders[p], $"{t + 1:D5}.jpg"), jpeg.ToArray());
                }
                using var image = SKImage.FromBitmap(crop);
                canvas.DrawImage(image, boxes[p], new SKSamplingOptions(SKFilterMode.Linear));
            }
            canvas.Flush();
            yield return new RawRgbaFrame(frame.Width, frame.Height, frame.GetPixelSpan().ToArray());
        }
    }
}
