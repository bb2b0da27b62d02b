using System.Text.RegularExpressions;

namespace Sage.MLNet.Tests;

/// <summary>
/// Reads the library's source and checks its architecture: folders are layers, each uses only the layers below it (so no
/// two folders use each other and there are no cycles), the layers never reach back up to the public surface's
/// estimators, transformers and catalogs, and only the tests and the benchmarks see the internals.
/// </summary>
[TestClass]
public sealed partial class LayeringTests
{
    /// <summary>
    /// The library's folders, lowest layer first. A folder may use the folders before it in this list, never one after it:
    /// the root (the public surface) uses them all. A new top-level folder must be placed here, which is the point: where it
    /// sits is a design decision. A subfolder not listed belongs to its nearest listed parent (Featurization/Faces/Detection,
    /// whose namespace is Featurization.Faces, is part of the Featurization/Faces layer).
    /// </summary>
    private static readonly string[] s_layers =
    [
        "IO",                       // atomic files, hashing
        "Media",                    // ffmpeg discovery, probing, decoding
        "Native",                   // loading TorchSharp's native library
        "Data",                     // ML.NET row plumbing and checks, clip plan
        "Data/AffWild2",            // the Aff-Wild2 reader and validator
        "Modeling",                 // TorchSharp modules
        "Evaluation",               // CCC
        "Featurization/Faces",
        "Featurization/Audio",
        "Featurization/Cache",
        "Persistence",              // checkpoints, safe zips, featurizer settings
        "Export",                   // networks -> ONNX -> served model
        "Training",
        "Training/CrossValidation",
        "Synthetic",                // demo and test data, written through the Aff-Wild2 layout
        "Live",                     // a saved model fed one frame at a time
    ];

    [TestMethod]
    public void LibraryFolders_EveryFolder_IsAKnownLayer()
    {
        var folders = SourceFiles().Select(f => f.Folder).Where(f => f.Length > 0).Distinct().Order(StringComparer.Ordinal).ToArray();
        var unknown = SourceFiles().Where(f => f.Directory.Length > 0 && f.Folder.Length == 0).Select(f => f.Directory).Distinct().ToArray();
        Assert.IsEmpty(unknown, $"folders missing from the layer list: {string.Join(", ", unknown)}");
        Assert.IsEmpty(s_layers.Except(folders).ToArray(), "the layer list names a folder that no longer exists");
    }

    [TestMethod]
    public void LibraryFolders_Imports_OnlyGoToLowerLayers()
    {
        var upward = Edges()
            .Where(e => e.From != e.To && Array.IndexOf(s_layers, e.To) > Array.IndexOf(s_layers, e.From))
            .Select(e => $"{e.File} ({e.From}) uses {e.To}")
            .Distinct()
            .ToArray();
        Assert.IsEmpty(upward, "a folder uses a higher layer:\n" + string.Join("\n", upward));
    }

    [TestMethod]
    public void LibraryFolders_ImportGraph_HasNoCycle()
    {
        // Implied by the order above, and checked on its own so a wrong order cannot hide a cycle.
        var graph = Edges().Where(e => e.From != e.To).GroupBy(e => e.From).ToDictionary(g => g.Key, g => g.Select(e => e.To).Distinct().ToArray());
        var state = new Dictionary<string, int>();          // 1 = on the current path, 2 = finished
        var path = new Stack<string>();
        string? cycle = null;

        void Visit(string folder)
        {
            state[folder] = 1;
            path.Push(folder);
            foreach (var next in graph.GetValueOrDefault(folder, []))
            {
                if (cycle is not null)
                {
                    return;
                }
                if (state.GetValueOrDefault(next) == 1)
                {
                    cycle = string.Join(" <- ", path.TakeWhile(f => f != next).Prepend(next).Append(next));
                }
                else if (state.GetValueOrDefault(next) == 0)
                {
                    Visit(next);
                }
            }
            path.Pop();
            state[folder] = 2;
        }

        foreach (var folder in graph.Keys.Order(StringComparer.Ordinal))
        {
            if (state.GetValueOrDefault(folder) == 0)
            {
                Visit(folder);
            }
        }
        Assert.IsNull(cycle, $"folders use each other: {cycle}");
    }

    /// <summary>
    /// The files allowed to name the surface's featurizer (and face extraction) transformers: a saved model's records rebuild
    /// them on load, and the live model drives the loaded ones. Known debt: they should hand back (or take) options and
    /// encoders and let <c>SageModel</c> build the transformers; until then they are listed here, so no other file joins them unnoticed.
    /// </summary>
    private static readonly string[] s_rebuildsTheSurface =
    [
        "Persistence/AudioFeaturizerRecord.cs",
        "Persistence/FaceExtractionRecord.cs",
        "Persistence/FaceFeaturizerRecord.cs",
        "Persistence/FeaturizationSchema.cs",
        "Live/LiveModel.cs",
    ];

    [TestMethod]
    public void LibraryFolders_Code_NeverUsesTheSurfacesEstimatorsTransformersOrCatalogs()
    {
        // The layers may use the surface's vocabulary (options, enums, metrics, reports); the surface's working types
        // (estimators, transformers, catalogs, SageModel, SageFeatureCache) use the layers, never the other way round.
        var surface = SourceFiles().Where(f => f.Directory.Length == 0).Select(f => Path.GetFileNameWithoutExtension(f.Path))
            .Where(name => WorkingType().IsMatch(name))
            .ToArray();
        Assert.IsNotEmpty(surface);
        var uses = SourceFiles()
            .Where(f => f.Directory.Length > 0 && !s_rebuildsTheSurface.Contains(f.Relative))
            .SelectMany(f => surface.Where(type => Regex.IsMatch(Code(f.Path), $@"\b{type}\b")).Select(type => $"{f.Relative} uses {type}"))
            .ToArray();
        Assert.IsEmpty(uses, string.Join("\n", uses));
    }

    [TestMethod]
    public void LibraryProject_Internals_VisibleOnlyToTestsAndBenchmarks()
    {
        var project = File.ReadAllText(Path.Combine(Repository(), "Sage.MLNet", "Sage.MLNet.csproj"));
        var friends = InternalsVisibleTo().Matches(project).Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal).ToArray();
        CollectionAssert.AreEqual(new[] { "Sage.MLNet.Benchmarks", "Sage.MLNet.Tests" }, friends);
    }

    /// <summary>Returns every folder-to-folder use: a using directive or a qualified name of a library namespace in a folder's code.</summary>
    private static IEnumerable<(string File, string From, string To)> Edges()
    {
        foreach (var file in SourceFiles().Where(f => f.Folder.Length > 0))
        {
            foreach (Match match in LibraryNamespace().Matches(Code(file.Path)))
            {
                var folder = FolderOf(match.Groups[1].Value);
                if (folder is not null)
                {
                    yield return (file.Relative, file.Folder, folder);
                }
            }
        }
    }

    /// <summary>Returns the deepest layer that a namespace (or a type in it) names, or null for the root namespace.</summary>
    private static string? FolderOf(string qualifiedName)
    {
        var parts = qualifiedName.Split('.');
        for (var length = parts.Length; length > 0; length--)
        {
            var folder = string.Join('/', parts[..length]);
            if (s_layers.Contains(folder))
            {
                return folder;
            }
        }
        return null;
    }

    /// <summary>Returns the listed layer that holds <paramref name="directory"/> (itself or its nearest listed parent); "" for the root or an unlisted folder.</summary>
    private static string LayerOf(string directory)
    {
        for (var folder = directory; folder.Length > 0; folder = Path.GetDirectoryName(folder)!.Replace('\\', '/'))
        {
            if (s_layers.Contains(folder))
            {
                return folder;
            }
        }
        return "";
    }

    /// <summary>Returns the file's code without comments (XML docs included), so a cref in a doc is not counted as a use.</summary>
    private static string Code(string path) => LineComment().Replace(File.ReadAllText(path), "");

    private static IEnumerable<(string Path, string Relative, string Folder, string Directory)> SourceFiles()
    {
        var library = Path.Combine(Repository(), "Sage.MLNet");
        return Directory.EnumerateFiles(library, "*.cs", SearchOption.AllDirectories)
            .Select(path => (Path: path, Relative: Path.GetRelativePath(library, path).Replace('\\', '/')))
            .Where(f => !f.Relative.StartsWith("obj/", StringComparison.Ordinal) && !f.Relative.StartsWith("bin/", StringComparison.Ordinal)
                && !f.Relative.StartsWith("build/", StringComparison.Ordinal))     // build/ is MSBuild logic for consumers, not library code
            .Select(f => (f.Path, f.Relative, Directory: Path.GetDirectoryName(f.Relative)!.Replace('\\', '/')))
            .Select(f => (f.Path, f.Relative, Folder: LayerOf(f.Directory), f.Directory));
    }

    private static string Repository()
    {
        // This assembly runs from Sage.MLNet.Tests/bin/<config>/<tfm>/.
        var repository = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Parent!.Parent!.Parent!.FullName;
        Assert.IsTrue(File.Exists(Path.Combine(repository, "Sage.MLNet", "Sage.MLNet.csproj")), $"library source not found under {repository}");
        return repository;
    }

    [GeneratedRegex(@"\bSage\.MLNet\.((?:[A-Z]\w*)(?:\.[A-Z]\w*)*)")]
    private static partial Regex LibraryNamespace();

    [GeneratedRegex(@"//.*$", RegexOptions.Multiline)]
    private static partial Regex LineComment();

    [GeneratedRegex(@"(Estimator|Transformer|Catalog)$|^SageModel$|^SageFeatureCache$")]
    private static partial Regex WorkingType();

    [GeneratedRegex(@"<InternalsVisibleTo\s+Include=""([^""]+)""")]
    private static partial Regex InternalsVisibleTo();
}
