using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sage.MLNet.Training;

/// <summary>
/// AdamW (Loshchilov and Hutter): Adam with decoupled weight decay, as PyTorch defines it, after clipping the gradients'
/// total norm as <c>clip_grad_norm_</c> does; optionally with the parameters shared out between the threads of a
/// <see cref="PartThreads"/>.
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
    private const double ClipEpsilon = 1e-6;        // clip_grad_norm_'s guard against a zero norm

    private readonly Parameter[] _parameters;
    private readonly Tensor[] _firstMoments;
    private readonly Tensor[] _secondMoments;
    private readonly double _learningRate;
    private readonly double _weightDecay;
    private int[][] _groups = [];
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

    /// <summary>
    /// Scales the gradients down to a total 2-norm of <paramref name="clipNorm"/> when they exceed it (0 never clips),
    /// applies one update from them, and sets them to zero for the next step.
    /// </summary>
    /// <param name="clipNorm">the largest total norm of the gradients; 0 for no clipping</param>
    /// <param name="threads">threads to share the parameters between, or null to update all on the calling thread</param>
    public void Step(double clipNorm, PartThreads? threads = null)
    {
        var groups = Groups(threads?.Count ?? 1);
        var scale = 1.0;
        if (clipNorm > 0)
        {
            var squares = new double[groups.Length];
            Run(threads, part => squares[part] = SumOfSquares(groups[part]));
            scale = Math.Min(1, clipNorm / (Math.Sqrt(squares.Sum()) + ClipEpsilon));
        }
        _step++;
        var stepSize = _learningRate / (1 - Math.Pow(Beta1, _step));
        using var clip = scale.ToScalar();
        using var decay = (1 - _learningRate * _weightDecay).ToScalar();
        using var beta1 = Beta1.ToScalar();
        using var oneMinusBeta1 = (1 - Beta1).ToScalar();
        using var beta2 = Beta2.ToScalar();
        using var oneMinusBeta2 = (1 - Beta2).ToScalar();
        using var secondMomentScale = Math.Sqrt(1 - Math.Pow(Beta2, _step)).ToScalar();
        using var epsilon = Epsilon.ToScalar();
        using var negativeStepSize = (-stepSize).ToScalar();
        Run(threads, part =>
        {
            using var noGrad = no_grad();
            foreach (var i in groups[part])
            {
                using var grad = _parameters[i].grad;
                if (grad is null)
                {
                    continue;
                }
                using var scope = NewDisposeScope();
                if (scale < 1)
                {
                    grad.mul_(clip);
                }
                _parameters[i].mul_(decay);
                _firstMoments[i].mul_(beta1).add_(grad, oneMinusBeta1);
                _secondMoments[i].mul_(beta2).addcmul_(grad, grad, oneMinusBeta2);
                var denominator = _secondMoments[i].sqrt().div_(secondMomentScale).add_(epsilon);
                _parameters[i].addcdiv_(_firstMoments[i], denominator, negativeStepSize);
                grad.zero_();
            }
        });
    }

    public void Dispose()
    {
        foreach (var moment in _firstMoments.Concat(_secondMoments))
        {
            moment.Dispose();
        }
    }

    private double SumOfSquares(int[] group)
    {
        using var noGrad = no_grad();
        var sum = 0.0;
        foreach (var i in group)
        {
            using var grad = _parameters[i].grad;
            if (grad is not null)
            {
                using var square = grad.square().sum();
                sum += square.item<float>();
            }
        }
        return sum;
    }

    private static void Run(PartThreads? threads, Action<int> action)
    {
        if (threads is null)
        {
            action(0);
        }
        else
        {
            threads.Run(action);
        }
    }

    /// <summary>Returns the parameters' indices shared into <paramref name="parts"/> groups of about equal size, largest first to the smallest group.</summary>
    private int[][] Groups(int parts)
    {
        if (_groups.Length == parts)
        {
            return _groups;
        }
        var groups = Enumerable.Range(0, parts).Select(_ => new List<int>()).ToArray();
        var sizes = new long[parts];
        foreach (var i in Enumerable.Range(0, _parameters.Length).OrderByDescending(i => _parameters[i].numel()).ThenBy(i => i))
        {
            var smallest = Array.IndexOf(sizes, sizes.Min());
            groups[smallest].Add(i);
            sizes[smallest] += _parameters[i].numel();
        }
        _groups = [.. groups.Select(g => g.Order().ToArray())];
        return _groups;
    }
}
