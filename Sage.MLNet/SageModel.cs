using Microsoft.ML;
using Sage.MLNet.Persistence;

namespace Sage.MLNet;

/// <summary>Loads saved SAGE models, checking the file first so a damaged one gets a clear error.</summary>
public static class SageModel
{
    private const string Description = "Model file";

    /// <summary>
    /// Loads a model zip written by <c>mlContext.Model.Save</c>. The result is ML.NET's own OnnxTransformer
    /// (or the saved chain) and scores like the <see cref="SageTransformer"/> that was saved.
    /// </summary>
    /// <param name="mlContext">The context; its <see cref="MLContext.GpuDeviceId"/> and <see cref="MLContext.FallbackToCpu"/> choose where ONNX Runtime runs.</param>
    /// <param name="path">The model zip.</param>
    /// <param name="inputSchema">The schema the model was trained on.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is corrupt, truncated, not a model, or has an entry that points outside its folder.</exception>
    public static ITransformer Load(MLContext mlContext, string path, out DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(path);
        using (var archive = SafeZip.OpenRead(path, Description))
        {
            foreach (var entry in archive.Entries)
            {
                SafeZip.ReadEntry(archive, entry.FullName, path, Description);     // every entry whole and intact
            }
        }
        try
        {
            return mlContext.Model.Load(path, out inputSchema);
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or EndOfStreamException or InvalidDataException)
        {
            throw new InvalidDataException($"{Description} '{path}' is not an ML.NET model: {e.Message}", e);
        }
    }
}
