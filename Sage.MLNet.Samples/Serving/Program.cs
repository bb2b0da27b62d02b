using System.Text.Json;
using Microsoft.ML;

// Usage: Sage.MLNet.Samples.Serving MODEL.zip VIDEOS.json
// VIDEOS.json holds [{"VisualFeatures": [...], "AudioFeatures": [...]}, ...]; the predictions are
// written to standard output as JSON, one object per video. This program references only ML.NET and
// its ONNX transformer: a model trained by Sage.MLNet needs nothing more to predict.
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: Sage.MLNet.Samples.Serving MODEL.zip VIDEOS.json");
    return 2;
}
var ml = new MLContext();
var model = ml.Model.Load(args[0], out _);
var videos = JsonSerializer.Deserialize<VideoFeatures[]>(File.ReadAllText(args[1]))!;
var scored = model.Transform(ml.Data.LoadFromEnumerable(videos));
var predictions = ml.Data.CreateEnumerable<VideoPrediction>(scored, reuseRowObject: false).ToArray();
Console.WriteLine(JsonSerializer.Serialize(predictions));
return 0;

internal sealed class VideoFeatures
{
    public float[] VisualFeatures { get; set; } = [];

    public float[] AudioFeatures { get; set; } = [];
}

internal sealed class VideoPrediction
{
    public float[] PredictedValence { get; set; } = [];

    public float[] PredictedArousal { get; set; } = [];

    public float[] Reliability { get; set; } = [];
}
