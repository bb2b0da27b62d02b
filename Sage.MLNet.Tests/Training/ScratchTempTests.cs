using Microsoft.ML;
namespace Sage.MLNet.Tests.Training;
[TestClass]
public sealed class ScratchTempTests
{
    [TestMethod]
    public void Scratch()
    {
        var ml = new MLContext(seed: 1);
        Console.WriteLine("frames: " + string.Join(",", TestData.Rows(TestData.Videos(ml, 6, seed: 4), ml).Select(r => r.Valence.Length)));
    }
}
