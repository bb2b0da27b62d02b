using Sage.MLNet.Data;
using static Sage.MLNet.Data.OptionsCheck;

namespace Sage.MLNet.Featurization.Audio;

/// <summary>Rejects out-of-range <see cref="SageAudioFeaturizerOptions"/> in the catalog call, naming the option (see <see cref="OptionsCheck"/>).</summary>
internal static class AudioOptionsCheck
{
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="FileNotFoundException"><see cref="SageAudioFeaturizerOptions.EncoderModelPath"/> does not exist.</exception>
    public static void Validate(SageAudioFeaturizerOptions o)
    {
        ColumnName(o.OutputColumnName, nameof(o.OutputColumnName));
        ColumnName(o.VideoFileColumnName, nameof(o.VideoFileColumnName));
        ColumnName(o.FrameCountColumnName, nameof(o.FrameCountColumnName));
        Positive(o.MelBands, nameof(o.MelBands));
        Defined(o.MissingAudio, nameof(o.MissingAudio));
        CacheFolder(o.CacheFolder, nameof(o.CacheFolder));
        Require(o.EncoderModelPath is null || o.EncoderModelPath.Length > 0, o.EncoderModelPath, nameof(o.EncoderModelPath), "must be null (log-mel statistics) or a file");
        if (o.EncoderModelPath is not null && !File.Exists(o.EncoderModelPath))
        {
            throw new FileNotFoundException($"Could not find the audio encoder model '{o.EncoderModelPath}'", o.EncoderModelPath);
        }
    }
}
