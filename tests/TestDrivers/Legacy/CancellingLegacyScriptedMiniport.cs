using CoNdis.LegacyPacket.CoNdis5;

namespace CoNdis.TestDrivers.Legacy;

/// <summary>A <see cref="LegacyScriptedMiniport"/> with a MiniportCancelSendPackets handler that records each cancel ID it is given.</summary>
public sealed class CancellingLegacyScriptedMiniport : LegacyScriptedMiniport, ILegacyMiniportCancelSendPackets
{
    public List<nint> Cancelled { get; } = [];

    public void MiniportCancelSendPackets(object? miniportAdapterContext, nint cancelId) => Cancelled.Add(cancelId);
}
