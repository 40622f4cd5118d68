using Xunit;

namespace CoNdis.Conformance;

/// <summary>The pairings this test assembly can build: native/native always, the 5.x ones once their factories are registered.</summary>
public static class ConformancePairings
{
    public static TheoryData<string> Available
    {
        get
        {
            var data = new TheoryData<string> { Pairing.NativeNative.ToString() };
            if (LegacyFactories.Miniport is not null)
                data.Add(new Pairing(DriverKind.Native, DriverKind.Legacy).ToString());
            if (LegacyFactories.Client is not null)
                data.Add(new Pairing(DriverKind.Legacy, DriverKind.Native).ToString());
            if (LegacyFactories.Miniport is not null && LegacyFactories.Client is not null)
                data.Add(new Pairing(DriverKind.Legacy, DriverKind.Legacy).ToString());
            return data;
        }
    }
}
