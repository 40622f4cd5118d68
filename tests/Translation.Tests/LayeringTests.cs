using System.Reflection;

namespace CoNdis.Translation.Tests;

/// <summary>ARCHITECTURE.md: dependency arrows only point down the layout table.</summary>
public sealed class LayeringTests
{
    private static string[] References(Assembly assembly) =>
        assembly.GetReferencedAssemblies().Select(a => a.Name!).Where(n => n.StartsWith("CoNdis.", StringComparison.Ordinal)).Order().ToArray();

    [Fact]
    public void NetBufferCore_references_no_other_CoNdis_assembly()
    {
        Assert.Empty(References(typeof(NetBufferCore.NetBufferList).Assembly));
    }

    [Fact]
    public void LegacyPacket_references_only_NetBufferCore()
    {
        var legacy = Assembly.Load("CoNdis.LegacyPacket");
        Assert.All(References(legacy), name => Assert.Equal("CoNdis.NetBufferCore", name));
    }

    [Fact]
    public void Hardware_never_references_Translation()
    {
        var hardware = Assembly.Load("CoNdis.Hardware");
        Assert.DoesNotContain("CoNdis.Translation", References(hardware));
    }

    [Fact]
    public void Translation_sits_above_NetBufferCore_and_LegacyPacket()
    {
        Assert.Equal(TranslationAssembly.Name, typeof(TranslationAssembly).Assembly.GetName().Name);
        Assert.DoesNotContain("CoNdis.Hardware", References(typeof(TranslationAssembly).Assembly));
    }
}
