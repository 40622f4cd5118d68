using CoNdis.LegacyPacket;
using CoNdis.LegacyPacket.CoNdis5;
using CoNdis.NetBufferCore;

namespace CoNdis.TestDrivers.Legacy;

/// <summary>
/// An NDIS 5.x client the test drives by hand (ProtocolCo* handlers and the activation events of a party that
/// activates VCs): it records every send completion with its status and VC context, the status each received packet
/// carried, receive-completes, status indications and activation events, and answers each receive with what
/// <see cref="OnReceive"/> says (0 by default).
/// </summary>
public sealed class LegacyScriptedClient : ILegacyCoClient, ILegacyCoVcEvents
{
    private int _receiveCompletes;

    public List<(NdisStatus Status, object? Vc, NdisPacket Packet)> Completions { get; } = [];

    public List<NdisStatus> StatusSeenAtReceive { get; } = [];

    /// <summary>ProtocolCoReceivePacket's answer for each packet.</summary>
    public Func<NdisPacket, uint> OnReceive { get; set; } = _ => 0;

    public int ReceiveCompletes => Volatile.Read(ref _receiveCompletes);

    public (NdisStatus Status, object? Vc, byte[]? Buffer, uint Size) LastStatus { get; private set; }

    /// <summary>ProtocolCmActivateVcComplete / ProtocolCmDeactivateVcComplete as they arrived ("activated Success …").</summary>
    public List<string> Events { get; } = [];

    public void ProtocolCoSendComplete(NdisStatus status, object? protocolVcContext, NdisPacket packet)
    {
        lock (Completions)
            Completions.Add((status, protocolVcContext, packet));
    }

    public uint ProtocolCoReceivePacket(object? protocolBindingContext, object? protocolVcContext, NdisPacket packet)
    {
        ArgumentNullException.ThrowIfNull(packet);
        lock (StatusSeenAtReceive)
            StatusSeenAtReceive.Add(packet.Status);
        return OnReceive(packet);
    }

    public void ProtocolCoStatus(object? protocolBindingContext, object? protocolVcContext, NdisStatus generalStatus, byte[]? statusBuffer, uint statusBufferSize) =>
        LastStatus = (generalStatus, protocolVcContext, statusBuffer, statusBufferSize);

    public void ProtocolReceiveComplete(object? protocolBindingContext) => Interlocked.Increment(ref _receiveCompletes);

    public void ProtocolCmActivateVcComplete(NdisStatus status, LegacyCoVc ndisVcHandle, object? callParameters) =>
        Events.Add($"activated {status} {callParameters}");

    public void ProtocolCmDeactivateVcComplete(NdisStatus status, LegacyCoVc ndisVcHandle) => Events.Add($"deactivated {status}");
}
