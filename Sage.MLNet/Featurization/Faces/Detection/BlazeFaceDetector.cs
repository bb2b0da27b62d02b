using System.Drawing;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Sage.MLNet.IO;

namespace Sage.MLNet.Featurization.Faces;

/// <summary>
/// MediaPipe's BlazeFace through ONNX Runtime: letterboxes the frame into the model's square input with pixels in
/// [−1, 1], decodes the anchors and blends overlapping candidates. Thread-safe (one call runs at a time).
/// </summary>
internal sealed class BlazeFaceDetector : ISageFaceDetector
{
    private readonly InferenceSession _session;
    private readonly int _size;
    private readonly float _minScore;
    private readonly float _minOverlap;
    private readonly string _inputName;
    private readonly string[] _scoreNames;
    private readonly string[] _boxNames;
    private readonly DenseTensor<float> _input;
    private readonly Lock _lock = new();

    public BlazeFaceDetector(SageFaceDetectorModel model, float minScore, float minOverlap, int threads)
    {
        var file = PackagedBlazeFace.Require(model);
        _size = PackagedBlazeFace.InputSize(model);
        _minScore = minScore;
        _minOverlap = minOverlap;
        Identity = $"blazeface:{PackagedBlazeFace.FileName(model)}:{KeyHash.OfFile(file)}:score={minScore:R}:overlap={minOverlap:R}";
        using var options = new SessionOptions
        {
            IntraOpNumThreads = threads,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            // tf2onnx left unused initialisers in the graph; ONNX Runtime warns about each one on every load.
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        _session = new InferenceSession(file, options);
        _inputName = _session.InputMetadata.Keys.Single();
        // Outputs by shape, not by name: [1, anchors, 1] scores and [1, anchors, 16] boxes, for 512 then 384 anchors.
        var outputs = _session.OutputMetadata;
        string Find(int anchors, int values) => outputs.Single(o => o.Value.Dimensions is [_, var a, var v] && a == anchors && v == values).Key;
        _scoreNames = [.. BlazeFaceDecoding.Layers.Select(l => Find(l.Cells * l.Cells * l.PerCell, 1))];
        _boxNames = [.. BlazeFaceDecoding.Layers.Select(l => Find(l.Cells * l.Cells * l.PerCell, BlazeFaceDecoding.ValuesPerAnchor))];
        _input = new DenseTensor<float>([1, _size, _size, 3]);
    }

    public string Identity { get; }

    public IReadOnlyList<SageFaceDetection> Detect(ReadOnlySpan<byte> rgba, int width, int height)
    {
        if (rgba.Length < (long)width * height * 4)
        {
            throw new ArgumentException($"The frame has {rgba.Length} bytes; {width} × {height} RGBA needs {(long)width * height * 4}", nameof(rgba));
        }
        var box = Letterbox.Of(width, height, _size);
        List<FaceCandidate> candidates = [];
        lock (_lock)
        {
            box.Fill(rgba, width, height, _input.Buffer.Span);
            using var results = _session.Run([NamedOnnxValue.CreateFromTensor(_inputName, _input)], [.. _scoreNames, .. _boxNames]);
            for (var layer = 0; layer < _scoreNames.Length; layer++)
            {
                var scores = ((DenseTensor<float>)results.Single(r => r.Name == _scoreNames[layer]).AsTensor<float>()).Buffer.Span;
                var boxes = ((DenseTensor<float>)results.Single(r => r.Name == _boxNames[layer]).AsTensor<float>()).Buffer.Span;
                BlazeFaceDecoding.Decode(scores, boxes, layer, _size, _minScore, candidates);
            }
        }
        return [.. WeightedSuppression.Apply(candidates, _minOverlap).Select(c => box.ToFrame(c, width, height))];
    }

    public void Dispose() => _session.Dispose();
}

/// <summary>Where a frame sits inside the detector's square input: scaled to fit (aspect kept) and centred, the rest black.</summary>
internal readonly record struct Letterbox(float Scale, float OffsetX, float OffsetY, int Size)
{
    public static Letterbox Of(int width, int height, int size)
    {
        var scale = size / (float)Math.Max(width, height);
        return new Letterbox(scale, (size - width * scale) / 2, (size - height * scale) / 2, size);
    }

    /// <summary>Writes the letterboxed frame as [size, size, 3] floats in [−1, 1], bilinear, padding −1 (black).</summary>
    public void Fill(ReadOnlySpan<byte> rgba, int width, int height, Span<float> input)
    {
        const float toUnit = 2f / 255f;
        input.Fill(-1f);
        var x0 = (int)MathF.Ceiling(OffsetX - 0.5f);
        var x1 = Math.Min(Size, (int)MathF.Floor(OffsetX + width * Scale - 0.5f) + 1);
        var y0 = (int)MathF.Ceiling(OffsetY - 0.5f);
        var y1 = Math.Min(Size, (int)MathF.Floor(OffsetY + height * Scale - 0.5f) + 1);
        for (var v = Math.Max(0, y0); v < y1; v++)
        {
            var sy = Math.Clamp((v + 0.5f - OffsetY) / Scale - 0.5f, 0, height - 1);
            var iy = Math.Min((int)sy, height - 2 < 0 ? 0 : height - 2);
            var fy = height == 1 ? 0 : sy - iy;
            var row0 = rgba.Slice(iy * width * 4);
            var row1 = height == 1 ? row0 : rgba.Slice((iy + 1) * width * 4);
            for (var u = Math.Max(0, x0); u < x1; u++)
            {
                var sx = Math.Clamp((u + 0.5f - OffsetX) / Scale - 0.5f, 0, width - 1);
                var ix = Math.Min((int)sx, width - 2 < 0 ? 0 : width - 2);
                var fx = width == 1 ? 0 : sx - ix;
                var jx = width == 1 ? ix : ix + 1;
                var target = input.Slice((v * Size + u) * 3, 3);
                for (var c = 0; c < 3; c++)
                {
                    var top = row0[ix * 4 + c] + (row0[jx * 4 + c] - row0[ix * 4 + c]) * fx;
                    var bottom = row1[ix * 4 + c] + (row1[jx * 4 + c] - row1[ix * 4 + c]) * fx;
                    target[c] = (top + (bottom - top) * fy) * toUnit - 1f;
                }
            }
        }
    }

    /// <summary>Maps a candidate in input fractions (0 … 1 of the square) to a detection in the frame's pixels.</summary>
    public SageFaceDetection ToFrame(FaceCandidate c, int width, int height)
    {
        var scale = Scale;
        var offsetX = OffsetX;
        var offsetY = OffsetY;
        var size = Size;
        float X(float fraction) => (fraction * size - offsetX) / scale;
        float Y(float fraction) => (fraction * size - offsetY) / scale;
        var points = new PointF[c.Points.Length / 2];
        for (var k = 0; k < points.Length; k++)
        {
            points[k] = new PointF(X(c.Points[2 * k]), Y(c.Points[2 * k + 1]));
        }
        var left = X(c.Left);
        var top = Y(c.Top);
        return new SageFaceDetection(new RectangleF(left, top, X(c.Right) - left, Y(c.Bottom) - top), points, c.Score);
    }
}
