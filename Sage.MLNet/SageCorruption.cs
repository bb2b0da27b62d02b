namespace Sage.MLNet;

/// <summary>
/// Describes one media-level corruption for <see cref="SageMediaCorruption.Apply"/>: what is done, how strongly, to which share of
/// each video, in stretches of what length, from which seed.
/// </summary>
/// <remarks>
/// The stretches depend only on <see cref="Seed"/>, <see cref="Coverage"/>, <see cref="StretchFrames"/>, the video's id and its
/// frame count, never on <see cref="Kind"/>: two kinds with the same settings corrupt the same frames, so they can be compared.
/// </remarks>
public sealed class SageCorruption
{
    /// <summary>Gets or sets what is done to the picture or the sound. Default: <see cref="SageCorruptionKind.FaceOcclusion"/>.</summary>
    public SageCorruptionKind Kind { get; set; } = SageCorruptionKind.FaceOcclusion;

    /// <summary>
    /// Gets or sets how strong the corruption is, in the kind's unit: the occluded share of the crop's area for occlusion (in (0, 1]),
    /// the blur's standard deviation as a share of the crop's width for blur (&gt; 0), the signal-to-noise ratio in dB for noise;
    /// ignored by the other kinds. Default: null, which uses 0.5, 0.1 and 0 dB respectively.
    /// </summary>
    public double? Intensity { get; set; }

    /// <summary>Gets or sets the share of each video's frames that are corrupted, in [0, 1]. Default: 0.5.</summary>
    public double Coverage { get; set; } = 0.5;

    /// <summary>Gets or sets the length of each corrupted stretch, in frames (the last one of a video may be shorter). Default: 50 (2 s at 25 frames/s).</summary>
    public int StretchFrames { get; set; } = 50;

    /// <summary>Gets or sets the seed of the stretches' places, the patches' places, the noise and the choice of the other video. Default: 1.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>Gets or sets the folder that holds ffmpeg and ffprobe, for the audio kinds. Default: null, which looks them up on PATH.</summary>
    public string? FFMpegBinaryFolder { get; set; }

    /// <summary>Gets the modality that <see cref="Kind"/> corrupts.</summary>
    public SageModality Modality => Kind <= SageCorruptionKind.FaceDrop ? SageModality.Visual : SageModality.Audio;

    /// <summary>Gets the intensity in use: <see cref="Intensity"/>, or the kind's default when it is null.</summary>
    public double EffectiveIntensity => Intensity ?? Kind switch
    {
        SageCorruptionKind.FaceOcclusion => 0.5,
        SageCorruptionKind.FaceBlur => 0.1,
        _ => 0,
    };

    /// <summary>Gets the kind's short name, as the sample program and the report spell it: face-occlusion, face-blur, face-drop, audio-silence, audio-noise, audio-other-video.</summary>
    public string Name => NameOf(Kind);

    /// <summary>Returns the short name of <paramref name="kind"/> (face-occlusion, …, audio-other-video).</summary>
    /// <param name="kind">The corruption kind.</param>
    public static string NameOf(SageCorruptionKind kind) => kind switch
    {
        SageCorruptionKind.FaceOcclusion => "face-occlusion",
        SageCorruptionKind.FaceBlur => "face-blur",
        SageCorruptionKind.FaceDrop => "face-drop",
        SageCorruptionKind.AudioSilence => "audio-silence",
        SageCorruptionKind.AudioNoise => "audio-noise",
        SageCorruptionKind.AudioOtherVideo => "audio-other-video",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, $"'{kind}' is not a {nameof(SageCorruptionKind)}"),
    };

    /// <summary>Returns the kind whose short name (or enum name, case ignored) is <paramref name="name"/>.</summary>
    /// <param name="name">A short name such as face-blur, or an enum name such as FaceBlur.</param>
    /// <exception cref="ArgumentException">No kind has that name; the message lists the names.</exception>
    public static SageCorruptionKind Parse(string name)
    {
        foreach (var kind in Enum.GetValues<SageCorruptionKind>())
        {
            if (string.Equals(NameOf(kind), name, StringComparison.OrdinalIgnoreCase) || string.Equals(kind.ToString(), name, StringComparison.OrdinalIgnoreCase))
            {
                return kind;
            }
        }
        throw new ArgumentException(
            $"'{name}' is not a corruption; expected one of {string.Join(", ", Enum.GetValues<SageCorruptionKind>().Select(NameOf))}", nameof(name));
    }

    /// <summary>Throws for an option out of range, naming it.</summary>
    internal void Check()
    {
        if (!Enum.IsDefined(Kind))
        {
            throw new ArgumentOutOfRangeException(nameof(Kind), Kind, $"'{Kind}' is not a {nameof(SageCorruptionKind)}");
        }
        if (!(Coverage >= 0 && Coverage <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Coverage), Coverage, "Coverage is the corrupted share of each video and must lie in [0, 1]");
        }
        if (StretchFrames < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(StretchFrames), StretchFrames, "StretchFrames must be at least 1");
        }
        var intensity = EffectiveIntensity;
        var bad = Kind switch
        {
            SageCorruptionKind.FaceOcclusion => !(intensity > 0 && intensity <= 1) ? "the occluded share of the crop must lie in (0, 1]" : null,
            SageCorruptionKind.FaceBlur => !(intensity > 0 && intensity <= 10) ? "the blur's standard deviation (a share of the crop's width) must lie in (0, 10]" : null,
            SageCorruptionKind.AudioNoise => !double.IsFinite(intensity) ? "the signal-to-noise ratio must be a finite number of dB" : null,
            _ => null,
        };
        if (bad is not null)
        {
            throw new ArgumentOutOfRangeException(nameof(Intensity), intensity, $"Intensity {intensity} for {Name}: {bad}");
        }
    }
}
