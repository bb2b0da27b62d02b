using Sage.MLNet.Training;
using TorchSharp;
using Parameter = TorchSharp.Modules.Parameter;
using static TorchSharp.torch;

namespace Sage.MLNet.Tests.Training;

/// <summary>The trainer's AdamW with gradient clipping against PyTorch's formulas, on one thread and shared between two.</summary>
[TestClass]
[DoNotParallelize]
public sealed class AdamWTests
{
    private const double LearningRate = 1e-2;
    private const double WeightDecay = 0.05;

    [TestMethod]
    public void Step_TwoStepsWithClipping_MatchesClipGradNormThenPyTorchAdamW()
    {
        using var scope = NewDisposeScope();
        var (parameters, gradients) = Problem();
        var expected = parameters.Select(p => p.detach().clone()).ToArray();
        using var optimizer = new AdamW(parameters, LearningRate, WeightDecay);

        // Step 1 has a total gradient norm far over 1 (clipped), step 2 one under it (not clipped).
        var firstNorm = Norm(gradients);
        var smaller = gradients.Select(g => g * (0.5 / firstNorm)).ToArray();
        Apply(parameters, gradients);
        optimizer.Step(clipNorm: 1);
        Apply(parameters, smaller);
        optimizer.Step(clipNorm: 1);

        var firstMoments = expected.Select(p => zeros_like(p)).ToArray();
        var secondMoments = expected.Select(p => zeros_like(p)).ToArray();
        var clipped = gradients.Select(g => g * (1 / (firstNorm + 1e-6))).ToArray();
        Reference(expected, firstMoments, secondMoments, clipped, step: 1);
        Reference(expected, firstMoments, secondMoments, smaller, step: 2);
        for (var i = 0; i < parameters.Length; i++)
        {
            var worst = (parameters[i].detach() - expected[i]).abs().max().item<float>();
            Assert.IsLessThanOrEqualTo(1e-6f, worst, $"parameter {i}: largest difference {worst:E2}");
            Assert.AreEqual(0f, parameters[i].grad!.abs().max().item<float>(), $"parameter {i}'s gradient is zero after the step");
        }
        Assert.IsGreaterThan(1e-3f, (parameters[0].detach() - Problem().Parameters[0].detach()).abs().max().item<float>(), "the steps moved the parameters");
    }

    [TestMethod]
    public void Step_SharedBetweenTwoThreads_SameParametersAsOnOneThread()
    {
        using var scope = NewDisposeScope();
        var (alone, gradients) = Problem();
        var (shared, _) = Problem();
        using var aloneOptimizer = new AdamW(alone, LearningRate, WeightDecay);
        using var sharedOptimizer = new AdamW(shared, LearningRate, WeightDecay);
        using var threads = new PartThreads(2, intraOpThreads: 1);

        for (var step = 0; step < 3; step++)
        {
            Apply(alone, gradients);
            aloneOptimizer.Step(clipNorm: 1);
            Apply(shared, gradients);
            sharedOptimizer.Step(clipNorm: 1, threads);
        }

        for (var i = 0; i < alone.Length; i++)
        {
            var worst = (alone[i].detach() - shared[i].detach()).abs().max().item<float>();
            Assert.IsLessThanOrEqualTo(1e-7f, worst, $"parameter {i}: largest difference {worst:E2}");
        }
    }

    /// <summary>Three parameters of different sizes (so that two threads get unequal shares) and a gradient for each.</summary>
    private static (Parameter[] Parameters, Tensor[] Gradients) Problem()
    {
        var generator = new Generator(5, CPU);
        long[][] shapes = [[40, 30], [7], [300]];
        var parameters = shapes.Select(s => new Parameter(randn(s, generator: generator))).ToArray();
        var gradients = shapes.Select(s => randn(s, generator: generator) * 3).ToArray();
        return (parameters, gradients);
    }

    /// <summary>Adds <paramref name="gradients"/> to the parameters' gradients through a backward pass.</summary>
    private static void Apply(Parameter[] parameters, Tensor[] gradients)
    {
        var loss = parameters.Zip(gradients, (p, g) => (p * g).sum()).Aggregate((a, b) => a + b);
        loss.backward();
    }

    private static double Norm(Tensor[] tensors) => Math.Sqrt(tensors.Sum(t => (double)t.square().sum().item<float>()));

    /// <summary>PyTorch's AdamW update, written out.</summary>
    private static void Reference(Tensor[] parameters, Tensor[] m, Tensor[] v, Tensor[] gradients, int step)
    {
        const double beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;
        for (var i = 0; i < parameters.Length; i++)
        {
            parameters[i].mul_(1 - LearningRate * WeightDecay);
            m[i] = m[i] * beta1 + gradients[i] * (1 - beta1);
            v[i] = v[i] * beta2 + gradients[i].square() * (1 - beta2);
            var denominator = v[i].sqrt() / Math.Sqrt(1 - Math.Pow(beta2, step)) + epsilon;
            parameters[i].sub_(m[i] / denominator * (LearningRate / (1 - Math.Pow(beta1, step))));
        }
    }
}
