namespace Sage.MLNet.Data.AffWild2;

/// <summary>
/// Finds the folders of an Aff-Wild2 copy below a root, wherever they sit (the top folders of real copies
/// vary: <c>6th_ABAW_Annotations/</c>, <c>videos/</c>, ...), and resolves each video's files.
/// </summary>
internal sealed class AffWild2Layout
{
    /// <summary>How many folders below the root the named folders may sit: <c>root/a/b/c/VA_Set</c> is 4.</summary>
    public const int SearchDepth = 4;

    // Preferred first: the ABAW 5+ name, then the older one.
    private static readonly string[] s_annotationFolderNames = ["VA_Estimation_Challenge", "VA_Set"];
    private static readonly string[] s_faceFolderNames = ["cropped_aligned", "cropped_aligned_new_50_vids"];
    private static readonly string[] s_videoFolderNames = ["batch1", "batch2", "new_vids"];
    private static readonly string[] s_videoExtensions = [".mp4", ".avi"];
    private static readonly string[] s_personSuffixes = ["_left", "_right"];

    // The default options skip hidden entries, which on Unix are dot-files: .git, and the ._video.txt
    // resource forks that copies unpacked from macOS archives carry beside every file.
    private static readonly EnumerationOptions s_visible = new() { IgnoreInaccessible = true };

    private readonly Dictionary<string, List<string>> _found;

    private AffWild2Layout(string root, Dictionary<string, List<string>> found)
    {
        Root = root;
        _found = found;
        FaceFolderRoots = FoundFolders(s_faceFolderNames);
        VideoFolderRoots = FoundFolders(s_videoFolderNames);
    }

    public string Root { get; }

    /// <summary>Every <c>cropped_aligned</c> and <c>cropped_aligned_new_50_vids</c> folder found, in the order they are searched.</summary>
    public IReadOnlyList<string> FaceFolderRoots { get; }

    /// <summary>Every <c>batch1</c>, <c>batch2</c> and <c>new_vids</c> folder found, in the order they are searched.</summary>
    public IReadOnlyList<string> VideoFolderRoots { get; }

    /// <summary>Walks the folders below <paramref name="root"/>, breadth first, up to <see cref="SearchDepth"/> deep.</summary>
    /// <exception cref="DirectoryNotFoundException"><paramref name="root"/> does not exist.</exception>
    public static AffWild2Layout Find(string root)
    {
        var fullRoot = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        if (!Directory.Exists(fullRoot))
        {
            throw new DirectoryNotFoundException($"The Aff-Wild2 root '{fullRoot}' does not exist");
        }
        string[] targets = [.. s_annotationFolderNames, .. s_faceFolderNames, .. s_videoFolderNames, TestVideoList.FolderName];
        var found = targets.ToDictionary(name => name, _ => new List<string>(), StringComparer.OrdinalIgnoreCase);
        var queue = new Queue<(string Path, int Depth)>([(fullRoot, 0)]);
        while (queue.TryDequeue(out var folder))
        {
            var name = Path.GetFileName(folder.Path);
            found.GetValueOrDefault(name)?.Add(folder.Path);
            // Face and video folders hold hundreds of per-video entries and nothing else to find.
            var isLeaf = s_faceFolderNames.Contains(name, StringComparer.OrdinalIgnoreCase)
                || s_videoFolderNames.Contains(name, StringComparer.OrdinalIgnoreCase);
            if (isLeaf || folder.Depth == SearchDepth)
            {
                continue;
            }
            foreach (var child in Directory.EnumerateDirectories(folder.Path, "*", s_visible).Order(StringComparer.Ordinal))
            {
                queue.Enqueue((child, folder.Depth + 1));
            }
        }
        return new AffWild2Layout(fullRoot, found);
    }

    /// <summary>
    /// Returns every place the split's video list could come from, best first: the <c>Train_Set</c> or
    /// <c>Validation_Set</c> folders (new layout before old, shallow before deep), or the test lists.
    /// </summary>
    public IReadOnlyList<string> SplitSources(AffWild2Split split) =>
        split == AffWild2Split.Test
            ? [.. _found[TestVideoList.FolderName].Select(folder => Path.Combine(folder, TestVideoList.FileName)).Where(File.Exists)]
            : [.. FoundFolders(s_annotationFolderNames).Select(folder => Path.Combine(folder, SplitFolderName(split))).Where(Directory.Exists)];

    /// <summary>Returns the split's videos with their files resolved: sorted by name for Train and Validation, in list order for Test.</summary>
    /// <exception cref="DirectoryNotFoundException">No annotation folder for the split lies below the root.</exception>
    /// <exception cref="FileNotFoundException">No test list lies below the root (Test split).</exception>
    /// <exception cref="InvalidDataException">The split's folder or list names no video.</exception>
    public IReadOnlyList<AffWild2Video> Videos(AffWild2Split split)
    {
        var source = SplitSources(split) is [var first, ..] ? first : throw SourceNotFound(split);
        var names = split == AffWild2Split.Test
            ? TestVideoList.Read(source)
            : [.. Directory.EnumerateFiles(source, "*.txt", s_visible).Select(Path.GetFileNameWithoutExtension).OfType<string>().Order(StringComparer.Ordinal)];
        if (names.Count == 0)
        {
            throw new InvalidDataException(split == AffWild2Split.Test
                ? $"The Aff-Wild2 test list '{source}' names no video"
                : $"The Aff-Wild2 annotation folder '{source}' holds no annotation file (<video>.txt)");
        }
        return [.. names.Select(name => new AffWild2Video(
            name,
            split == AffWild2Split.Test ? null : Path.Combine(source, name + ".txt"),
            FaceFolders(name) is [var first, ..] ? first : "",
            VideoFile(name)))];
    }

    /// <summary>Returns every face-crop folder of <paramref name="videoId"/>, in the order <see cref="FaceFolderRoots"/> are searched.</summary>
    public IReadOnlyList<string> FaceFolders(string videoId) =>
        [.. FaceFolderRoots.Select(folder => Path.Combine(folder, videoId)).Where(Directory.Exists)];

    /// <summary>Returns the video file of <paramref name="videoId"/>, or empty when there is none.</summary>
    public string VideoFile(string videoId) =>
        VideoFileNames(videoId)
            .SelectMany(name => VideoFolderRoots.Select(folder => Path.Combine(folder, name)))
            .FirstOrDefault(File.Exists) ?? "";

    /// <summary>
    /// Returns the file names <paramref name="videoId"/>'s video may have: its own name, then, for
    /// <c>&lt;video&gt;_left</c> and <c>&lt;video&gt;_right</c> (two people in one video), the shared <c>&lt;video&gt;</c>.
    /// </summary>
    public static IEnumerable<string> VideoFileNames(string videoId)
    {
        var suffix = s_personSuffixes.FirstOrDefault(s => videoId.EndsWith(s, StringComparison.Ordinal));
        string[] stems = suffix is null ? [videoId] : [videoId, videoId[..^suffix.Length]];
        return stems.SelectMany(stem => s_videoExtensions.Select(extension => stem + extension));
    }

    private static string SplitFolderName(AffWild2Split split) => split == AffWild2Split.Train ? "Train_Set" : "Validation_Set";

    private IReadOnlyList<string> FoundFolders(string[] names) => [.. names.SelectMany(name => _found[name])];

    private IOException SourceNotFound(AffWild2Split split)
    {
        if (split == AffWild2Split.Test)
        {
            var expected = Path.Combine(TestVideoList.FolderName, TestVideoList.FileName);
            return new FileNotFoundException(
                $"Found no Aff-Wild2 test list below '{Root}': looked for {expected} up to {SearchDepth} folders deep", expected);
        }
        var looked = string.Join(" and ", s_annotationFolderNames.Select(name => Path.Combine(name, SplitFolderName(split))));
        return new DirectoryNotFoundException(
            $"Found no Aff-Wild2 annotations for the {split} split below '{Root}': looked for {looked} up to {SearchDepth} folders deep");
    }
}
