using Microsoft.ML;

namespace Sage.MLNet.Training.CrossValidation;

/// <summary>The <see cref="SageOptions"/> of one fold: the caller's, with the fold's held-out rows as validation data.</summary>
internal static class FoldOptions
{
    /// <summary>Returns a copy of <paramref name="options"/> that validates (best epoch, early stopping) on <paramref name="heldOut"/> and reports to <paramref name="progress"/>.</summary>
    public static SageOptions For(SageOptions options, IDataView heldOut, IProgress<SageTrainingProgress> progress)
    {
        var copy = options.Copy();
        copy.ValidationData = heldOut;
        copy.Progress = progress;
        return copy;
    }
}
