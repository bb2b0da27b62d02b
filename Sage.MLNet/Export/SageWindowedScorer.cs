using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Sage.MLNet.Data;

namespace Sage.MLNet.Export;

/// <summary>
/// Serves a SAGE graph through ML.NET's OnnxTransformer one window of clips at a time (<see cref="SageScoringWindows"/>), so
/// scoring memory does not grow with the video's length; the values are those of one run over the whole video, within float rounding.
/// </summary>
/// <remarks>
/// Each window goes to the OnnxTransformer's own row mapper as a one-row video of its own, so ONNX Runtime sees the same
/// graph and the same column bindings as a whole-video run. A row whose features are not whole frames, or whose audio is
/// shorter than its video, is scored in one run, as the graph alone would score it. Saving writes the OnnxTransformer
/// itself: a saved model loads without this library. <see cref="GetRowToRowMapper"/> (ML.NET's PredictionEngine) scores
/// in one run.
/// <para>Given the graph's bytes, the windows run instead through a CPU session of this scorer's own whose memory arena is
/// shrunk after every <see cref="RunsPerShrink"/>-th run (ONNX Runtime's <c>memory.enable_memory_arena_shrinkage</c>). The OnnxTransformer's arena never
/// hands memory back and grows in doublings (a 64 MB step after about 16 windows), so scoring memory still grew with the
/// video; with the arena off instead, glibc kept the freed buffers of every run (C heap held 150 MB with shrinkage, 310 to
/// 350 MB without an arena, scoring a 30,000-frame row).</para>
/// </remarks>
internal sealed class SageWindowedScorer : ITransformer, IDisposable
{
    private readonly ITransformer _onnx;
    private readonly SageScoringWindows _windows;
    private readonly string _visual;
    private readonly string _audio;
    private readonly string[] _outputs;
    private readonly InferenceSession? _session;

    /// <summary>
    /// Runs of the own session between arena shrinks. Shrinking after every window cost about a fifth of serving throughput
    /// (16,647 against 20,998 frames/s every 8th, the first benchmark's served model, 3 rounds, load 4-5); the arena
    /// grows by at most what 8 windows make it (its first 64 MB step came after about 16), so memory stays flat with the
    /// video's length either way.
    /// </summary>
    internal const int RunsPerShrink = 8;

    /// <param name="onnx">The OnnxTransformer serving the graph; this object owns it.</param>
    /// <param name="windows">The graph's clip plan and feature sizes.</param>
    /// <param name="visual">The graph's visual input, a column name.</param>
    /// <param name="audio">The graph's audio input, a column name.</param>
    /// <param name="outputs">The graph's per-frame outputs, column names.</param>
    /// <param name="graph">The serialised graph <paramref name="onnx"/> runs, to score windows on the CPU with an arena shrunk every <see cref="RunsPerShrink"/>-th run; null runs them through <paramref name="onnx"/>.</param>
    public SageWindowedScorer(ITransformer onnx, SageScoringWindows windows, string visual, string audio, IReadOnlyList<string> outputs, byte[]? graph = null)
    {
        _onnx = onnx;
        _windows = windows;
        _visual = visual;
        _audio = audio;
        _outputs = [.. outputs];
        if (graph is not null)
        {
            using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
            _session = new InferenceSession(graph, options);
        }
    }

    /// <summary>Gets whether windows run through a session of this scorer's own, whose memory arena is shrunk every <see cref="RunsPerShrink"/>-th run.</summary>
    public bool HasOwnSession => _session is not null;

    /// <summary>Gets the OnnxTransformer this scorer runs, which scores a whole video in one run.</summary>
    public ITransformer Onnx => _onnx;

    /// <summary>Gets the clip plan and window size this scorer uses.</summary>
    public SageScoringWindows Windows => _windows;

    public bool IsRowToRowMapper => true;

    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => _onnx.GetOutputSchema(inputSchema);

    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => _onnx.GetRowToRowMapper(inputSchema);

    /// <summary>Scores every row lazily, window by window; a bad file's error raised upstream arrives unwrapped from ML.NET's worker exceptions.</summary>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new BadRowErrorDataView(new MappedColumnsView(input, _onnx.GetOutputSchema(input.Schema), [_visual, _audio],
            cursor => new RowScorer(this, cursor)));
    }

    void ICanSaveModel.Save(ModelSaveContext ctx) => ((ICanSaveModel)_onnx).Save(ctx);

    /// <summary>Releases the OnnxTransformer's ONNX Runtime session and this scorer's own.</summary>
    public void Dispose()
    {
        _session?.Dispose();
        (_onnx as IDisposable)?.Dispose();
    }

    /// <summary>Scores the current row of a cursor window by window and keeps the result until the cursor moves.</summary>
    private sealed class RowScorer : IMappedColumns
    {
        private readonly SageWindowedScorer _owner;
        private readonly DataViewRowCursor _source;
        private readonly ValueGetter<VBuffer<float>> _visualGetter;
        private readonly ValueGetter<VBuffer<float>> _audioGetter;
        private readonly WindowRow _window;
        private readonly DataViewRow _mapped;
        private readonly ValueGetter<VBuffer<float>>[] _outputGetters;
        private VBuffer<float> _visualValues;
        private VBuffer<float> _audioValues;
        private VBuffer<float> _scored;
        private VBuffer<float> _visualWindow;
        private VBuffer<float> _audioWindow;
        private float[] _visualInput = [];
        private float[] _audioInput = [];
        private RunOptions? _runOptions;
        private RunOptions? _keepOptions;
        private int _runs;
        private float[][] _result = [];
        private long _position = -1;

        public RowScorer(SageWindowedScorer owner, DataViewRowCursor source)
        {
            _owner = owner;
            _source = source;
            _visualGetter = source.GetGetter<VBuffer<float>>(source.Schema[owner._visual]);
            _audioGetter = source.GetGetter<VBuffer<float>>(source.Schema[owner._audio]);
            var builder = new DataViewSchema.Builder();
            builder.AddColumn(owner._visual, source.Schema[owner._visual].Type);
            builder.AddColumn(owner._audio, source.Schema[owner._audio].Type);
            _window = new WindowRow(builder.ToSchema());
            var mapper = owner._onnx.GetRowToRowMapper(_window.Schema);
            var outputs = owner._outputs.Select(name => mapper.OutputSchema[name]).ToArray();
            _mapped = mapper.GetRow(_window, outputs);
            _outputGetters = [.. outputs.Select(_mapped.GetGetter<VBuffer<float>>)];
        }

        public void Dispose()
        {
            _runOptions?.Dispose();
            _keepOptions?.Dispose();
            _mapped.Dispose();
            _window.Dispose();
        }

        public ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column, int output)
        {
            var index = Array.IndexOf(_owner._outputs, column.Name);
            ValueGetter<VBuffer<float>> getter = (ref VBuffer<float> value) =>
            {
                var values = Score()[index];
                var editor = VBufferEditor.Create(ref value, values.Length);
                values.CopyTo(editor.Values);
                value = editor.Commit();
            };
            return getter as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"Invalid TValue in GetGetter: '{typeof(TValue)}', expected type: '{typeof(VBuffer<float>)}' for column '{column.Name}'");
        }

        public IFrameRangeReader? OpenFrames(int output) => null;

        /// <summary>Returns the outputs of the cursor's current row, each T values, scoring it on first use.</summary>
        public float[][] Score()
        {
            if (_position == _source.Position)
            {
                return _result;
            }
            _visualGetter(ref _visualValues);
            _audioGetter(ref _audioValues);
            var windows = _owner._windows;
            var frames = _visualValues.Length / windows.VisualFeatureSize;
            var whole = !_visualValues.IsDense || !_audioValues.IsDense
                || _visualValues.Length % windows.VisualFeatureSize != 0
                || _audioValues.Length / windows.AudioFeatureSize < frames;
            var ranges = whole ? [(0, frames)] : windows.Ranges(frames);
            _result = whole || (ranges.Count == 1 && _owner._session is null) ? ScoreWhole() : ScoreWindows(ranges, frames);
            _position = _source.Position;
            return _result;
        }

        private float[][] ScoreWhole()
        {
            _window.Set(_visualValues, _audioValues);
            return [.. _outputGetters.Select(getter =>
            {
                getter(ref _scored);
                return _scored.DenseValues().ToArray();
            })];
        }

        /// <summary>Copies values[start..start+length] into <paramref name="buffer"/>, reusing its array: windows are large-object-heap sized.</summary>
        private static VBuffer<float> Slice(ReadOnlySpan<float> values, int start, int length, ref VBuffer<float> buffer)
        {
            var editor = VBufferEditor.Create(ref buffer, length);
            values.Slice(start, length).CopyTo(editor.Values);
            buffer = editor.Commit();
            return buffer;
        }

        /// <summary>Runs the scorer's own session on one window, copied into input arrays this row scorer reuses; the caller disposes the outputs.</summary>
        private IDisposableReadOnlyCollection<OrtValue> Run(InferenceSession session, ReadOnlySpan<float> visual, ReadOnlySpan<float> audio, int frames)
        {
            var (dv, da) = (_owner._windows.VisualFeatureSize, _owner._windows.AudioFeatureSize);
            if (_visualInput.Length < visual.Length)
            {
                _visualInput = new float[visual.Length];
            }
            if (_audioInput.Length < audio.Length)
            {
                _audioInput = new float[audio.Length];
            }
            visual.CopyTo(_visualInput);
            audio.CopyTo(_audioInput);
            if (_runOptions is null)
            {
                _runOptions = new RunOptions();
                _runOptions.AddRunConfigEntry("memory.enable_memory_arena_shrinkage", "cpu:0");     // hand the arena's growth back every RunsPerShrink-th window
                _keepOptions = new RunOptions();
            }
            var shrink = ++_runs % RunsPerShrink == 0;
            using var v = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _visualInput.AsMemory(0, visual.Length), [1, frames, dv]);
            using var a = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _audioInput.AsMemory(0, audio.Length), [1, frames, da]);
            return session.Run(shrink ? _runOptions : _keepOptions!, [_owner._visual, _owner._audio], [v, a], _owner._outputs);
        }

        private static void Accumulate(ReadOnlySpan<float> values, double[] sums, int start, int length, int[] coverage)
        {
            for (var j = 0; j < length; j++)
            {
                sums[start + j] += (double)values[j] * coverage[j];
            }
        }

        /// <summary>Per frame, Σ over windows of (window mean × the window's clips covering the frame) / Σ of those counts.</summary>
        private float[][] ScoreWindows(IReadOnlyList<(int Start, int End)> ranges, int frames)
        {
            var windows = _owner._windows;
            var (dv, da) = (windows.VisualFeatureSize, windows.AudioFeatureSize);
            var sums = _outputGetters.Select(_ => new double[frames]).ToArray();
            var counts = new int[frames];
            var visual = _visualValues.GetValues();
            var audio = _audioValues.GetValues();
            foreach (var (start, end) in ranges)
            {
                var length = end - start;
                var coverage = windows.Coverage(length);
                if (_owner._session is { } session)
                {
                    using var results = Run(session, visual.Slice(start * dv, length * dv), audio.Slice(start * da, length * da), length);
                    for (var k = 0; k < _outputGetters.Length; k++)
                    {
                        Accumulate(results[k].GetTensorDataAsSpan<float>(), sums[k], start, length, coverage);
                    }
                }
                else
                {
                    _window.Set(Slice(visual, start * dv, length * dv, ref _visualWindow), Slice(audio, start * da, length * da, ref _audioWindow));
                    for (var k = 0; k < _outputGetters.Length; k++)
                    {
                        _outputGetters[k](ref _scored);
                        Accumulate(_scored.GetValues(), sums[k], start, length, coverage);
                    }
                }
                for (var j = 0; j < length; j++)
                {
                    counts[start + j] += coverage[j];
                }
            }
            return [.. sums.Select(sum =>
            {
                var means = new float[frames];
                for (var t = 0; t < frames; t++)
                {
                    means[t] = (float)(sum[t] / counts[t]);
                }
                return means;
            })];
        }
    }

    /// <summary>One window as a row of its own: the OnnxTransformer's mapper reads it, and runs again whenever its position moves.</summary>
    private sealed class WindowRow(DataViewSchema schema) : DataViewRow
    {
        private VBuffer<float> _visual;
        private VBuffer<float> _audio;
        private long _position = -1;

        public override DataViewSchema Schema => schema;

        public override long Position => _position;

        public override long Batch => 0;

        public void Set(VBuffer<float> visual, VBuffer<float> audio)
        {
            (_visual, _audio) = (visual, audio);
            _position++;
        }

        public override bool IsColumnActive(DataViewSchema.Column column) => true;

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            ValueGetter<VBuffer<float>> getter = column.Index == 0
                ? (ref VBuffer<float> value) => _visual.CopyTo(ref value)
                : (ref VBuffer<float> value) => _audio.CopyTo(ref value);
            return (ValueGetter<TValue>)(Delegate)getter;
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = new DataViewRowId((ulong)_position, 0);
    }
}
