using Microsoft.ML;
using Microsoft.ML.Data;
using Sage.MLNet.Evaluation;
using Sage.MLNet.Training.CrossValidation;
using Sage.MLNet.Training;

namespace Sage.MLNet;

/// <summary>Extension methods that add SAGE to ML.NET's catalogs.</summary>
public static class SageCatalog
{
    /// <summary>Creates a <see cref="SageEstimator"/> that trains SAGE on per-frame visual and audio features.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="options">Column names, network sizes and training settings.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the parameter name says which.</exception>
    public static SageEstimator Sage(this TransformsCatalog catalog, SageOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        // The estimator keeps the copy it validated, as ML.NET's own catalogs do: changing options later changes nothing.
        var copy = options.Copy();
        SageOptionsCheck.Validate(copy);
        return new SageEstimator(catalog, copy);
    }

    /// <summary>Creates a <see cref="SageEstimator"/> with default network sizes and training settings.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="visualFeatureSize">Width Dv of one frame's visual features.</param>
    /// <param name="audioFeatureSize">Width Da of one frame's audio features.</param>
    /// <param name="predictedValenceColumnName">Output column of predicted valence.</param>
    /// <param name="predictedArousalColumnName">Output column of predicted arousal.</param>
    /// <param name="visualFeaturesColumnName">Input column of visual features, T × Dv values.</param>
    /// <param name="audioFeaturesColumnName">Input column of audio features, T × Da values.</param>
    /// <param name="valenceColumnName">Input column of valence labels, T values.</param>
    /// <param name="arousalColumnName">Input column of arousal labels, T values.</param>
    /// <param name="maxEpochs">Passes over the training data.</param>
    /// <inheritdoc cref="Sage(TransformsCatalog, SageOptions)" path="/exception"/>
    public static SageEstimator Sage(this TransformsCatalog catalog,
        int visualFeatureSize,
        int audioFeatureSize,
        string predictedValenceColumnName = "PredictedValence",
        string predictedArousalColumnName = "PredictedArousal",
        string visualFeaturesColumnName = "VisualFeatures",
        string audioFeaturesColumnName = "AudioFeatures",
        string valenceColumnName = "Valence",
        string arousalColumnName = "Arousal",
        int maxEpochs = 20) =>
        Sage(catalog, new SageOptions
        {
            VisualFeatureSize = visualFeatureSize,
            AudioFeatureSize = audioFeatureSize,
            PredictedValenceColumnName = predictedValenceColumnName,
            PredictedArousalColumnName = predictedArousalColumnName,
            VisualFeaturesColumnName = visualFeaturesColumnName,
            AudioFeaturesColumnName = audioFeaturesColumnName,
            ValenceColumnName = valenceColumnName,
            ArousalColumnName = arousalColumnName,
            MaxEpochs = maxEpochs,
        });

    /// <summary>
    /// Creates a <see cref="SageCrossValidationEstimator"/> that trains SAGE once per fold of a subject-independent K-fold
    /// split of the training data and combines the fold models into one predictor, by target-wise fold selection or by averaging.
    /// </summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="options">Column names, network sizes and training settings of every fold. Its <see cref="SageOptions.ValidationData"/>
    /// must be null: each fold validates on its held-out fold, and the official validation set goes in <paramref name="crossValidation"/>.</param>
    /// <param name="crossValidation">Folds, grouping, selection and the validation set.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the parameter name says which.</exception>
    /// <exception cref="ArgumentException"><see cref="SageCrossValidationOptions.ValidationData"/> is missing for target-wise selection,
    /// or <see cref="SageOptions.ValidationData"/> is set; the parameter name says which.</exception>
    public static SageCrossValidationEstimator SageCrossValidation(this TransformsCatalog catalog, SageOptions options,
        SageCrossValidationOptions crossValidation)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(crossValidation);
        var (optionsCopy, crossValidationCopy) = (options.Copy(), crossValidation.Copy());
        SageOptionsCheck.Validate(optionsCopy);
        SageCrossValidationOptionsCheck.Validate(crossValidationCopy, optionsCopy);
        return new SageCrossValidationEstimator(catalog, optionsCopy, crossValidationCopy);
    }

    /// <summary>
    /// Returns the ABAW concordance of predicted against annotated valence and arousal: one CCC per
    /// target over all annotated frames of all rows together (population moments; −5 frames left out).
    /// </summary>
    /// <param name="catalog">The regression catalog.</param>
    /// <param name="data">Scored rows, such as the output of <see cref="SageTransformer.Transform(IDataView)"/>.</param>
    /// <param name="valenceColumnName">Column of annotated valence, T values per row.</param>
    /// <param name="arousalColumnName">Column of annotated arousal, T values per row.</param>
    /// <param name="predictedValenceColumnName">Column of predicted valence, T values per row.</param>
    /// <param name="predictedArousalColumnName">Column of predicted arousal, T values per row.</param>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or is not a vector of Single.</exception>
    /// <exception cref="InvalidDataException">A row's predictions and labels differ in length; the message names the row.</exception>
    public static CccMetrics EvaluateCcc(this RegressionCatalog catalog, IDataView data,
        string valenceColumnName = "Valence",
        string arousalColumnName = "Arousal",
        string predictedValenceColumnName = "PredictedValence",
        string predictedArousalColumnName = "PredictedArousal")
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(data);
        return CccEvaluator.Evaluate(data, valenceColumnName, arousalColumnName, predictedValenceColumnName, predictedArousalColumnName);
    }
}
