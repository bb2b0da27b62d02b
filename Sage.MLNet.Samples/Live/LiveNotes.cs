namespace Sage.MLNet.Samples.Live;

/// <summary>What <c>live</c> and <c>serve</c> tell a user about how a model scores live.</summary>
internal static class LiveNotes
{
    /// <summary>Returns the note for a model whose graph does not name its TCNs' output (<see cref="SageLivePredictor.PerFrameTcn"/> false).</summary>
    public static string WholeNetwork(string model) =>
        $"Note: '{model}' was saved before its network named the TCNs' output (or combines several networks), so live scoring reruns the whole network " +
        "on each window instead of each frame's TCN once: several times the work, which may drop frames on a small machine. " +
        "Train it again with this version (train, demo) to get the faster path.";
}
