using System.CommandLine;

namespace Sage.MLNet.Samples.Workflow;

/// <summary>The command-line options that choose the encoders (<c>--face-encoder</c>, <c>--audio-encoder</c> and the face image settings).</summary>
internal sealed class EncoderOptions
{
    private readonly Option<FileInfo> _faceEncoder = new Option<FileInfo>("--face-encoder")
    {
        Description = "ONNX image encoder taking [N,3,H,W], such as the paper's ResNet-50. Default: the packaged ResNet18.",
    }.AcceptExistingOnly();

    private readonly Option<string?> _faceEncoderOutput = new("--face-encoder-output")
    {
        Description = "Output of the face encoder that holds the embedding. Default: its first output.",
    };

    private readonly Option<int> _imageSize = new("--image-size")
    {
        Description = "Side of the square face image the encoder takes, in pixels.",
        DefaultValueFactory = _ => FeaturizerSettings.Default.ImageSize,
    };

    private readonly Option<SageFaceChannelOrder> _channelOrder = new("--face-channel-order")
    {
        Description = "Plane order of the face encoder's input (ignored for the packaged ResNet18).",
        DefaultValueFactory = _ => FeaturizerSettings.Default.ChannelOrder,
    };

    private readonly Option<float> _pixelScale = new("--face-pixel-scale")
    {
        Description = "Factor applied to 0-255 pixel values before normalisation (ignored for the packaged ResNet18).",
        DefaultValueFactory = _ => FeaturizerSettings.Default.PixelScale,
    };

    private readonly Option<float[]> _channelMeans = new("--face-mean")
    {
        Description = "Red, green and blue means subtracted after scaling, ImageNet's by default (ignored for the packaged ResNet18).",
        DefaultValueFactory = _ => FeaturizerSettings.Default.ChannelMeans,
        AllowMultipleArgumentsPerToken = true,
    };

    private readonly Option<float[]> _channelStds = new("--face-std")
    {
        Description = "Red, green and blue standard deviations divided by, ImageNet's by default (ignored for the packaged ResNet18).",
        DefaultValueFactory = _ => FeaturizerSettings.Default.ChannelStds,
        AllowMultipleArgumentsPerToken = true,
    };

    private readonly Option<FileInfo> _audioEncoder = new Option<FileInfo>("--audio-encoder")
    {
        Description = "ONNX audio encoder taking a 16 kHz waveform [1,samples], such as the paper's WavLM-base. Default: log-mel statistics.",
    }.AcceptExistingOnly();

    public EncoderOptions()
    {
        foreach (var option in new[] { _channelMeans, _channelStds })
        {
            option.Validators.Add(result =>
            {
                if (result.GetValueOrDefault<float[]>() is { Length: not 3 } values)
                {
                    result.AddError($"{option.Name} takes three values (red, green, blue), got {values.Length}");
                }
            });
        }
        _imageSize.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
            {
                result.AddError($"{_imageSize.Name} must be at least 1 pixel");
            }
        });
    }

    /// <summary>Adds every encoder option to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(_faceEncoder);
        command.Options.Add(_faceEncoderOutput);
        command.Options.Add(_imageSize);
        command.Options.Add(_channelOrder);
        command.Options.Add(_pixelScale);
        command.Options.Add(_channelMeans);
        command.Options.Add(_channelStds);
        command.Options.Add(_audioEncoder);
    }

    /// <summary>Returns the settings given on the command line, defaults filled in.</summary>
    public FeaturizerSettings Read(ParseResult parse) => new(
        parse.GetValue(_faceEncoder),
        parse.GetValue(_faceEncoderOutput),
        parse.GetValue(_imageSize),
        parse.GetValue(_channelOrder),
        parse.GetValue(_pixelScale),
        parse.GetValue(_channelMeans)!,
        parse.GetValue(_channelStds)!,
        parse.GetValue(_audioEncoder));
}
