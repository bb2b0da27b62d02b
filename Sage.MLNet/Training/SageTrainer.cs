using System.Diagnostics;
using Microsoft.ML;
using Sage.MLNet.Data;
using Sage.MLNet.Modeling;
using Sage.MLNet.Persistence;
using TorchSharp;
using static TorchSharp.torch;

namespace Sage.MLNet.Training;

/// <summary>
/// Trains a <see cref="SageNetwork"/> on streamed clips with AdamW and the 1 − CCC loss, scores the
/// validation videos after each epoch, keeps the best epoch's weights and stops early.
/// </summary>
internal sealed class SageTrainer
{
    private readonly SageOptions _options;
    private readonly SageNetworkConfig _config;

    public SageTrainer(SageOptions options, SageNetworkConfig config)
    {
        _options = options;
        _config = config;
    }

    /// <summary>Returns the trained network, on the CPU, in evaluation mode.</summary>
    public SageNetwork Train(IDataView trainData)
    {
        using var session = new TorchSession(_options.TrainingThreads);
        var trainReader = new SageVideoReader(trainData, _options, withLabels: true, withFaceFound: true);
        var validationReader = _options.ValidationData is null ? null : new SageVideoReader(_options.ValidationData, _options, withLabels: true);
        var device = TrainingDevice(_options.TrainingDevice);
        manual_seed(_options.Seed);
        var network = new SageNetwork(_config);
        if (_options.InitialCheckpoint is not null)
        {
            SageCheckpoint.Load(_options.InitialCheckpoint, _config).LoadInto(network);
        }
        network.to(device);
        try
        {
            Fit(network, device, session, trainReader, validationReader);
            network.cpu();
            network.eval();
            return network;
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    private void Fit(SageNetwork network, Device device, TorchSession session, SageVideoReader trainReader, SageVideoReader? validationReader)
    {
        // On the CPU with two threads or more, each step runs the two halves of its batch side by side (see BatchGradients).
        var split = device.type == DeviceType.CPU && session.Threads >= 2 && _options.BatchSize >= 2;
        var threadsPerHalf = Math.Max(1, session.Threads / 2);
        using var halves = split ? new PartThreads(2, threadsPerHalf) : null;
        using var gradients = new BatchGradients(network, halves, _options.Seed);
        var random = new Random(_options.Seed);
        var shuffler = new ClipShuffler(_options.ShuffleBufferSize, _config.WindowLength, _config.WindowStride);
        var batch = new ClipBatch(_options.BatchSize, _config.WindowLength, _config.VisualFeatureSize, _config.AudioFeatureSize);
        using var inputs = new BatchTensors(batch, _config.VisualFeatureSize, _config.AudioFeatureSize);
        using var optimizer = new AdamW(network.parameters(), _options.LearningRate, _options.WeightDecay);
        using var best = new BestWeights();
        var clock = Stopwatch.StartNew();
        var epochsWithoutGain = 0;
        for (var epoch = 1; epoch <= _options.MaxEpochs; epoch++)
        {
            var epochClock = Stopwatch.StartNew();
            double lossSum = 0;
            long steps = 0, frames = 0;
            network.train();
            session.UseThreads(split ? threadsPerHalf : null);
            foreach (var clip in shuffler.Shuffle(trainReader.Read(random, streamFeatures: true), random))
            {
                batch.Add(clip.Frames, 0);
                if (batch.IsFull)
                {
                    frames += Step(gradients, halves, optimizer, batch, inputs, device, ref lossSum, ref steps);
                }
            }
            if (batch.Count > 0)
            {
                frames += Step(gradients, halves, optimizer, batch, inputs, device, ref lossSum, ref steps);
            }
            var framesPerSecond = frames / epochClock.Elapsed.TotalSeconds;

            session.UseThreads();
            CccMetrics? validation = null;
            var isBest = true;
            if (validationReader is not null)
            {
                validation = Validate(network, device, validationReader);
                isBest = best.Offer(network, validation.Mean);
                epochsWithoutGain = isBest ? 0 : epochsWithoutGain + 1;
            }
            if (steps == 0)
            {
                throw new InvalidDataException(frames == 0
                    ? "The training data has no rows: SAGE needs at least one video"
                    : _options.FaceFoundColumnName is null
                        ? "The training data has no annotated frames: every valence or arousal label is −5"
                        : $"The training data has no annotated frames with a face: every frame has a valence or arousal label of −5 or 0 in column '{_options.FaceFoundColumnName}'");
            }
            var trainingLoss = lossSum / steps;
            _options.Progress?.Report(new SageTrainingProgress(epoch, _options.MaxEpochs, trainingLoss, validation, isBest, framesPerSecond, clock.Elapsed));
            if (_options.EarlyStoppingPatience > 0 && epochsWithoutGain >= _options.EarlyStoppingPatience)
            {
                break;
            }
        }
        best.Restore(network);
    }

    /// <summary>Parses the device name and checks that this build of TorchSharp can use it.</summary>
    private static Device TrainingDevice(string name)
    {
        if (name.StartsWith("cuda", StringComparison.OrdinalIgnoreCase) && !cuda.is_available())
        {
            throw new InvalidOperationException(
                $"TrainingDevice '{name}' needs a CUDA GPU and TorchSharp's CUDA backend: build with -p:SageTorchBackend=cuda " +
                "(the libtorch-cuda-12.8-linux-x64 package) on a machine with an NVIDIA driver, or train on \"cpu\"");
        }
        try
        {
            return torch.device(name);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentOutOfRangeException(nameof(SageOptions.TrainingDevice), name,
                $"TrainingDevice '{name}' is not a TorchSharp device name such as \"cpu\" or \"cuda:0\": {e.Message}");
        }
    }

    /// <summary>One optimisation step on the filled part of <paramref name="batch"/>; returns the real frames it trained on.</summary>
    private long Step(BatchGradients gradients, PartThreads? halves, AdamW optimizer, ClipBatch batch, BatchTensors inputs, Device device, ref double lossSum, ref long steps)
    {
        _options.CancellationToken.ThrowIfCancellationRequested();
        var frames = batch.Frames;
        if (batch.AnnotatedFrames == 0)
        {
            batch.Clear();        // nothing to learn from: every frame is padding, −5 or without a face
            return frames;
        }
        using (var scope = NewDisposeScope())
        {
            var n = batch.Count;
            var visual = inputs.Visual.Fill(batch.Visual, n, device);
            var audio = inputs.Audio.Fill(batch.Audio, n, device);
            var labels = inputs.Labels.Fill(batch.Labels, n, device);
            var frameMask = inputs.FrameMask.Fill(batch.FrameMask, n, device);
            var labelMask = inputs.LabelMask.Fill(batch.LabelMask, n, device);
            var loss = gradients.Accumulate(visual, audio, frameMask, labels, labelMask);
            optimizer.Step(_options.GradientClipNorm, halves);        // and zeroes the gradients for the next step
            lossSum += loss;
            steps++;
        }
        batch.Clear();
        return frames;
    }

    private static CccMetrics Validate(SageNetwork network, Device device, SageVideoReader reader)
    {
        var result = TorchSession.Score(network, device, reader);
        network.train();
        return result;
    }
}
