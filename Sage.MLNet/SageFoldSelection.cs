using System.Text.Json.Serialization;

namespace Sage.MLNet;

/// <summary>How <see cref="SageCrossValidationEstimator"/> combines its fold models into one predictor.</summary>
/// <remarks>Written by name in JSON (a <see cref="SageCrossValidationReport"/> in a metrics file reads "TargetWise").</remarks>
[JsonConverter(typeof(JsonStringEnumConverter<SageFoldSelection>))]
public enum SageFoldSelection
{
    /// <summary>
    /// Valence from the fold with the best valence CCC on <see cref="SageCrossValidationOptions.ValidationData"/>, arousal
    /// from the fold with the best arousal CCC there: the paper's target-wise fold selection. Needs the validation data.
    /// </summary>
    TargetWise,

    /// <summary>The mean of all folds' valence and arousal predictions, each fold weighted 1/K.</summary>
    Average,
}
