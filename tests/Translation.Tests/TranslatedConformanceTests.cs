using CoNdis.Conformance;

namespace CoNdis.Translation.Tests;

/// <summary>
/// The CoNDIS conformance suite on all four pairings: native/native, native/legacy (a 5.x miniport under the NBL
/// runtime), legacy/native (a 5.x client over it), legacy/legacy.
/// </summary>
public sealed class TranslatedConformanceTests : CoNdisConformanceSuite;
