using CoNdis.LegacyPacket.CoNdis5;
using CoNdis.NetBufferCore.CoNdis;

namespace CoNdis.Translation.Adapters;

/// <summary>One VC seen from both worlds: the runtime's NBL VC and the 5.x VC the legacy driver uses.</summary>
public sealed class TranslatedVc
{
    internal TranslatedVc(VirtualConnection runtime) => Runtime = runtime;

    internal TranslatedVc(LegacyCoVc legacy) => Legacy = legacy;

    /// <summary>The runtime's VC (NdisVcHandle on the NBL side).</summary>
    public VirtualConnection Runtime { get; internal set; } = null!;

    /// <summary>The 5.x VC (NdisVcHandle on the packet side).</summary>
    public LegacyCoVc Legacy { get; internal set; } = null!;

    /// <summary>Whose call control this VC serves on its 5.x side (none: a data-path VC only).</summary>
    internal CallRole Role { get; set; }

    /// <summary>For a 5.x client's VC: the AF it was created on, whose handlers hear its call events.</summary>
    internal LegacyClientAf? ClientAf { get; set; }

    /// <summary>The runtime VC is gone (deleted): the 5.x side is torn down directly from here on.</summary>
    internal bool Detached { get; set; }

    /// <inheritdoc />
    public override string ToString() => $"{Runtime} ⇄ {Legacy}";
}
