namespace CoNdis.Conformance;

/// <summary>Which kind of driver sits on each side of the runtime.</summary>
public enum DriverKind
{
    Native,
    Legacy,
}

/// <summary>A client/miniport pairing; its text (native/legacy…) is what test names carry.</summary>
public sealed record Pairing(DriverKind Client, DriverKind Miniport)
{
    public static Pairing NativeNative { get; } = new(DriverKind.Native, DriverKind.Native);

    public override string ToString() => $"{Client.ToString().ToLowerInvariant()}/{Miniport.ToString().ToLowerInvariant()}";
}
