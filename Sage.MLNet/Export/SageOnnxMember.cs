using Sage.MLNet.Modeling;

namespace Sage.MLNet.Export;

/// <summary>
/// One network of an exported combination and the weight its valence and arousal outputs get in the
/// combined prediction (<see cref="SageOnnxExporter.Export(IReadOnlyList{SageOnnxMember}, SageOnnxNames)"/>).
/// </summary>
/// <param name="Network">A trained network, in evaluation mode.</param>
/// <param name="ValenceWeight">Factor on this network's predicted valence; the combination sums the weighted members.</param>
/// <param name="ArousalWeight">Factor on this network's predicted arousal.</param>
internal sealed record SageOnnxMember(SageNetwork Network, float ValenceWeight, float ArousalWeight)
{
    /// <summary>Gets whether the member adds anything to the combination: a non-zero weight on either target.</summary>
    public bool Contributes => ValenceWeight != 0 || ArousalWeight != 0;
}
