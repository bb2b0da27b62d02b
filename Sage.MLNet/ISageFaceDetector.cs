namespace Sage.MLNet;

/// <summary>
/// Finds faces in one RGBA frame: the seam where any face detector (an ONNX model of your own, for example) plugs into
/// <see cref="FaceExtractionCatalog.ExtractFaces(Microsoft.ML.TransformsCatalog, SageFaceExtractionOptions)"/>.
/// </summary>
/// <remarks>Calls come from one thread at a time per video, but different videos may be featurised at once: keep
/// <see cref="Detect"/> thread-safe, or guard it.</remarks>
public interface ISageFaceDetector : IDisposable
{
    /// <summary>Gets a string that changes whenever the detections could change: the model file's SHA-256 and every setting. It keys the crop cache and is saved with a model.</summary>
    string Identity { get; }

    /// <summary>Returns the faces in the frame, in any order, each with at least two eye landmarks.</summary>
    /// <param name="rgba">The frame's pixels: <paramref name="width"/> × <paramref name="height"/> × 4 bytes, row-major, R G B A.</param>
    /// <param name="width">The frame's width in pixels.</param>
    /// <param name="height">The frame's height in pixels.</param>
    IReadOnlyList<SageFaceDetection> Detect(ReadOnlySpan<byte> rgba, int width, int height);
}
