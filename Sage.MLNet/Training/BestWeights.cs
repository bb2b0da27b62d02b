using Sage.MLNet.Modeling;
using static TorchSharp.torch;

namespace Sage.MLNet.Training;

/// <summary>Keeps a copy of the weights of the best-scoring epoch so training can end on them.</summary>
internal sealed class BestWeights : IDisposable
{
    private Dictionary<string, Tensor>? _weights;
    private double _score = double.NegativeInfinity;

    /// <summary>Copies the network's weights if <paramref name="score"/> beats every earlier one; returns whether it did.</summary>
    public bool Offer(SageNetwork network, double score)
    {
        if (!(score > _score))
        {
            return false;
        }
        _score = score;
        DisposeWeights();
        _weights = network.state_dict().ToDictionary(p => p.Key, p =>
        {
            using var detached = p.Value.detach();      // a second handle on the weights: undisposed, it keeps them alive
            return detached.clone();
        });
        return true;
    }

    /// <summary>Loads the kept weights into the network; does nothing if none were kept.</summary>
    public void Restore(SageNetwork network)
    {
        if (_weights is not null)
        {
            network.load_state_dict(_weights);
        }
    }

    public void Dispose() => DisposeWeights();

    private void DisposeWeights()
    {
        foreach (var tensor in _weights?.Values ?? Enumerable.Empty<Tensor>())
        {
            tensor.Dispose();
        }
        _weights = null;
    }
}
