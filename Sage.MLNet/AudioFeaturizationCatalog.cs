using Microsoft.ML;
using Sage.MLNet.Featurization.Audio;

namespace Sage.MLNet;

/// <summary>Extension methods that turn a video file's audio track into SAGE's per-frame audio features.</summary>
public static class AudioFeaturizationCatalog
{
    /// <summary>Creates a <see cref="SageAudioFeaturizerEstimator"/> that adds T × Da audio features per row, one Da vector per video frame.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="options">Column names, the encoder and what to do with videos without audio.</param>
    /// <remarks>
    /// <list type="table">
    /// <listheader><term>Column</term><description>Type and meaning</description></listheader>
    /// <item><term>video file (input, default <c>VideoFile</c>)</term><description>Text: path of the video.</description></item>
    /// <item><term>frame count (input, default <c>FrameCount</c>)</term><description>Int32: T, the number of video frames the labels cover.</description></item>
    /// <item><term>output (default <c>AudioFeatures</c>)</term><description>Variable-length vector of Single: T × Da values, frame-major.</description></item>
    /// </list>
    /// <para>
    /// ffmpeg decodes the audio track to 16 kHz mono, streamed through a pipe (no temporary file); ffprobe gives the video
    /// stream's frame rate (avg_frame_rate, else r_frame_rate), so frame t lies at t / fps seconds after the video stream's
    /// start, which is matched against the audio stream's start. T is taken as given: frames past the end of the audio
    /// repeat the features of its end, and audio after frame T − 1 is ignored.
    /// </para>
    /// <para>
    /// The default encoder computes 64 log mel-filterbank energies (natural log of power, floor 1e−10; 0–8 kHz; 25 ms
    /// Hamming windows, 512-point FFT, every 10 ms). Video frame t gets the mean of each band over the mel frames whose
    /// centre lies within half a video frame interval of t / fps, then the standard deviation of each band (population),
    /// so Da = 128: features 0–63 are means and 64–127 are standard deviations. Where no mel frame's centre lies in that
    /// interval (above 100 fps, or beyond the audio), the nearest mel frame is used alone, with standard deviations 0.
    /// </para>
    /// <para>
    /// With <see cref="SageAudioFeaturizerOptions.EncoderModelPath"/>, an ONNX encoder runs over the waveform in 30 s
    /// chunks and its steps (taken to span each chunk evenly) are linearly interpolated to the video frame times; Da is its D.
    /// </para>
    /// <para>
    /// A video without an audio track fails its row with an <see cref="InvalidDataException"/> naming it, or gets T × Da
    /// zeros under <see cref="SageMissingAudioPolicy.Zeros"/>. Memory: one video's waveform (about 3.8 MB per minute) and
    /// features per reading thread. ffmpeg and ffprobe must be installed (Debian: <c>apt-get install -y ffmpeg</c>).
    /// Save the fitted transformer with the model trained on its features through <see cref="SageModel.Save"/>.
    /// </para>
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (an empty column name or cache folder, <see cref="SageAudioFeaturizerOptions.MelBands"/>
    /// below 1, an undefined <see cref="SageAudioFeaturizerOptions.MissingAudio"/>); the parameter name says which.</exception>
    /// <exception cref="FileNotFoundException"><see cref="SageAudioFeaturizerOptions.EncoderModelPath"/> does not exist.</exception>
    public static SageAudioFeaturizerEstimator FeaturizeAudio(this TransformsCatalog catalog, SageAudioFeaturizerOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        // The estimator keeps the copy it validated: changing options later changes nothing.
        var copy = options.Copy();
        AudioOptionsCheck.Validate(copy);
        return new SageAudioFeaturizerEstimator(catalog, copy);
    }

    /// <summary>Creates a <see cref="SageAudioFeaturizerEstimator"/> with the default log-mel encoder (Da = 128).</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="outputColumnName">Output column of audio features, T × Da values.</param>
    /// <param name="videoFileColumnName">Input text column of video paths.</param>
    /// <param name="frameCountColumnName">Input Int32 column of T.</param>
    /// <inheritdoc cref="FeaturizeAudio(TransformsCatalog, SageAudioFeaturizerOptions)" path="/remarks"/>
    /// <inheritdoc cref="FeaturizeAudio(TransformsCatalog, SageAudioFeaturizerOptions)" path="/exception"/>
    public static SageAudioFeaturizerEstimator FeaturizeAudio(this TransformsCatalog catalog,
        string outputColumnName = "AudioFeatures",
        string videoFileColumnName = "VideoFile",
        string frameCountColumnName = "FrameCount") =>
        FeaturizeAudio(catalog, new SageAudioFeaturizerOptions
        {
            OutputColumnName = outputColumnName,
            VideoFileColumnName = videoFileColumnName,
            FrameCountColumnName = frameCountColumnName,
        });
}
