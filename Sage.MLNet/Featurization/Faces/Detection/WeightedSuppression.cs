namespace Sage.MLNet.Featurization.Faces;

/// <summary>
/// Non-maximum suppression by weighted blending, as MediaPipe's face detection does: each cluster of candidates that
/// overlap the best remaining one becomes one face whose box and key points are the score-weighted mean of the
/// cluster's, and whose score is the best one's.
/// </summary>
/// <remarks>Plain suppression keeps one anchor's box, which jumps between neighbouring anchors from frame to frame;
/// blending several anchors' boxes gives steadier boxes, which the crops inherit.</remarks>
internal static class WeightedSuppression
{
    /// <summary>Returns the blended faces, best score first.</summary>
    /// <param name="candidates">The candidates, in any order.</param>
    /// <param name="minOverlap">The intersection over union from which a candidate joins the best one's cluster. MediaPipe uses 0.3.</param>
    public static List<FaceCandidate> Apply(IReadOnlyList<FaceCandidate> candidates, float minOverlap)
    {
        var remaining = candidates.OrderByDescending(c => c.Score).ToList();
        var faces = new List<FaceCandidate>();
        while (remaining.Count > 0)
        {
            var best = remaining[0];
            var cluster = remaining.Where(c => best.IntersectionOverUnion(c) > minOverlap).ToList();
            if (cluster.Count == 0)
            {
                cluster.Add(best);      // a degenerate (empty) box overlaps nothing, itself included
            }
            remaining.RemoveAll(c => ReferenceEquals(c, best) || cluster.Contains(c));
            faces.Add(Blend(cluster, best.Score));
        }
        return faces;
    }

    private static FaceCandidate Blend(List<FaceCandidate> cluster, float score)
    {
        var total = cluster.Sum(c => c.Score);
        float Mean(Func<FaceCandidate, float> value) => cluster.Sum(c => value(c) * c.Score) / total;
        var points = new float[cluster[0].Points.Length];
        for (var i = 0; i < points.Length; i++)
        {
            points[i] = Mean(c => c.Points[i]);
        }
        return new FaceCandidate(Mean(c => c.Left), Mean(c => c.Top), Mean(c => c.Right), Mean(c => c.Bottom), score, points);
    }
}
