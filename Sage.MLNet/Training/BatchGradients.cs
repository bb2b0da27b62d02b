using Sage.MLNet.Modeling;
using static TorchSharp.torch;

namespace Sage.MLNet.Training;

/// <summary>
/// Computes a batch's 1 − CCC loss and adds its gradients to the network's parameters: in one pass, or on the CPU with
/// the batch's clips split in two halves that two threads run side by side, each with half of the training threads.
/// </summary>
/// <remarks>
/// On a few cores the step's operations are too small to keep several threads busy each (two threads did about 86 % of
/// twice one thread's work); two halves of the batch at once keep both busy. The split is exact: the loss is one CCC
/// over all the batch's annotated frames, so each half's predictions are cut from its graph, joined, and the loss and
/// its gradient with respect to them computed once; then each half runs its backward pass from its share of that
/// gradient. Both add into the same parameter gradients (libtorch locks each), and a sum of two is the same in either
/// order, so the result does not depend on which half finishes first. Each half draws its dropout masks from a
/// generator of its own (see <see cref="DropoutNoise"/>), seeded from the training seed.
/// </remarks>
internal sealed class BatchGradients : IDisposable
{
    private readonly SageNetwork _network;
    private readonly PartThreads? _threads;
    private readonly Generator[] _generators;

    /// <param name="network">the network, already on its device</param>
    /// <param name="halves">two threads to run the halves of each batch on (CPU only), or null to run batches whole</param>
    /// <param name="seed">the training seed, from which the halves' dropout generators are seeded</param>
    public BatchGradients(SageNetwork network, PartThreads? halves, int seed)
    {
        if (halves is not null && halves.Count != 2)
        {
            throw new ArgumentOutOfRangeException(nameof(halves), halves.Count, "A batch splits into two halves: give two part threads");
        }
        _network = network;
        _threads = halves;
        _generators = halves is null ? [] : [.. Enumerable.Range(0, 2).Select(half => new Generator(HalfSeed(seed, half), CPU))];
    }

    /// <summary>Whether batches are split in two halves.</summary>
    public bool IsSplit => _threads is not null;

    /// <summary>Runs the network on the batch, adds the loss's gradients to the parameters' and returns the loss.</summary>
    /// <param name="visual">[clips, time, Dv]</param>
    /// <param name="audio">[clips, time, Da]</param>
    /// <param name="frameMask">[clips, time]</param>
    /// <param name="labels">[clips, time, 2]</param>
    /// <param name="labelMask">[clips, time], at least one 1</param>
    public float Accumulate(Tensor visual, Tensor audio, Tensor frameMask, Tensor labels, Tensor labelMask)
    {
        using var scope = NewDisposeScope();
        var clips = visual.shape[0];
        if (_threads is null || clips < 2)
        {
            var (prediction, _) = _network.call(visual, audio, frameMask);
            var whole = CccLoss.Compute(prediction, labels, labelMask);
            whole.backward();
            return whole.item<float>();
        }
        var first = clips / 2;
        long Start(int half) => half == 0 ? 0 : first;
        long Count(int half) => half == 0 ? first : clips - first;
        var predictions = new Tensor?[2];
        try
        {
            _threads.Run(half =>
            {
                using var halfScope = NewDisposeScope();
                using var noise = DropoutNoise.Use(_generators[half]);
                var (prediction, _) = _network.call(
                    visual.narrow(0, Start(half), Count(half)), audio.narrow(0, Start(half), Count(half)), frameMask.narrow(0, Start(half), Count(half)));
                predictions[half] = prediction.DetachFromDisposeScope();
            });
            // The loss sees the predictions as leaves: its backward pass stops at them.
            var leaves = predictions.Select(p => p!.detach().requires_grad_()).ToArray();
            var loss = CccLoss.Compute(cat(leaves, 0), labels, labelMask);
            loss.backward();
            _threads.Run(half =>
            {
                using var halfScope = NewDisposeScope();
                var gradient = leaves[half].grad!;
                predictions[half]!.backward([gradient]);
                // Freed on the thread that made it, so that each thread's count of live tensors balances.
                predictions[half]!.Dispose();
                predictions[half] = null;
            });
            return loss.item<float>();
        }
        finally
        {
            foreach (var prediction in predictions)
            {
                prediction?.Dispose();
            }
        }
    }

    public void Dispose()
    {
        foreach (var generator in _generators)
        {
            generator.Dispose();
        }
    }

    private static ulong HalfSeed(int seed, int half) => unchecked(((ulong)(uint)seed << 8) + 0x5A6E + (ulong)half);
}
