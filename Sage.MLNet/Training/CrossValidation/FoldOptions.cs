using System.Reflection;
using Microsoft.ML;

namespace Sage.MLNet.Training.CrossValidation;

/// <summary>The <see cref="SageOptions"/> of one fold: the caller's, with the fold's held-out rows as validation data.</summary>
internal static class FoldOptions
{
    /// <summary>Every setting of <see cref="SageOptions"/>, found by reflection so that an option added later is copied too.</summary>
    private static readonly PropertyInfo[] s_settings = [.. typeof(SageOptions).GetProperties().Where(p => p.CanRead && p.CanWrite)];

    /// <summary>Returns a copy of <paramref name="options"/> that validates (best epoch, early stopping) on <paramref name="heldOut"/> and reports to <paramref name="progress"/>.</summary>
    public static SageOptions For(SageOptions options, IDataView heldOut, IProgress<SageTrainingProgress> progress)
    {
        var copy = new SageOptions();
        foreach (var setting in s_settings)
        {
            setting.SetValue(copy, setting.GetValue(options));
        }
        copy.ValidationData = heldOut;
        copy.Progress = progress;
        return copy;
    }
}
