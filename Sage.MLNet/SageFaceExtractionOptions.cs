namespace Sage.MLNet;

/// <summary>Settings of <see cref="SageFaceExtractionEstimator"/>: columns, the face detector, tracking, alignment and the crop cache.</summary>
/// <remarks>
/// Every setting that changes the crops (detector and its thresholds, crop and decode size, detection interval, gap and
/// smoothing) is part of the crop cache's key and is saved with a model by <see cref="SageModel.Save"/>.
/// </remarks>
public sealed class SageFaceExtractionOptions
{
    /// <summary>Input text column: the video file to read. Default: "VideoFile".</summary>
    public string VideoFileColumnName { get; set; } = "VideoFile";

    /// <summary>Output text column: the folder of the row's aligned crops, <c>00001.jpg</c> holding frame 0, none where no face was found. Default: "FaceFolder".</summary>
    public string FaceFolderColumnName { get; set; } = "FaceFolder";

    /// <summary>Output Int32 column: T, the number of frames decoded from the video. Default: "FrameCount".</summary>
    public string FrameCountColumnName { get; set; } = "FrameCount";

    /// <summary>Output column of T values, 1 where the frame has a crop of the row's person, else 0. Default: "FaceFound".</summary>
    public string FaceFoundColumnName { get; set; } = "FaceFound";

    /// <summary>Output column of T values of type Double: each frame's own time in seconds from the start of the file. Default: "FrameTime".</summary>
    public string FrameTimeColumnName { get; set; } = "FrameTime";

    /// <summary>
    /// Gives each person found a row of their own: a video's row is repeated once per person, main person first, each with
    /// their own crop folder and FaceFound, and <see cref="PersonIdColumnName"/> saying who. Default: false (one row per
    /// video, for its main person).
    /// </summary>
    public bool RowPerPerson { get; set; }

    /// <summary>
    /// Output text column, with <see cref="RowPerPerson"/> only: the video file's name without extension, plus "_left" and
    /// "_right" when two people were found (by where their faces were on average, as Aff-Wild2 names such videos), or plus
    /// "_person2", "_person3" … for the people after the main one when more were found. Default: "PersonId".
    /// </summary>
    public string PersonIdColumnName { get; set; } = "PersonId";

    /// <summary>The packaged detector used when <see cref="Detector"/> is null. Default: <see cref="SageFaceDetectorModel.BlazeFaceFullRange"/>.</summary>
    public SageFaceDetectorModel DetectorModel { get; set; } = SageFaceDetectorModel.BlazeFaceFullRange;

    /// <summary>A detector of your own (any ONNX model behind <see cref="ISageFaceDetector"/>); null uses the packaged BlazeFace. The caller keeps ownership and disposes it. Default: null.</summary>
    public ISageFaceDetector? Detector { get; set; }

    /// <summary>The lowest detection score kept by the packaged detector, in [0, 1]. Default: 0.5.</summary>
    public float MinDetectionScore { get; set; } = 0.5f;

    /// <summary>The box overlap (intersection over union) from which the packaged detector blends two candidates into one face. Default: 0.3.</summary>
    public float SuppressionOverlap { get; set; } = 0.3f;

    /// <summary>Runs the detector on every k-th frame only and holds each face's pose in between, in frames; it still runs on every frame while no face is followed or one was just missed. Default: 1 (every frame).</summary>
    public int DetectEveryFrames { get; set; } = 1;

    /// <summary>The longest run of frames without a detection that a face's track bridges (its crops continue with the last pose), in frames. Default: 5.</summary>
    public int MaxGapFrames { get; set; } = 5;

    /// <summary>The smoothing of box and landmarks over time: the One Euro filter's cut-off at rest, in Hz; lower is steadier. Default: 1.5.</summary>
    public double SmoothingCutoff { get; set; } = 1.5;

    /// <summary>How fast the smoothing lets a moving face through: the One Euro filter's speed coefficient, per pixel per second; higher lags less. Default: 0.5.</summary>
    public double SmoothingBeta { get; set; } = 0.5;

    /// <summary>The side of each square crop, in pixels. Default: 112 (Aff-Wild2's <c>cropped_aligned</c> size).</summary>
    public int CropSize { get; set; } = 112;

    /// <summary>Frames are decoded at most this many pixels on their longer side (smaller videos keep their size). Default: 1280.</summary>
    public int MaxDecodeSize { get; set; } = 1280;

    /// <summary>What a video in which no face is ever found gives. Default: <see cref="SageNoFacePolicy.Error"/>.</summary>
    public SageNoFacePolicy NoFace { get; set; } = SageNoFacePolicy.Error;

    /// <summary>Folder that keeps each video's crops, keyed by the video file and these settings; null uses <c>sage-faces</c> in the system's temporary folder. Default: null.</summary>
    public string? CacheFolder { get; set; }

    /// <summary>ONNX Runtime threads of the packaged detector. Default: the number of processors.</summary>
    public int DetectorThreads { get; set; } = Environment.ProcessorCount;

    /// <summary>Folder that holds ffmpeg and ffprobe; null uses FFMpegCore's global options, or PATH. Default: null.</summary>
    public string? FFMpegBinaryFolder { get; set; }

    /// <summary>Returns a copy, so an estimator keeps the values it was made with.</summary>
    internal SageFaceExtractionOptions Copy() => (SageFaceExtractionOptions)MemberwiseClone();
}
