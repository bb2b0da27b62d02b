using Microsoft.ML;
using Sage.MLNet.Training.CrossValidation;

namespace Sage.MLNet.Tests.Training.CrossValidation;

/// <summary>Splitting training rows into folds: groups kept whole, every row held out exactly once, errors named.</summary>
[TestClass]
public sealed class FoldPlanTests
{
    private static readonly string[] s_ids = ["a_left", "a_right", "b", "c_left", "c_right", "d", "e_right", "f"];

    [TestMethod]
    public void HeldOut_LeftAndRightRows_AreInTheSameFold()
    {
        var ml = new MLContext(seed: 1);
        var plan = FoldPlan.Create(Rows(ml, s_ids), "Valence", "VideoId", foldCount: 3, seed: 4);

        var foldOf = FoldOfEachId(ml, plan);

        Assert.AreEqual(foldOf["a_left"], foldOf["a_right"]);
        Assert.AreEqual(foldOf["c_left"], foldOf["c_right"]);
    }

    [TestMethod]
    public void HeldOut_EveryFold_HoldsEachRowExactlyOnceAndTrainingHoldsTheRest()
    {
        var ml = new MLContext(seed: 1);
        var plan = FoldPlan.Create(Rows(ml, s_ids), "Valence", "VideoId", foldCount: 3, seed: 4);

        var heldOut = Enumerable.Range(0, 3).SelectMany(fold => Ids(ml, plan.HeldOut(fold))).Order().ToArray();

        CollectionAssert.AreEqual(s_ids.Order().ToArray(), heldOut);
        for (var fold = 0; fold < 3; fold++)
        {
            var training = Ids(ml, plan.Training(fold));
            CollectionAssert.AreEquivalent(s_ids.Except(Ids(ml, plan.HeldOut(fold))).ToArray(), training, $"fold {fold}");
            Assert.AreEqual(plan.Videos(fold), Ids(ml, plan.HeldOut(fold)).Length, $"fold {fold} video count");
            Assert.AreEqual(s_ids.Length - plan.Videos(fold), plan.Training(fold).GetRowCount(), $"fold {fold} training rows");
        }
        Assert.AreEqual(s_ids.Length * 100L, Enumerable.Range(0, 3).Sum(plan.Frames));
    }

    [TestMethod]
    public void HeldOut_ShuffledCursor_GivesTheSameRows()
    {
        var ml = new MLContext(seed: 1);
        var cached = ml.Data.Cache(Rows(ml, s_ids));
        var plan = FoldPlan.Create(cached, "Valence", "VideoId", foldCount: 3, seed: 4);
        var heldOut = plan.HeldOut(0);
        var column = heldOut.Schema["VideoId"];

        var shuffled = new List<string>();
        using (var cursor = heldOut.GetRowCursor([column], new Random(5)))
        {
            var getter = cursor.GetGetter<ReadOnlyMemory<char>>(column);
            ReadOnlyMemory<char> id = default;
            while (cursor.MoveNext())
            {
                getter(ref id);
                shuffled.Add(id.ToString());
            }
        }

        Assert.IsTrue(heldOut.CanShuffle);
        CollectionAssert.AreEquivalent(Ids(ml, heldOut), shuffled);
    }

    [TestMethod]
    public void Create_NoGroupColumn_MakesEveryRowItsOwnGroup()
    {
        var ml = new MLContext(seed: 1);
        var plan = FoldPlan.Create(Rows(ml, ["x_left", "x_right"]), "Valence", groupColumn: null, foldCount: 2, seed: 1);

        Assert.AreEqual(1, plan.Videos(0));
        Assert.AreEqual(1, plan.Videos(1));
        Assert.IsFalse(plan.HeldOut(0).CanShuffle, "rows placed by row number are read in order");
        CollectionAssert.AreEquivalent(new[] { "x_left", "x_right" }, Ids(ml, plan.HeldOut(0)).Concat(Ids(ml, plan.HeldOut(1))).ToArray());
    }

    [TestMethod]
    public void Create_FewerGroupsThanFolds_ThrowsNamingFoldCountAndCounts()
    {
        var ml = new MLContext(seed: 1);

        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() =>
            FoldPlan.Create(Rows(ml, ["a_left", "a_right", "b"]), "Valence", "VideoId", foldCount: 3, seed: 1));

        Assert.AreEqual("FoldCount", error.ParamName);
        StringAssert.Contains(error.Message, "3 rows form 2 groups");
    }

    [TestMethod]
    public void Create_GroupColumnMissing_ThrowsNamingColumn()
    {
        var ml = new MLContext(seed: 1);

        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() =>
            FoldPlan.Create(Rows(ml, s_ids), "Valence", "Subject", foldCount: 3, seed: 1));

        StringAssert.Contains(error.Message, "Could not find group column 'Subject'");
    }

    [TestMethod]
    public void Create_EmptyGroupId_ThrowsNamingRow()
    {
        var ml = new MLContext(seed: 1);

        var error = Assert.ThrowsExactly<InvalidDataException>(() =>
            FoldPlan.Create(Rows(ml, ["a", "", "b"]), "Valence", "VideoId", foldCount: 2, seed: 1));

        StringAssert.Contains(error.Message, "row 1: group column 'VideoId' is empty");
    }

    /// <summary>Rows with 100 labelled frames each; the plan reads only the ids and the label lengths.</summary>
    private static IDataView Rows(MLContext ml, string[] ids) => ml.Data.LoadFromEnumerable(ids.Select(id => new TestData.VideoRow
    {
        VideoId = id,
        Valence = new float[100],
        Arousal = new float[100],
    }).ToArray());

    private static string[] Ids(MLContext ml, IDataView data) =>
        [.. ml.Data.CreateEnumerable<TestData.VideoRow>(data, reuseRowObject: false).Select(r => r.VideoId)];

    private static Dictionary<string, int> FoldOfEachId(MLContext ml, FoldPlan plan) =>
        Enumerable.Range(0, plan.FoldCount)
            .SelectMany(fold => Ids(ml, plan.HeldOut(fold)).Select(id => (id, fold)))
            .ToDictionary(p => p.id, p => p.fold);
}
