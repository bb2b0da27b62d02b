namespace Sage.MLNet;

/// <summary>Describes one thing missing or inconsistent in an Aff-Wild2 copy, as found by <see cref="AffWild2Catalog.ValidateAffWild2"/>.</summary>
/// <param name="VideoId">The video the issue concerns (an annotation or test-list name), or null when it concerns the split as a whole.</param>
/// <param name="Severity">Whether the video can still be used.</param>
/// <param name="Message">What is wrong and where: the file and line for annotation problems, the folders searched for missing files.</param>
public sealed record AffWild2Issue(string? VideoId, AffWild2Severity Severity, string Message)
{
    /// <summary>Returns the severity, the video and the message on one line.</summary>
    public override string ToString() =>
        VideoId is null ? $"{Severity}: {Message}" : $"{Severity}: video '{VideoId}': {Message}";
}
