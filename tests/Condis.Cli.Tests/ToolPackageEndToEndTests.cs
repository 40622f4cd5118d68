using Xunit;
using static Condis.Cli.Tests.CliProcess;

namespace Condis.Cli.Tests;

/// <summary>The CLI packs as a .NET tool that <c>dotnet tool install</c> installs as the command <c>condis</c>.</summary>
public sealed class ToolPackageEndToEndTests
{
    [Fact]
    public void Packed_tool_installs_as_condis_and_inspects_a_capture()
    {
        string configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        var work = Directory.CreateTempSubdirectory("condis-tool-");
        try
        {
            var packages = Path.Combine(work.FullName, "packages");
            var project = Path.Combine(RepositoryRoot(), "tools", "Condis.Cli", "Condis.Cli.csproj");
            var pack = Run("dotnet", ["pack", project, "-c", configuration, "--no-build", "-o", packages, "-p:NuGetAudit=false"], timeoutMs: 300_000);
            Assert.True(pack.Exit == 0, pack.Stdout + pack.Stderr);
            var package = Path.GetFileNameWithoutExtension(Assert.Single(Directory.GetFiles(packages, "condis.*.nupkg")));
            string version = package["condis.".Length..];

            var tools = Path.Combine(work.FullName, "tools");
            var install = Run("dotnet", ["tool", "install", "--tool-path", tools, "--add-source", packages, "--version", version, "condis"], timeoutMs: 300_000);
            Assert.True(install.Exit == 0, install.Stdout + install.Stderr);
            var condis = Path.Combine(tools, OperatingSystem.IsWindows() ? "condis.exe" : "condis");
            Assert.True(File.Exists(condis), $"no {condis} after install: {install.Stdout}");

            var inspect = Run(condis, ["inspect", "--json", Path.Combine(Captures, "afs.pcap")]);
            Assert.True(inspect.Exit == 0, inspect.Stderr);
            Assert.Contains("\"packetCount\":601", inspect.Stdout, StringComparison.Ordinal);
            Assert.Equal(2, Run(condis, ["inspect", "--nope"]).Exit);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }
}
