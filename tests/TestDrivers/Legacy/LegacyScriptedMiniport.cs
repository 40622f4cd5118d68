using CoNdis.LegacyPacket;
using CoNdis.LegacyPacket.CoNdis5;
using CoNdis.NetBufferCore;

namespace CoNdis.TestDrivers.Legacy;

/// <summary>
/// An NDIS 5.x miniport the test drives by hand (MiniportCo* handlers that do what the test says): it keeps every
/// packet it is sent and every packet returned to it (thread-safe), answers activation and deactivation with what the
/// test set, and has no MiniportCancelSendPackets (see <see cref="CancellingLegacyScriptedMiniport"/>) and no
/// MiniportCoRequest.
/// </summary>
public class LegacyScriptedMiniport : ILegacyCoMiniport
{
    private readonly List<NdisPacket> _sent = [];
    private readonly List<NdisPacket> _returned = [];
    private int _deleted;

    /// <summary>Packets handed to MiniportCoSendPackets, in order.</summary>
    public IReadOnlyList<NdisPacket> Sent
    {
        get { lock (_sent) return [.. _sent]; }
    }

    /// <summary>Packets handed to MiniportReturnPacket, in order.</summary>
    public IReadOnlyList<NdisPacket> Returned
    {
        get { lock (_returned) return [.. _returned]; }
    }

    public NdisStatus ActivateResult { get; set; } = NdisStatus.Success;

    public NdisStatus DeactivateResult { get; set; } = NdisStatus.Success;

    /// <summary>How many times MiniportCoDeleteVc ran.</summary>
    public int Deleted => Volatile.Read(ref _deleted);

    public NdisStatus MiniportCoCreateVc(object? miniportAdapterContext, LegacyCoVc ndisVcHandle, out object? miniportVcContext)
    {
        miniportVcContext = "scripted miniport VC"; // not the VC itself: LegacyCoVc.ToString prints its MiniportVcContext
        return NdisStatus.Success;
    }

    public NdisStatus MiniportCoDeleteVc(object? miniportVcContext)
    {
        Interlocked.Increment(ref _deleted);
        return NdisStatus.Success;
    }

    public NdisStatus MiniportCoActivateVc(object? miniportVcContext, object? callParameters) => ActivateResult;

    public NdisStatus MiniportCoDeactivateVc(object? miniportVcContext) => DeactivateResult;

    public void MiniportCoSendPackets(object? miniportVcContext, NdisPacket[] packetArray, uint numberOfPackets)
    {
        ArgumentNullException.ThrowIfNull(packetArray);
        lock (_sent)
            _sent.AddRange(packetArray.Take((int)numberOfPackets));
    }

    public void MiniportReturnPacket(object? miniportAdapterContext, NdisPacket packet)
    {
        lock (_returned)
            _returned.Add(packet);
    }
}
