namespace Sage.MLNet.Training;

/// <summary>
/// Reusable host buffers for one batch of clips: features, labels and masks, laid out as the
/// network's [batch, time, ...] tensors.
/// </summary>
internal sealed class ClipBatch
{
    public ClipBatch(int capacity, int length, int visualSize, int audioSize)
    {
        Capacity = capacity;
        Length = length;
        Visual = new float[capacity * length * visualSize];
        Audio = new float[capacity * length * audioSize];
        Labels = new float[capacity * length * 2];
        FrameMask = new float[capacity * length];
        LabelMask = new float[capacity * length];
    }

    public int Capacity { get; }

    public int Length { get; }

    /// <summary>Clips filled so far.</summary>
    public int Count { get; private set; }

    /// <summary>Annotated frames in the filled clips that are not left out for a missing face: frames that count in the loss.</summary>
    public int AnnotatedFrames { get; private set; }

    /// <summary>Real (not padded) frames in the filled clips.</summary>
    public int Frames { get; private set; }

    public float[] Visual { get; }

    public float[] Audio { get; }

    /// <summary>(valence, arousal) per frame.</summary>
    public float[] Labels { get; }

    /// <summary>1 where a frame exists, 0 on padding.</summary>
    public float[] FrameMask { get; }

    /// <summary>1 where a frame exists, both labels are annotated and, when the video has face flags, a face was found.</summary>
    public float[] LabelMask { get; }

    public bool IsFull => Count == Capacity;

    public void Clear()
    {
        Count = 0;
        AnnotatedFrames = 0;
        Frames = 0;
    }

    /// <summary>Copies the clip of <paramref name="video"/> starting at <paramref name="start"/> into the next slot, zero-padded.</summary>
    public void Add(Data.SageVideo video, int start)
    {
        int slot = Count++, dv = Visual.Length / (Capacity * Length), da = Audio.Length / (Capacity * Length);
        var valid = Math.Min(Length, video.Frames - start);
        var padded = Length - valid;
        var offset = slot * Length;
        video.Visual.AsSpan(start * dv, valid * dv).CopyTo(Visual.AsSpan(offset * dv));
        Visual.AsSpan((offset + valid) * dv, padded * dv).Clear();
        video.Audio.AsSpan(start * da, valid * da).CopyTo(Audio.AsSpan(offset * da));
        Audio.AsSpan((offset + valid) * da, padded * da).Clear();
        for (var j = 0; j < Length; j++)
        {
            var k = offset + j;
            var exists = j < valid;
            var valence = exists ? video.Valence![start + j] : SageLabels.NotAnnotated;
            var arousal = exists ? video.Arousal![start + j] : SageLabels.NotAnnotated;
            // The paper leaves frames with failed face detections out of training; they still feed the network.
            var annotated = exists && SageLabels.IsAnnotated(valence, arousal) && (video.FaceFound is null || video.FaceFound[start + j] != 0);
            Labels[2 * k] = annotated ? valence : 0;
            Labels[2 * k + 1] = annotated ? arousal : 0;
            FrameMask[k] = exists ? 1 : 0;
            LabelMask[k] = annotated ? 1 : 0;
            AnnotatedFrames += annotated ? 1 : 0;
        }
        Frames += valid;
    }
}
