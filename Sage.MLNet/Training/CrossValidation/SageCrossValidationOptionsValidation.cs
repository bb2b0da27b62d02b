namespace Sage.MLNet.Training.CrossValidation;

/// <summary>Rejects <see cref="SageCrossValidationOptions"/> that cannot work, when the estimator is created, naming the option.</summary>
internal static class SageCrossValidationOptionsValidation
{
    public static void Validate(SageCrossValidationOptions crossValidation, SageOptions options)
    {
        if (crossValidation.FoldCount < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(crossValidation.FoldCount), crossValidation.FoldCount,
                "FoldCount must be at least 2: each fold's model trains on the other folds.");
        }
        if (!Enum.IsDefined(crossValidation.Selection))
        {
            throw new ArgumentOutOfRangeException(nameof(crossValidation.Selection), crossValidation.Selection, "Selection is not a defined value.");
        }
        if (crossValidation.GroupColumnName is not null && string.IsNullOrWhiteSpace(crossValidation.GroupColumnName))
        {
            throw new ArgumentOutOfRangeException(nameof(crossValidation.GroupColumnName), crossValidation.GroupColumnName,
                "GroupColumnName must be null (every row its own group) or name a column.");
        }
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
