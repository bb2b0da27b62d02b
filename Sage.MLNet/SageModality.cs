namespace Sage.MLNet;

/// <summary>Names one of SAGE's two input modalities.</summary>
public enum SageModality
{
    /// <summary>The face crops and the visual features made from them.</summary>
    Visual = 0,

    /// <summary>The sound track and the audio features made from it.</summary>
    Audio = 1,
}
