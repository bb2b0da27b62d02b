using Microsoft.ML;
using Sage.MLNet.Featurization.Faces;

namespace Sage.MLNet.Persistence;

/// <summary>
/// Everything that rebuilds a <see cref="SageFaceExtractionTransformer"/>: its columns, the detector (a packaged BlazeFace
/// model with its file's SHA-256, or the identity of a detector of the user's own) and every setting that changes the
/// crops. Where the crops are cached, ffmpeg's folder and the detector's threads belong to the machine, so they are not kept.
/// </summary>
internal sealed record FaceExtractionRecord(
    string VideoFileColumnName,
    string FaceFolderColumnName,
    string FrameCountColumnName,
    string FaceFoundColumnName,
    string FrameTimeColumnName,
    string Detector,
    SageFaceDetectorModel DetectorModel,
    string? DetectorSha256,
    string DetectorIdentity,
    float MinDetectionScore,
    float SuppressionOverlap,
    int DetectEveryFrames,
    int MaxGapFrames,
    double SmoothingCutoff,
    double SmoothingBeta,
    int CropSize,
    int MaxDecodeSize,
    SageNoFacePolicy NoFace,
    int ExtractorVersion,
    bool RowPerPerson = false,
    string? PersonIdColumnName = null)
{
    public const string PackagedDetector = "packaged BlazeFace";
    public const string CustomDetector = "custom";

    /// <summary>Describes a fitted face extractor; hashes the packaged detector's file as it is now.</summary>
    public static FaceExtractionRecord From(SageFaceExtractionTransformer extraction)
    {
        var o = extraction.Options;
        var packaged = o.Detector is null;
        return new FaceExtractionRecord(
            o.VideoFileColumnName, o.FaceFolderColumnName, o.FrameCountColumnName, o.FaceFoundColumnName, o.FrameTimeColumnName,
            packaged ? PackagedDetector : CustomDetector, o.DetectorModel,
            packaged ? EncoderFile.Sha256(PackagedBlazeFace.Require(o.DetectorModel)) : null,
            extraction.Extractor.DetectorIdentity,
            o.MinDetectionScore, o.SuppressionOverlap, o.DetectEveryFrames, o.MaxGapFrames, o.SmoothingCutoff, o.SmoothingBeta,
            o.CropSize, o.MaxDecodeSize, o.NoFace, FaceExtractor.ExtractorVersion, o.RowPerPerson, o.PersonIdColumnName);
    }

    /// <summary>Checks the detector on this machine against the saved hash and fits the extractor again.</summary>
    /// <param name="mlContext">The context.</param>
    /// <param name="schemaOnly">Rows with the raw columns.</param>
    /// <param name="encoders">Checks files against saved hashes.</param>
    /// <param name="cropFolder">Where the crops are cached; null uses the system's temporary folder.</param>
    /// <param name="detector">The user's own detector, for a model saved with one.</param>
    public SageFaceExtractionTransformer Rebuild(MLContext mlContext, IDataView schemaOnly, EncoderFile encoders, string? cropFolder, ISageFaceDetector? detector)
    {
        if (ExtractorVersion != FaceExtractor.ExtractorVersion)
        {
            throw new InvalidOperationException(
                $"The model's face crops were made by face extractor version {ExtractorVersion}; this library extracts as version {FaceExtractor.ExtractorVersion}. Retrain the model on crops made by this version");
        }
        if (Detector == PackagedDetector)
        {
            encoders.Check($"packaged BlazeFace face detector ({DetectorModel})", PackagedBlazeFace.PathOf(DetectorModel),
                DetectorSha256 ?? throw encoders.Invalid("the packaged face detector has no detectorSha256"));
            detector = null;
        }
        else if (Detector == CustomDetector)
        {
            if (detector is null || detector.Identity != DetectorIdentity)
            {
                throw new InvalidOperationException(
                    $"The model's face crops were made by a detector of your own with identity '{DetectorIdentity}'; pass that detector to SageModel.LoadWithFeaturizers (got {(detector is null ? "none" : $"'{detector.Identity}'")})");
            }
        }
        else
        {
            throw encoders.Invalid($"the face detector '{Detector}' is neither '{PackagedDetector}' nor '{CustomDetector}'");
        }
        var options = new SageFaceExtractionOptions
        {
            VideoFileColumnName = VideoFileColumnName,
            FaceFolderColumnName = FaceFolderColumnName,
            FrameCountColumnName = FrameCountColumnName,
            FaceFoundColumnName = FaceFoundColumnName,
            FrameTimeColumnName = FrameTimeColumnName,
            DetectorModel = DetectorModel,
            Detector = detector,
            MinDetectionScore = MinDetectionScore,
            SuppressionOverlap = SuppressionOverlap,
            DetectEveryFrames = DetectEveryFrames,
            MaxGapFrames = MaxGapFrames,
            SmoothingCutoff = SmoothingCutoff,
            SmoothingBeta = SmoothingBeta,
            CropSize = CropSize,
            MaxDecodeSize = MaxDecodeSize,
            NoFace = NoFace,
            RowPerPerson = RowPerPerson,
            PersonIdColumnName = PersonIdColumnName ?? new SageFaceExtractionOptions().PersonIdColumnName,
            CacheFolder = cropFolder,
        };
        var estimator = encoders.Guard(() => mlContext.Transforms.ExtractFaces(options));
        return estimator.Fit(schemaOnly);
    }
}
