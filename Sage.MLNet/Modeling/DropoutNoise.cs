using static TorchSharp.torch;

namespace Sage.MLNet.Modeling;

/// <summary>
/// The random generator that dropout draws its masks from on the current thread: TorchSharp's default generator unless
/// a caller installs one with <see cref="Use"/>.
/// </summary>
/// <remarks>
/// A training step split across threads (the trainer's BatchGradients) runs the network on each thread at once;
/// drawn from the one default generator, the masks would depend on which thread drew first. Each thread draws from a
/// generator of its own instead, so a seed still gives the same masks.
/// </remarks>
internal static class DropoutNoise
{
    [ThreadStatic]
    private static Generator? t_generator;

    /// <summary>The current thread's generator; null means TorchSharp's default generator.</summary>
    public static Generator? Current => t_generator;

    /// <summary>Makes dropout on this thread draw from <paramref name="generator"/> until the returned value is disposed.</summary>
    public static Installed Use(Generator generator)
    {
        var previous = t_generator;
        t_generator = generator;
        return new Installed(previous);
    }

    /// <summary>Puts the thread's previous generator back when disposed.</summary>
    internal readonly struct Installed(Generator? previous) : IDisposable
    {
        public void Dispose() => t_generator = previous;
    }
}
