using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;

namespace CoNdis.TestDrivers;

/// <summary>
/// An NDIS 6 miniport the test drives by hand (MiniportCo* handlers that do what the test says, rules or not): it
/// keeps every NBL it is sent and every NBL returned to it, so the test can complete, return or misuse them itself.
/// </summary>
public sealed class ScriptedMiniport : ICoMiniport
{
    public List<NetBufferList> Sent { get; } = [];

    public List<NetBufferList> Returned { get; } = [];

    /// <summary>What MiniportCoActivateVc answers (PENDING leaves the activation for the test to finish).</summary>
    public NdisStatus ActivateAnswer { get; set; } = NdisStatus.Success;

    /// <summary>What MiniportCoDeactivateVc answers (PENDING leaves the deactivation for the test to finish).</summary>
    public NdisStatus DeactivateAnswer { get; set; } = NdisStatus.Success;

    /// <summary>Complete each send chain inside the send call instead of keeping it.</summary>
    public bool CompleteInline { get; set; }

    public NdisStatus MiniportCoCreateVc(object? miniportAdapterContext, VirtualConnection ndisVcHandle, out object? miniportVcContext)
    {
        miniportVcContext = ndisVcHandle;
        return NdisStatus.Success;
    }

    public NdisStatus MiniportCoDeleteVc(object? miniportVcContext) => NdisStatus.Success;

    public NdisStatus MiniportCoActivateVc(object? miniportVcContext, CoCallParameters callParameters) => ActivateAnswer;

    public NdisStatus MiniportCoDeactivateVc(object? miniportVcContext) => DeactivateAnswer;

    public void MiniportCoSendNetBufferLists(object? miniportVcContext, NetBufferList netBufferLists, SendFlags sendFlags)
    {
        if (CompleteInline)
        {
            Ndis.MCoSendNetBufferListsComplete((VirtualConnection)miniportVcContext!, netBufferLists, SendCompleteFlags.None);
            return;
        }
        foreach (var nbl in netBufferLists.Chain)
            Sent.Add(nbl);
    }

    public void MiniportReturnNetBufferLists(object? miniportAdapterContext, NetBufferList netBufferLists, ReturnFlags returnFlags)
    {
        foreach (var nbl in netBufferLists.Chain)
            Returned.Add(nbl);
    }
}
