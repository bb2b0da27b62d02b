using Microsoft.ML;
using Sage.MLNet.Evaluation.Corruption;

namespace Sage.MLNet;

/// <summary>Holds video rows whose picture or sound was corrupted (or is known to be unreliable), with the ground truth of where.</summary>
public sealed class SageCorruptedVideos
{
    private readonly ILookup<(string, SageModality), SageCorruptedStretch> _byVideo;

    internal SageCorruptedVideos(IDataView videos, IReadOnlyList<SageCorruptedStretch> stretches, string? groundTruthFile)
    {
        Videos = videos;
        Stretches = stretches;
        GroundTruthFile = groundTruthFile;
        _byVideo = stretches.ToLookup(stretch => (stretch.VideoId, stretch.Modality));
    }

    /// <summary>Gets the rows to featurise: the input's columns, with FaceFolder or VideoFile pointing at the corrupted copy for the videos that have a corrupted stretch.</summary>
    public IDataView Videos { get; }

    /// <summary>Gets every corrupted stretch, video by video, in frame order.</summary>
    public IReadOnlyList<SageCorruptedStretch> Stretches { get; }

    /// <summary>Gets the ground-truth file (<c>video,first_frame,last_frame,unreliable_modality,condition</c>), or null when none was written.</summary>
    public string? GroundTruthFile { get; }

    /// <summary>Returns T flags for one video and modality: true for a frame inside a corrupted stretch.</summary>
    /// <param name="videoId">The video row's id.</param>
    /// <param name="modality">The modality asked about.</param>
    /// <param name="frameCount">T, the video's frames.</param>
    public bool[] CorruptedFrames(string videoId, SageModality modality, int frameCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(frameCount);
        return CorruptionStretches.Mask(frameCount, _byVideo[(videoId, modality)].Select(stretch => (stretch.FirstFrame, stretch.LastFrame)));
    }
}
