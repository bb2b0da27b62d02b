using Sage.MLNet.Training.CrossValidation;

namespace Sage.MLNet.Tests.Training.CrossValidation;

/// <summary>Grouping video ids and assigning groups to folds: balanced, deterministic, never splitting a group.</summary>
[TestClass]
public sealed class FoldAssignmentTests
{
    [TestMethod]
    [DataRow("10-60-1280x720_left", "10-60-1280x720")]
    [DataRow("10-60-1280x720_right", "10-60-1280x720")]
    [DataRow("10-60-1280x720", "10-60-1280x720")]
    [DataRow("video_leftover", "video_leftover")]
    [DataRow("_left", "_left")]
    [DataRow("clip_Left", "clip_Left")]
    public void GroupOf_VideoId_RemovesOnlyATrailingSide(string videoId, string expected) =>
        Assert.AreEqual(expected, FoldAssignment.GroupOf(videoId));

    [TestMethod]
    public void Assign_RandomGroupSizes_FoldFramesDifferByAtMostTheLargestGroup()
    {
        var random = new Random(3);
        for (var trial = 0; trial < 50; trial++)
        {
            var folds = random.Next(2, 8);
            var groups = Enumerable.Range(0, random.Next(folds, 60)).Select(_ => (long)random.Next(1, 20_000)).ToArray();

            var foldOf = FoldAssignment.Assign(groups, folds, seed: trial);

            var totals = Enumerable.Range(0, folds).Select(f => groups.Where((_, g) => foldOf[g] == f).Sum()).ToArray();
            Assert.IsTrue(foldOf.All(f => f >= 0 && f < folds), $"trial {trial}: every group has a fold");
            Assert.IsTrue(Enumerable.Range(0, folds).All(f => foldOf.Contains(f)), $"trial {trial}: every fold has a group");
            Assert.IsLessThanOrEqualTo(groups.Max(), totals.Max() - totals.Min(), $"trial {trial}: fold frames {string.Join(", ", totals)}");
        }
    }

    [TestMethod]
    public void Assign_EqualGroups_EqualGroupCountsPerFold()
    {
        var foldOf = FoldAssignment.Assign(Enumerable.Repeat(1_000L, 12).ToArray(), 4, seed: 1);

        CollectionAssert.AreEqual(new[] { 3, 3, 3, 3 }, Enumerable.Range(0, 4).Select(f => foldOf.Count(x => x == f)).ToArray());
    }

    [TestMethod]
    public void Assign_SameSeed_SameFolds()
    {
        var groups = Enumerable.Range(1, 30).Select(g => (long)(g * 137 % 1_000)).ToArray();

        CollectionAssert.AreEqual(FoldAssignment.Assign(groups, 5, seed: 9), FoldAssignment.Assign(groups, 5, seed: 9));
    }

    [TestMethod]
    public void Assign_OtherSeed_OtherFolds()
    {
        var groups = Enumerable.Range(1, 30).Select(g => (long)(g * 137 % 1_000)).ToArray();

        CollectionAssert.AreNotEqual(FoldAssignment.Assign(groups, 5, seed: 9), FoldAssignment.Assign(groups, 5, seed: 10));
    }
}
