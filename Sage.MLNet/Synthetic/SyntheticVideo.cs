namespace Sage.MLNet.Synthetic;

/// <summary>One synthetic video file and the one or two people in it; the audio follows the first person.</summary>
/// <param name="Stem">The file name without extension; the people's ids add <c>_left</c>/<c>_right</c> when there are two.</param>
/// <param name="Folder"><c>batch1</c>, <c>batch2</c> or <c>new_vids</c>.</param>
/// <param name="Extension"><c>.mp4</c> or <c>.avi</c>.</param>
/// <param name="People">One person, or the left and the right person of a pair.</param>
/// <param name="Seed">The seed of the video's pixel and audio noise.</param>
internal sealed record SyntheticVideo(string Stem, string Folder, string Extension, IReadOnlyList<SyntheticPerson> People, int Seed)
{
    public int Frames => People[0].Frames;
}
