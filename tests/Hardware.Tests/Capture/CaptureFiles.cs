using Xunit;

namespace CoNdis.Hardware.Tests.Capture;

/// <summary>Finds the shared capture set: ../shared/captures next to the repository root (the folder with CoNdis.slnx).</summary>
internal static class CaptureFiles
{
    private static readonly Lazy<string> Root = new(FindRepositoryRoot);

    public static string RepositoryRoot => Root.Value;

    public static string Directory => Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "captures"));

    /// <summary>Every capture file (not the manifest), sorted by name.</summary>
    public static IReadOnlyList<string> Names =>
        System.IO.Directory.Exists(Directory)
            ? System.IO.Directory.GetFiles(Directory).Select(Path.GetFileName).Where(n => n is not null && (n.EndsWith(".pcap", StringComparison.Ordinal) || n.EndsWith(".pcapng", StringComparison.Ordinal))).Select(n => n!).Order(StringComparer.Ordinal).ToList()
            : [];

    public static string PathOf(string name) => Path.Combine(Directory, name);

    public static TheoryData<string> All()
    {
        var data = new TheoryData<string>();
        foreach (var name in Names)
            data.Add(name);
        return data;
    }

    private static string SourcePath([System.Runtime.CompilerServices.CallerFilePath] string path = "") => path;

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CoNdis.slnx")))
                return dir.FullName;
        }

        // Built with --artifacts-path outside the tree: fall back to where this source file was compiled from.
        for (var dir = new DirectoryInfo(Path.GetDirectoryName(SourcePath()) ?? "."); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CoNdis.slnx")))
                return dir.FullName;
        }

        throw new InvalidOperationException("cannot find the repository root (CoNdis.slnx) above " + AppContext.BaseDirectory);
    }
}
