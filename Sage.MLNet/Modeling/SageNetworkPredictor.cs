using System.Runtime.InteropServices;
using Sage.MLNet.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Sage.MLNet.Modeling;

/// <summary>
/// Predicts a whole video of any length with a <see cref="SageNetwork"/> in TorchSharp: cuts it into the
/// clips of <see cref="ClipPlan"/>, runs them in batches and averages overlapping clips per frame. A video read as frame
/// ranges is read a clip at a time, so only its per-frame outputs are ever whole.
/// This is the reference the exported ONNX graph must reproduce.
/// </summary>
/// <remarks>
/// The reliability of a frame is the mean of its two modalities' fusion weights, each relative to the clip's
/// average frame (α·N for Reliability-Guided Fusion, N frames in the clip), averaged over the clips that cover it:
/// 1 is an average frame, 2 twice as trusted.
/// </remarks>
internal sealed class SageNetworkPredictor
{
    private readonly SageNetwork _network;
    private readonly Device _device;
    private readonly int _clipsPerBatch;

    public SageNetworkPredictor(SageNetwork network, Device device, int clipsPerBatch = 16)
    {
        _network = network;
        _device = device;
        _clipsPerBatch = clipsPerBatch;
    }

    /// <param name="visual">frames × Dv values, frame-major</param>
    /// <param name="audio">frames × Da values, frame-major</param>
    /// <param name="frames">T ≥ 1</param>
    public SagePrediction Predict(float[] visual, float[] audio, int frames) => Predict(new SageVideo("", frames, visual, audio, null, null));

    /// <summary>Predicts a video whose features come as arrays or, read one clip at a time in ascending order, as frame ranges.</summary>
    public SagePrediction Predict(SageVideo video)
    {
        var frames = video.Frames;
        var config = _network.Config;
        int length = config.WindowLength, dv = config.VisualFeatureSize, da = config.AudioFeatureSize;
        var starts = ClipPlan.Starts(frames, length, config.WindowStride);
        const int Columns = 4;                   // valence, arousal, visual and audio weight per frame
        var sums = new float[frames * Columns];
        var counts = new int[frames];
        _network.eval();
        using var noGrad = no_grad();
        // One set of CPU tensors for the video's batches, written in place and freed when the video is done: no
        // managed arrays of clip size per batch (megabytes per video for the garbage collector's large-object heap).
        var capacity = Math.Min(_clipsPerBatch, starts.Length);
        using var visualTensor = empty([capacity, length, dv]);
        using var audioTensor = empty([capacity, length, da]);
        using var maskTensor = empty([capacity, length]);
        for (var first = 0; first < starts.Length; first += _clipsPerBatch)
        {
            var batch = Math.Min(_clipsPerBatch, starts.Length - first);
            var visualBatch = MemoryMarshal.Cast<byte, float>(visualTensor.bytes);
            var audioBatch = MemoryMarshal.Cast<byte, float>(audioTensor.bytes);
            var maskBatch = MemoryMarshal.Cast<byte, float>(maskTensor.bytes);
            for (var b = 0; b < batch; b++)
            {
                var start = starts[first + b];
                var valid = Math.Min(length, frames - start);
                video.CopyVisual(start, visualBatch.Slice(b * length * dv, valid * dv));
                visualBatch.Slice((b * length + valid) * dv, (length - valid) * dv).Clear();
                video.CopyAudio(start, audioBatch.Slice(b * length * da, valid * da));
                audioBatch.Slice((b * length + valid) * da, (length - valid) * da).Clear();
                maskBatch.Slice(b * length, valid).Fill(1f);
                maskBatch.Slice(b * length + valid, length - valid).Clear();
            }
            using var scope = NewDisposeScope();
            var (prediction, weights) = _network.call(
                visualTensor.narrow(0, 0, batch).to(_device),
                audioTensor.narrow(0, 0, batch).to(_device),
                maskTensor.narrow(0, 0, batch).to(_device));
            var predictions = MemoryMarshal.Cast<byte, float>(prediction.cpu().contiguous().bytes);
            var modalities = MemoryMarshal.Cast<byte, float>(weights.cpu().contiguous().bytes);
            for (var b = 0; b < batch; b++)
            {
                var start = starts[first + b];
                var valid = Math.Min(length, frames - start);
                for (var j = 0; j < valid; j++)
                {
                    var t = start + j;
                    var k = b * length + j;
                    sums[Columns * t] += predictions[2 * k];
                    sums[Columns * t + 1] += predictions[2 * k + 1];
                    sums[Columns * t + 2] += modalities[2 * k];
                    sums[Columns * t + 3] += modalities[2 * k + 1];
                    counts[t]++;
                }
            }
        }
        var valence = new float[frames];
        var arousal = new float[frames];
        var reliability = new float[frames];
        var visualReliability = new float[frames];
        var audioReliability = new float[frames];
        for (var t = 0; t < frames; t++)
        {
            valence[t] = sums[Columns * t] / counts[t];
            arousal[t] = sums[Columns * t + 1] / counts[t];
            visualReliability[t] = sums[Columns * t + 2] / counts[t];
            audioReliability[t] = sums[Columns * t + 3] / counts[t];
            reliability[t] = (visualReliability[t] + audioReliability[t]) / 2;
        }
        return new SagePrediction(valence, arousal, reliability, visualReliability, audioReliability);
    }
}
