namespace Sage.MLNet;

/// <summary>Lists what <see cref="AffWild2Catalog.ValidateAffWild2"/> found missing or inconsistent in one split of an Aff-Wild2 copy.</summary>
public sealed class AffWild2ValidationReport
{
    internal AffWild2ValidationReport(int videoCount, IReadOnlyList<AffWild2Issue> issues)
    {
        VideoCount = videoCount;
        Issues = issues;
    }

    /// <summary>Gets the number of videos the split lists: annotation files, or names in the test list.</summary>
    public int VideoCount { get; }

    /// <summary>Gets every issue found, video by video in the order the split is loaded; empty for a clean copy.</summary>
    public IReadOnlyList<AffWild2Issue> Issues { get; }

    /// <summary>Gets whether any issue is an <see cref="AffWild2Severity.Error"/>.</summary>
    public bool HasErrors => Issues.Any(issue => issue.Severity == AffWild2Severity.Error);

    /// <summary>Returns a summary line followed by one line per issue.</summary>
    public override string ToString() =>
        string.Join(Environment.NewLine,
            Issues.Select(issue => issue.ToString())
                .Prepend($"{VideoCount} videos, {Issues.Count(i => i.Severity == AffWild2Severity.Error)} errors, {Issues.Count(i => i.Severity == AffWild2Severity.Warning)} warnings"));
}
