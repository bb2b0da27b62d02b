using Microsoft.ML;

namespace Sage.MLNet.Samples.Workflow;

/// <summary>The labelled videos a run is scored on after training, and how to read them.</summary>
/// <param name="Name">The split's name in messages and in <c>metrics.json</c>: "validation" or "test".</param>
/// <param name="LabelFolder">For the Test split, the folder of its annotation files; null for the Validation split.</param>
internal sealed record HeldOutSplit(string Name, string? LabelFolder)
{
    /// <summary>The Test split's name in messages, on the command line and in <c>metrics.json</c>.</summary>
    public const string TestName = "test";

    /// <summary>Gets the Validation split, which also chooses the epoch to keep.</summary>
    public static HeldOutSplit Validation { get; } = new("validation", null);

    /// <summary>Returns the Test split, labelled from <paramref name="labelFolder"/>.</summary>
    public static HeldOutSplit Test(string labelFolder) => new(TestName, labelFolder);

    /// <summary>Returns the split's raw video rows and how many there are.</summary>
    public (IDataView Videos, int Count) Load(MLContext ml, string root) => LabelFolder is null
        ? AffWild2Data.Load(ml, root, AffWild2Split.Validation)
        : AffWild2Data.LoadLabelledTest(ml, root, LabelFolder);
}
