namespace Sage.MLNet.Samples.Workflow;

/// <summary>The names of <see cref="SageFoldSelection"/> values on the command line and in <c>metrics.json</c>.</summary>
internal static class FoldSelectionName
{
    /// <summary>The name of <see cref="SageFoldSelection.TargetWise"/>: valence and arousal each from the fold best on it.</summary>
    public const string TargetWise = "target-wise";

    /// <summary>The name of <see cref="SageFoldSelection.Average"/>: the mean of all folds.</summary>
    public const string Average = "average";

    /// <summary>Returns the selection named <paramref name="name"/>, one of <see cref="TargetWise"/> and <see cref="Average"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="name"/> is neither.</exception>
    public static SageFoldSelection Parse(string name) => name switch
    {
        TargetWise => SageFoldSelection.TargetWise,
        Average => SageFoldSelection.Average,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, $"fold selection must be '{TargetWise}' or '{Average}'"),
    };

    /// <summary>Returns the command-line name of <paramref name="selection"/>.</summary>
    public static string Of(SageFoldSelection selection) => selection == SageFoldSelection.TargetWise ? TargetWise : Average;
}
