using Sage.MLNet.Export;
using Sage.MLNet.Modeling;
using Sage.MLNet.Persistence;

namespace Sage.MLNet.Training.CrossValidation;

/// <summary>Writes the folds that <see cref="FoldWeights"/> uses as one ONNX graph (<see cref="SageOnnxExporter"/>).</summary>
internal static class FoldEnsemble
{
    /// <summary>Rebuilds each contributing fold's network from its checkpoint, exports the weighted combination and disposes the networks.</summary>
    public static byte[] Export(IReadOnlyList<SageCheckpoint> checkpoints, FoldWeights weights, SageOnnxNames names)
    {
        var members = new List<SageOnnxMember>();
        try
        {
            for (var fold = 0; fold < checkpoints.Count; fold++)
            {
                if (weights.Valence[fold] == 0 && weights.Arousal[fold] == 0)
                {
                    continue;
                }
                var network = new SageNetwork(checkpoints[fold].Config);
                members.Add(new SageOnnxMember(network, weights.Valence[fold], weights.Arousal[fold]));
                checkpoints[fold].LoadInto(network);
                network.eval();
            }
            return SageOnnxExporter.Export(members, names);
        }
        finally
        {
            foreach (var member in members)
            {
                member.Network.Dispose();
            }
        }
    }
}
