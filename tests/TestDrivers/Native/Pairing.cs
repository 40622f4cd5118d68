namespace CoNdis.TestDrivers;

/// <summary>
/// A client/miniport pairing of the conformance matrix (ARCHITECTURE.md, "The 2 × 2 matrix"); its text,
/// <c>client/miniport</c> in lower case ("native/legacy"), is what test names carry.
/// </summary>
public sealed record Pairing(DriverKind Client, DriverKind Miniport)
{
    public static Pairing NativeNative { get; } = new(DriverKind.Native, DriverKind.Native);

    /// <summary>The four pairings, native/native first.</summary>
    public static IReadOnlyList<Pairing> All { get; } =
    [
        NativeNative,
        new(DriverKind.Native, DriverKind.Legacy),
        new(DriverKind.Legacy, DriverKind.Native),
        new(DriverKind.Legacy, DriverKind.Legacy),
    ];

    /// <summary>Reads the text form ("legacy/native"); anything else is an ArgumentException naming the text.</summary>
    public static Pairing Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('/');
        if (parts.Length != 2 || !Enum.TryParse<DriverKind>(parts[0], ignoreCase: true, out var client)
            || !Enum.TryParse<DriverKind>(parts[1], ignoreCase: true, out var miniport))
            throw new ArgumentException($"'{text}' is not a pairing: expected client/miniport, each native or legacy", nameof(text));
        return new Pairing(client, miniport);
    }

    public override string ToString() => $"{Client.ToString().ToLowerInvariant()}/{Miniport.ToString().ToLowerInvariant()}";
}
