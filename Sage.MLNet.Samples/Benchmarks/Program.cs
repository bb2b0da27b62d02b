using System.CommandLine;
using Sage.MLNet.Samples.Benchmarks;

// Bare, it measures training and inference of the default network; `featurization` measures the face and audio
// featurisers and the feature cache; `full-size` the paper-sized network; `video` raw video to valence-arousal end to
// end; `live` a live stream; `live-serve` the same stream through serve's /live WebSocket; `live-agreement` live against offline by lookahead; `fusion` each fusion variant against
// the default; `peer` training against the same network in PyTorch. Numbers only: nothing here asserts.
var root = new RootCommand("Sage.MLNet benchmarks: speed and memory of training, inference and featurisation.");
TrainingBenchmark.AddTo(root);
root.Subcommands.Add(FeaturizationBenchmark.Create());
root.Subcommands.Add(FullSizeBenchmark.Create());
root.Subcommands.Add(LiveBenchmark.Create());
root.Subcommands.Add(LiveAgreementBenchmark.Create());
root.Subcommands.Add(LiveServeBenchmark.Create());
root.Subcommands.Add(VideoBenchmark.Create());
root.Subcommands.Add(FusionBenchmark.Create());
root.Subcommands.Add(PeerBenchmark.Create());
return root.Parse(args).Invoke();
