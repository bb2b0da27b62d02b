using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sage.MLNet.Training;

/// <summary>
/// AdamW (Loshchilov and Hutter): Adam with decoupled weight decay, as PyTorch defines it.
/// </summary>
/// <remarks>
/// TorchSharp's own optimizers pass per-step constants as temporary scalars, which its finalizer can
/// free while native code still reads them (see <see cref="Modeling.Scalars"/>). This one keeps every
/// scalar alive until the step that uses it has finished.
/// </remarks>
internal sealed class AdamW : IDisposable
{
    private const double Beta1 = 0.9;
    private const double Beta2 = 0.999;
    private const double Epsilon = 1e-8;

    private readonly Parameter[] _parameters;
    private readonly Tensor[] _firstMoments;
    private readonly Tensor[] _secondMoments;
    private readonly double _learningRate;
    private readonly double _weightDecay;
    private long _step;

    public AdamW(IEnumerable<Parameter> parameters, double learningRate, double weightDecay)
    {
        _parameters = parameters.ToArray();
        using (no_grad())
        {
            _firstMoments = _parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
            _secondMoments = _parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
        }
        _learningRate = learningRate;
        _weightDecay = weightDecay;
    }

    public void ZeroGrad()
    {
        foreach (var parameter in _parameters)
        {
            using var grad = parameter.grad;
            grad?.zero_();
        }
    }

    /// <summary>Applies one update from the parameters' current gradients.</summary>
    public void Step()
    {
        _step++;
        var stepSize = _learningRate / (1 - Math.Pow(Beta1, _step));
        using var decay = (1 - _learningRate * _weightDecay).ToScalar();
        using var beta1 = Beta1.ToScalar();
        using var oneMinusBeta1 = (1 - Beta1).ToScalar();
        using var beta2 = Beta2.ToScalar();
        using var oneMinusBeta2 = (1 - Beta2).ToScalar();
        using var secondMomentScale = Math.Sqrt(1 - Math.Pow(Beta2, _step)).ToScalar();
        using var epsilon = Epsilon.ToScalar();
        using var negativeStepSize = (-stepSize).ToScalar();
        using var noGrad = no_grad();
        for (var i = 0; i < _parameters.Length; i++)
        {
            using var grad = _parameters[i].grad;
            if (grad is null)
            {
                continue;
            }
            using var scope = NewDisposeScope();
            _parameters[i].mul_(decay);
            _firstMoments[i].mul_(beta1).add_(grad, oneMinusBeta1);
            _secondMoments[i].mul_(beta2).addcmul_(grad, grad, oneMinusBeta2);
            var denominator = _secondMoments[i].sqrt().div_(secondMomentScale).add_(epsilon);
            _parameters[i].addcdiv_(_firstMoments[i], denominator, negativeStepSize);
        }
    }

    public void Dispose()
    {
        foreach (var moment in _firstMoments.Concat(_secondMoments))
        {
            moment.Dispose();
        }
    }
}
