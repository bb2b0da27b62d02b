namespace Sage.MLNet.Featurization.Faces;

/// <summary>
/// Turns BlazeFace's raw outputs into face candidates: its fixed anchors, the box and key-point offsets, the score
/// sigmoid. Coordinates are fractions of the model's square input (0 … 1).
/// </summary>
/// <remarks>
/// Both packaged models share one anchor layout (MediaPipe's SSD anchors with the strides merged): a 16 × 16 grid with
/// 2 anchors per cell (512), then an 8 × 8 grid with 6 per cell (384), in row-major cell order, every anchor of a cell
/// at the cell's centre ((x + 0.5) / cells) with size 1. Per anchor the regressor gives 16 values in input pixels: box
/// centre offset (x, y), box size (w, h), then 6 key points (x, y) as offsets from the anchor.
/// </remarks>
internal static class BlazeFaceDecoding
{
    public const int ValuesPerAnchor = 16;
    public const int KeyPoints = 6;

    /// <summary>(cells per side, anchors per cell) of each output pair, in output order.</summary>
    public static readonly (int Cells, int PerCell)[] Layers = [(16, 2), (8, 6)];

    /// <summary>Logits beyond ±this are clipped before the sigmoid, as MediaPipe does.</summary>
    private const float ScoreClip = 100f;

    /// <summary>Adds to <paramref name="found"/> every anchor of one layer whose score reaches <paramref name="minScore"/>.</summary>
    /// <param name="scores">[anchors] logits.</param>
    /// <param name="boxes">[anchors, 16] regressor values in input pixels.</param>
    /// <param name="layer">Index into <see cref="Layers"/>.</param>
    /// <param name="inputSize">The model's input side in pixels (128 or 256).</param>
    /// <param name="minScore">The lowest score kept, after the sigmoid.</param>
    /// <param name="found">Receives the candidates.</param>
    public static void Decode(ReadOnlySpan<float> scores, ReadOnlySpan<float> boxes, int layer, int inputSize, float minScore, List<FaceCandidate> found)
    {
        var (cells, perCell) = Layers[layer];
        if (scores.Length != cells * cells * perCell || boxes.Length != scores.Length * ValuesPerAnchor)
        {
            throw new InvalidDataException($"BlazeFace layer {layer} gave {scores.Length} scores and {boxes.Length} box values; expected {cells * cells * perCell} and {cells * cells * perCell * ValuesPerAnchor}");
        }
        var size = (float)inputSize;
        for (var anchor = 0; anchor < scores.Length; anchor++)
        {
            var score = Sigmoid(scores[anchor]);
            if (score < minScore)
            {
                continue;
            }
            var cell = anchor / perCell;
            var ax = (cell % cells + 0.5f) / cells;
            var ay = (cell / cells + 0.5f) / cells;
            var raw = boxes.Slice(anchor * ValuesPerAnchor, ValuesPerAnchor);
            var cx = raw[0] / size + ax;
            var cy = raw[1] / size + ay;
            var w = raw[2] / size;
            var h = raw[3] / size;
            var points = new float[KeyPoints * 2];
            for (var k = 0; k < KeyPoints; k++)
            {
                points[2 * k] = raw[4 + 2 * k] / size + ax;
                points[2 * k + 1] = raw[5 + 2 * k] / size + ay;
            }
            found.Add(new FaceCandidate(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2, score, points));
        }
    }

    private static float Sigmoid(float logit) => 1f / (1f + MathF.Exp(-Math.Clamp(logit, -ScoreClip, ScoreClip)));
}

/// <summary>A face candidate: box corners, score and key points (x, y pairs), all in one coordinate frame.</summary>
internal sealed record FaceCandidate(float Left, float Top, float Right, float Bottom, float Score, float[] Points)
{
    public float Area => Math.Max(0, Right - Left) * Math.Max(0, Bottom - Top);

    /// <summary>Returns the intersection over union of the two boxes, 0 when either is empty.</summary>
    public float IntersectionOverUnion(FaceCandidate other)
    {
        var w = Math.Min(Right, other.Right) - Math.Max(Left, other.Left);
        var h = Math.Min(Bottom, other.Bottom) - Math.Max(Top, other.Top);
        if (w <= 0 || h <= 0)
        {
            return 0;
        }
        var intersection = w * h;
        var union = Area + other.Area - intersection;
        return union > 0 ? intersection / union : 0;
    }
}
