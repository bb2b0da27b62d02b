using Microsoft.ML;
using Sage.MLNet.Featurization.Faces;

namespace Sage.MLNet;

/// <summary>Extension methods that add face-crop featurisation, the visual input of SAGE, to ML.NET's transforms catalog.</summary>
public static class FaceFeaturizationCatalog
{
    /// <summary>Creates a <see cref="SageFaceFeaturizerEstimator"/> that turns each video's face-crop folder into T × Dv visual features.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="options">Columns, the image encoder and how it runs.</param>
    /// <remarks>
    /// <list type="table">
    /// <listheader><term>Column</term><description>Type and meaning</description></listheader>
    /// <item><term>FaceFolder (input)</term><description>Text: the folder of one video's crops, <c>00001.jpg</c> holding frame 0, as <see cref="AffWild2Catalog.LoadAffWild2"/> gives it.</description></item>
    /// <item><term>FrameCount (input)</term><description>Int32: T. Crops numbered beyond T are ignored.</description></item>
    /// <item><term>VisualFeatures (output)</term><description>Variable-length vector of Single: T × Dv values, frame-major; Dv = 512 for the packaged ResNet18.</description></item>
    /// <item><term>FaceFound (output)</term><description>Variable-length vector of Single: T values, 1 where the frame has a crop, 0 where its features were copied from the nearest earlier crop (the first crop before any face), so training can leave those frames out.</description></item>
    /// </list>
    /// <para>Dispose the fitted transformer. Save it with the model trained on its features through <see cref="SageModel.Save"/>.</para>
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the parameter name says which.</exception>
    public static SageFaceFeaturizerEstimator FeaturizeFaces(this TransformsCatalog catalog, SageFaceFeaturizerOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        // The estimator keeps the copy it validated: changing options later changes nothing.
        var copy = options.Copy();
        FaceOptionsCheck.Validate(copy);
        return new SageFaceFeaturizerEstimator(catalog, copy);
    }

    /// <summary>Creates a <see cref="SageFaceFeaturizerEstimator"/> with the packaged ResNet18 at 112 × 112 and default settings.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="outputColumnName">Output column of visual features, T × 512 values.</param>
    /// <param name="faceFolderColumnName">Input text column of face-crop folders.</param>
    /// <param name="frameCountColumnName">Input Int32 column of frame counts T.</param>
    /// <inheritdoc cref="FeaturizeFaces(TransformsCatalog, SageFaceFeaturizerOptions)" path="/remarks"/>
    /// <inheritdoc cref="FeaturizeFaces(TransformsCatalog, SageFaceFeaturizerOptions)" path="/exception"/>
    public static SageFaceFeaturizerEstimator FeaturizeFaces(this TransformsCatalog catalog,
        string outputColumnName = "VisualFeatures",
        string faceFolderColumnName = "FaceFolder",
        string frameCountColumnName = "FrameCount") =>
        FeaturizeFaces(catalog, new SageFaceFeaturizerOptions
        {
            OutputColumnName = outputColumnName,
            FaceFolderColumnName = faceFolderColumnName,
            FrameCountColumnName = frameCountColumnName,
        });
}
