using Microsoft.ML;
using Sage.MLNet.Featurization.Faces;

namespace Sage.MLNet;

/// <summary>Extension methods that add face extraction from raw video, the step before face featurisation, to ML.NET's transforms catalog.</summary>
public static class FaceExtractionCatalog
{
    /// <summary>Creates a <see cref="SageFaceExtractionEstimator"/> that turns each row's video file into a folder of aligned face crops, one per frame with a face.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="options">Columns, the detector, tracking, alignment and the crop cache; copied, so later changes to it change nothing.</param>
    /// <remarks>
    /// <list type="table">
    /// <listheader><term>Column</term><description>Type and meaning</description></listheader>
    /// <item><term>VideoFile (input)</term><description>Text: the video file, any format ffmpeg reads.</description></item>
    /// <item><term>FaceFolder (output)</term><description>Text: the folder of the main person's 112 × 112 aligned crops, <c>00001.jpg</c> = frame 0, no file where no face was found: the layout of Aff-Wild2's <c>cropped_aligned</c>, so <see cref="FaceFeaturizationCatalog.FeaturizeFaces(TransformsCatalog, SageFaceFeaturizerOptions)"/> reads it as is.</description></item>
    /// <item><term>FrameCount (output)</term><description>Int32: T, the frames decoded (every frame the file stores, none added or dropped).</description></item>
    /// <item><term>FaceFound (output)</term><description>Variable-length vector of Single: T values, 1 where the frame has a crop.</description></item>
    /// <item><term>FrameTime (output)</term><description>Variable-length vector of Double: T values, each frame's own time in seconds (variable frame rates kept).</description></item>
    /// <item><term>PersonId (output, with <see cref="SageFaceExtractionOptions.RowPerPerson"/> only)</term><description>Text: who the row's crops show, e.g. <c>clip_left</c> and <c>clip_right</c>.</description></item>
    /// </list>
    /// <para>Per frame: decode (ffmpeg, streamed), detect (MediaPipe BlazeFace by default), follow each face over time
    /// (gaps of up to <see cref="SageFaceExtractionOptions.MaxGapFrames"/> bridged, pose smoothed), align (eyes level, scaled
    /// and centred on a fixed template) and write the crop. The main person is the one largest × longest on screen; the other
    /// people's crops are kept in <c>person-2/</c>, <c>person-3/</c> … of the same folder, and <see cref="SageFaceExtractionOptions.RowPerPerson"/>
    /// gives each of them a row. Crops are cached: a second pass over
    /// the same video with the same settings reads the folder and detects nothing.</para>
    /// <para>Dispose the fitted transformer: it holds the detector's ONNX Runtime session. Save it with a model through <see cref="SageModel.Save"/>.</para>
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the parameter name says which.</exception>
    public static SageFaceExtractionEstimator ExtractFaces(this TransformsCatalog catalog, SageFaceExtractionOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        // The estimator keeps the copy it validated: changing options later changes nothing.
        var copy = options.Copy();
        FaceExtractionOptionsCheck.Validate(copy);
        return new SageFaceExtractionEstimator(catalog, copy);
    }

    /// <summary>Creates a <see cref="SageFaceExtractionEstimator"/> with the packaged BlazeFace and default settings.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="faceFolderColumnName">Output column of crop folders.</param>
    /// <param name="videoFileColumnName">Input text column of video files.</param>
    /// <param name="cacheFolder">Folder that keeps the crops; null uses the system's temporary folder.</param>
    /// <inheritdoc cref="ExtractFaces(TransformsCatalog, SageFaceExtractionOptions)" path="/remarks"/>
    /// <inheritdoc cref="ExtractFaces(TransformsCatalog, SageFaceExtractionOptions)" path="/exception"/>
    public static SageFaceExtractionEstimator ExtractFaces(this TransformsCatalog catalog,
        string faceFolderColumnName = "FaceFolder",
        string videoFileColumnName = "VideoFile",
        string? cacheFolder = null) =>
        ExtractFaces(catalog, new SageFaceExtractionOptions
        {
            FaceFolderColumnName = faceFolderColumnName,
            VideoFileColumnName = videoFileColumnName,
            CacheFolder = cacheFolder,
        });
}
