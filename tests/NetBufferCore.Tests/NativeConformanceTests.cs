using CoNdis.Conformance;

namespace CoNdis.NetBufferCore.Tests;

/// <summary>The conformance suite on the native client over the native miniport (the only pairing without translation).</summary>
public sealed class NativeConformanceTests : CoNdisConformanceSuite;
