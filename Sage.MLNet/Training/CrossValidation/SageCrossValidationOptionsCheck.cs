using Sage.MLNet.Data;
using static Sage.MLNet.Data.OptionsCheck;

namespace Sage.MLNet.Training.CrossValidation;

/// <summary>Rejects <see cref="SageCrossValidationOptions"/> that cannot work, in the catalog call, naming the option (see <see cref="OptionsCheck"/>).</summary>
internal static class SageCrossValidationOptionsCheck
{
    public static void Validate(SageCrossValidationOptions crossValidation, SageOptions options)
    {
        Require(crossValidation.FoldCount >= 2, crossValidation.FoldCount, nameof(crossValidation.FoldCount),
            "must be at least 2: each fold's model trains on the other folds");
        Defined(crossValidation.Selection, nameof(crossValidation.Selection));
        Require(crossValidation.GroupColumnName is null || !string.IsNullOrWhiteSpace(crossValidation.GroupColumnName), crossValidation.GroupColumnName,
            nameof(crossValidation.GroupColumnName), "must be null (every row its own group) or name a column");
        // Two rules about data rather than ranges: an ArgumentException, as ML.NET reports a missing argument.
        if (crossValidation.Selection == SageFoldSelection.TargetWise && crossValidation.ValidationData is null)
        {
            throw new ArgumentException(
                "ValidationData is required for TargetWise selection, which picks each target's fold by its CCC on the validation set; set it, or use Selection = Average.",
                nameof(crossValidation.ValidationData));
        }
        if (options.ValidationData is not null)
        {
            throw new ArgumentException(
                "SageOptions.ValidationData must be null for cross-validation: each fold validates on its held-out fold; give the official validation set as SageCrossValidationOptions.ValidationData.",
                nameof(options.ValidationData));
        }
    }
}
