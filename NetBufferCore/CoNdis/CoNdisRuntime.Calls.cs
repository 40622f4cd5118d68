using CoNdis.NetBufferCore.Verifier;

namespace CoNdis.NetBufferCore.CoNdis;

public sealed partial class CoNdisRuntime
{
    /// <summary>
    /// NdisCoCreateVc. A client creating a VC on its open AF reaches the call manager's ProtocolCoCreateVc and the
    /// miniport's CoCreateVc (only the MCM's, with an integrated call manager); a call manager creating one
    /// for an incoming call (passing the client's AF handle) reaches the client's ProtocolCoCreateVc and the miniport;
    /// a call manager's own VC (no AF) reaches only the miniport. All are synchronous: a PENDING answer is a
    /// failure and the VC is undone.
    /// </summary>
    public NdisStatus CoCreateVc(CoBinding ndisBindingHandle, CoAfHandle? ndisAfHandle, object? protocolVcContext, out VirtualConnection? ndisVcHandle)
    {
        ArgumentNullException.ThrowIfNull(ndisBindingHandle);
        ndisVcHandle = null;
        var adapter = ndisBindingHandle.Adapter;
        var vc = new VirtualConnection(adapter, NextVcId()) { AddressFamily = ndisAfHandle };
        if (ndisAfHandle is not null && ndisAfHandle.ClientBinding == ndisBindingHandle)
        {
            RequireOpen(ndisAfHandle, "NdisCoCreateVc");
            var registered = ndisAfHandle.Registered;
            vc.Client = ndisBindingHandle.Client;
            vc.ClientContext = protocolVcContext;
            vc.CallManager = registered.CallManager;
            vc.IsIntegratedCallManager = registered.IsIntegrated;
            SetDataProtocol(vc, ndisBindingHandle, protocolVcContext);
            var status = Synchronous(registered.CallManager.ProtocolCoCreateVc(ndisAfHandle.CmAfContext, vc, out var cmContext));
            if (status != NdisStatus.Success)
                return status;
            vc.CmContext = cmContext;
            if (registered.IsIntegrated)
            {
                vc.MiniportContext = cmContext;
            }
            else if ((status = CreateOnMiniport(vc)) != NdisStatus.Success)
            {
                registered.CallManager.ProtocolCoDeleteVc(cmContext);
                return status;
            }
        }
        else
        {
            var callManager = ndisBindingHandle.CallManager;
            vc.CreatedByCallManager = true;
            vc.CallManager = callManager;
            vc.CmContext = protocolVcContext;
            if (ndisAfHandle is null)
            {
                SetDataProtocol(vc, ndisBindingHandle, protocolVcContext);
            }
            else
            {
                RequireOpen(ndisAfHandle, "NdisCoCreateVc");
                var status = CreateOnClient(vc, ndisAfHandle);
                if (status != NdisStatus.Success)
                    return status;
            }
            var created = CreateOnMiniport(vc);
            if (created != NdisStatus.Success)
            {
                vc.Client?.ProtocolCoDeleteVc(vc.ClientContext);
                return created;
            }
        }
        return Created(vc, out ndisVcHandle);
    }

    /// <summary>NdisMCmCreateVc: an MCM creates a VC for an incoming call; only the client's ProtocolCoCreateVc runs.</summary>
    public NdisStatus MCmCreateVc(CoMiniportAdapter miniportAdapterHandle, CoAfHandle ndisAfHandle, object? miniportVcContext, out VirtualConnection? ndisVcHandle)
    {
        ArgumentNullException.ThrowIfNull(miniportAdapterHandle);
        ArgumentNullException.ThrowIfNull(ndisAfHandle);
        RequireOpen(ndisAfHandle, "NdisMCmCreateVc");
        ndisVcHandle = null;
        var vc = new VirtualConnection(miniportAdapterHandle, NextVcId())
        {
            AddressFamily = ndisAfHandle,
            CreatedByCallManager = true,
            IsIntegratedCallManager = true,
            CallManager = ndisAfHandle.Registered.CallManager,
            CmContext = miniportVcContext,
            MiniportContext = miniportVcContext,
        };
        var status = CreateOnClient(vc, ndisAfHandle);
        return status != NdisStatus.Success ? status : Created(vc, out ndisVcHandle);
    }

    /// <summary>
    /// NdisCoDeleteVc (and NdisMCmDeleteVc): only with no call on the VC and the VC deactivated. An active VC
    /// answers NOT_ACCEPTED, one still deactivating CLOSING (the DDI's documented refusals). Sends or receives
    /// still outstanding are a leak finding.
    /// </summary>
    public NdisStatus CoDeleteVc(VirtualConnection ndisVcHandle)
    {
        ArgumentNullException.ThrowIfNull(ndisVcHandle);
        var vc = ndisVcHandle;
        lock (vc.Sync)
        {
            if (vc.State == VcState.Deleted)
                throw new CoNdisStateException($"NdisCoDeleteVc on {vc}, which is already deleted.");
            if (vc.Activation == ActivationState.Deactivating)
                return NdisStatus.Closing;
            if (vc.Activation != ActivationState.Inactive || vc.State != VcState.Created)
                return NdisStatus.NotAccepted;
            if (vc.OutstandingSends > 0 || vc.OutstandingReceives > 0)
                Verifier.Report(VerifierRule.LeakAtVcDelete,
                    $"{vc} deleted with {vc.OutstandingSends} send(s) and {vc.OutstandingReceives} receive(s) outstanding", vc);
            Move(vc, VcAction.Delete, "NdisCoDeleteVc");
        }
        if (!vc.IsIntegratedCallManager)
            vc.Adapter.Miniport.MiniportCoDeleteVc(vc.MiniportContext);
        if (vc.CreatedByCallManager)
            vc.Client?.ProtocolCoDeleteVc(vc.ClientContext);
        else
            vc.CallManager?.ProtocolCoDeleteVc(vc.CmContext);
        if (vc.AddressFamily is not null)
            Interlocked.Decrement(ref vc.AddressFamily.OpenVcs);
        CoNdisLog.VcDeleted(Logger, vc);
        return NdisStatus.Success;
    }

    /// <summary>
    /// NdisCmActivateVc / NdisMCmActivateVc: activates (or, on an active VC, reactivates with new parameters)
    /// through MiniportCoActivateVc; an MCM's activation needs no miniport call. A pended activation finishes
    /// with <see cref="MCoActivateVcComplete"/>, which calls the CM's ProtocolCmActivateVcComplete. A failed
    /// reactivation leaves the VC active with its previous parameters.
    /// </summary>
    public NdisStatus CmActivateVc(VirtualConnection ndisVcHandle, CoCallParameters callParameters)
    {
        ArgumentNullException.ThrowIfNull(ndisVcHandle);
        ArgumentNullException.ThrowIfNull(callParameters);
        var vc = ndisVcHandle;
        lock (vc.Sync)
        {
            if (vc.State is VcState.Deleted or VcState.Closing || vc.Activation is ActivationState.Activating or ActivationState.Deactivating)
                throw new CoNdisStateException($"NdisCmActivateVc is not allowed on {vc} in state {vc.State} with activation {vc.Activation}.");
            vc.ActivationBeforePending = vc.Activation;
            vc.PendingActivationParameters = callParameters;
            vc.Activation = ActivationState.Activating;
        }
        var status = vc.IsIntegratedCallManager ? NdisStatus.Success : vc.Adapter.Miniport.MiniportCoActivateVc(vc.MiniportContext, callParameters);
        if (status != NdisStatus.Pending)
            FinishActivation(vc, status, notifyCallManager: false);
        return status;
    }

    /// <summary>NdisMCoActivateVcComplete: the miniport finished a pended activation.</summary>
    public void MCoActivateVcComplete(NdisStatus status, VirtualConnection ndisVcHandle, CoCallParameters callParameters)
    {
        ArgumentNullException.ThrowIfNull(ndisVcHandle);
        if (ndisVcHandle.Activation != ActivationState.Activating)
            throw new CoNdisStateException($"NdisMCoActivateVcComplete on {ndisVcHandle}, which has no activation pending ({ndisVcHandle.Activation}).");
        _ = callParameters;
        FinishActivation(ndisVcHandle, status, notifyCallManager: true);
    }

    /// <summary>
    /// NdisCmDeactivateVc / NdisMCmDeactivateVc: through MiniportCoDeactivateVc, which must first complete every
    /// send and get back every receive on the VC. A pended deactivation finishes with
    /// <see cref="MCoDeactivateVcComplete"/>. If the miniport says it is done while transfers are still out,
    /// that is a finding and the runtime holds the completion until they drain (so a close never completes early).
    /// </summary>
    public NdisStatus CmDeactivateVc(VirtualConnection ndisVcHandle)
    {
        ArgumentNullException.ThrowIfNull(ndisVcHandle);
        var vc = ndisVcHandle;
        lock (vc.Sync)
        {
            if (vc.Activation != ActivationState.Active)
                throw new CoNdisStateException($"NdisCmDeactivateVc on {vc}, which is {vc.Activation}, not Active.");
            vc.Activation = ActivationState.Deactivating;
        }
        CoNdisLog.VcActivation(Logger, vc, ActivationState.Deactivating, NdisStatus.Pending);
        var status = vc.IsIntegratedCallManager ? NdisStatus.Success : vc.Adapter.Miniport.MiniportCoDeactivateVc(vc.MiniportContext);
        return status == NdisStatus.Pending ? status : FinishDeactivation(vc, status, notifyCallManager: false);
    }

    /// <summary>NdisMCoDeactivateVcComplete: the miniport finished a pended deactivation.</summary>
    public void MCoDeactivateVcComplete(NdisStatus status, VirtualConnection ndisVcHandle)
    {
        ArgumentNullException.ThrowIfNull(ndisVcHandle);
        if (ndisVcHandle.Activation != ActivationState.Deactivating)
            throw new CoNdisStateException($"NdisMCoDeactivateVcComplete on {ndisVcHandle}, which has no deactivation pending ({ndisVcHandle.Activation}).");
        FinishDeactivation(ndisVcHandle, status, notifyCallManager: true);
    }

    /// <summary>
    /// NdisClMakeCall: an outgoing call on a client-created VC (reusable after a successful close, as
    /// ProtocolClCloseCallComplete has it and NdisClCloseCall denies: the model's choice, docs/model-choices.md).
    /// A <paramref name="protocolPartyContext"/> makes it point-to-multipoint. When the call manager
    /// answers synchronously its status is returned here; a pended call completes with ProtocolClMakeCallComplete.
    /// </summary>
    public NdisStatus ClMakeCall(VirtualConnection ndisVcHandle, CoCallParameters callParameters, object? protocolPartyContext, out CoParty? ndisPartyHandle)
    {
        ArgumentNullException.ThrowIfNull(ndisVcHandle);
        ArgumentNullException.ThrowIfNull(callParameters);
        var vc = ndisVcHandle;
        CoParty? party = null;
        lock (vc.Sync)
        {
            if (vc.CreatedByCallManager)
                throw new CoNdisStateException($"NdisClMakeCall on {vc}, which a call manager created; only a client's own VC carries its outgoing call.");
            Move(vc, VcAction.MakeCall, "NdisClMakeCall");
            vc.CallClosed = false; // a new call: sends before it connects are sends on an unconnected VC again
            if (protocolPartyContext is not null)
            {
                party = new CoParty(vc, protocolPartyContext);
                vc.PartyList.Add(party);
            }
        }
        ndisPartyHandle = party;
        var status = vc.CallManager!.ProtocolCmMakeCall(vc.CmContext, callParameters, party, out var cmPartyContext);
        if (party is not null)
            party.CmPartyContext = cmPartyContext;
        if (status != NdisStatus.Pending)
            FinishMakeCall(vc, status, party, callParameters, notifyClient: false);
        return status;
    }

    /// <summary>NdisCmMakeCallComplete / NdisMCmMakeCallComplete: SUCCESS only once the VC is active.</summary>
    public void CmMakeCallComplete(NdisStatus status, VirtualConnection ndisVcHandle, CoParty? ndisPartyHandle, object? callMgrPartyContext, CoCallParameters callParameters)
    {
        ArgumentNullException.ThrowIfNull(ndisVcHandle);
        if (ndisPartyHandle is not null && callMgrPartyContext is not null)
            ndisPartyHandle.CmPartyContext = callMgrPartyContext;
        FinishMakeCall(ndisVcHandle, status, ndisPartyHandle, callParameters, notifyClient: true);
    }

    /// <summary>
    /// NdisCmDispatchIncomingCall / NdisMCmDispatchIncomingCall: offers a call on a CM-created VC to the client
    /// that registered <paramref name="ndisSapHandle"/>. The client accepts (SUCCESS), rejects, or pends and
    /// answers with ClIncomingCallComplete (which reaches the CM's ProtocolCmIncomingCallComplete).
    /// </summary>
    public NdisStatus CmDispatchIncomingCall(CoSapHandle ndisSapHandle, VirtualConnection ndisVcHandle, CoCallParameters callParameters)
    {
        ArgumentNullException.ThrowIfNull(ndisSapHandle);
        ArgumentNullException.ThrowIfNull(ndisVcHandle);
        var vc = ndisVcHandle;
        if (!ndisSapHandle.IsRegistered)
            throw new CoNdisStateException($"NdisCmDispatchIncomingCall to {ndisSapHandle}, which is not registered.");
        lock (vc.Sync)
        {
            if (!vc.CreatedByCallManager || vc.Client is null)
                throw new CoNdisStateException($"NdisCmDispatchIncomingCall on {vc}: an incoming call needs a VC the call manager created on the client's AF.");
            Move(vc, VcAction.DispatchIncomingCall, "NdisCmDispatchIncomingCall");
            vc.CallClosed = false;
            vc.IncomingSap = ndisSapHandle;
        }
        var status = vc.Client.ProtocolClIncomingCall(ndisSapHandle.ClientSapContext, vc.ClientContext, callParameters);
        if (status != NdisStatus.Pending)
            FinishIncomingCall(vc, status, callParameters, notifyCallManager: false);
        return status;
    }

    /// <summary>NdisClIncomingCallComplete: the client's pended answer to an incoming call.</summary>
    public void ClIncomingCallComplete(NdisStatus status, VirtualConnection ndisVcHandle, CoCallParameters callParameters)
    {
        ArgumentNullException.ThrowIfNull(ndisVcHandle);
        FinishIncomingCall(ndisVcHandle, status, callParameters, notifyCallManager: true);
    }

    /// <summary>
    /// NdisCmDispatchCallConnected / NdisMCmDispatchCallConnected: the accepted call is up. The VC must be
    /// active by now (the pages activate it before the dispatch or after acceptance; requiring it here is the model's
    /// choice, docs/model-choices.md); data may flow from here on.
    /// </summary>
    public void CmDispatchCallConnected(VirtualConnection ndisVcHandle)
    {
        ArgumentNullException.ThrowIfNull(ndisVcHandle);
        var vc = ndisVcHandle;
        lock (vc.Sync)
        {
            if (vc.Activation != ActivationState.Active)
                throw new CoNdisStateException($"NdisCmDispatchCallConnected on {vc}, which is {vc.Activation}: activate the VC before the call is connected.");
            Move(vc, VcAction.CallConnected, "NdisCmDispatchCallConnected");
        }
        vc.Client!.ProtocolClCallConnected(vc.ClientContext);
    }

    /// <summary>
    /// NdisClCloseCall: the VC stops taking sends at once; the CM signals, deactivates the VC (which drains it)
    /// and completes. A multipoint call must be down to its last party.
    /// </summary>
    public NdisStatus ClCloseCall(VirtualConnection ndisVcHandle, CoParty? ndisPartyHandle, ReadOnlyMemory<byte> buffer)
    {
        ArgumentNullException.ThrowIfNull(ndisVcHandle);
        var vc = ndisVcHandle;
        lock (vc.Sync)
        {
            int parties = vc.PartyList.Count(p => p.IsConnected);
            if (parties > 1)
                throw new CoNdisStateException($"NdisClCloseCall on {vc} with {parties} parties: drop all but the last party first.");
            Move(vc, VcAction.CloseCall, "NdisClCloseCall");
            vc.CallClosed = true; // until the next call on this VC, a send is a send after close
        }
        var status = vc.CallManager!.ProtocolCmCloseCall(vc.CmContext, ndisPartyHandle?.CmPartyContext, buffer);
        if (status != NdisStatus.Pending)
            FinishCloseCall(vc, status, ndisPartyHandle, notifyClient: false);
        return status;
    }

    /// <summary>
    /// NdisCmCloseCallComplete / NdisMCmCloseCallComplete. SUCCESS means "closed and deactivated"
    /// (PROTOCOL_CL_CLOSE_CALL_COMPLETE; the DDI order, docs/model-choices.md): the VC is deactivated already,
    /// which also means every send on it has completed and every receive come back.
    /// </summary>
    public void CmCloseCallComplete(NdisStatus status, VirtualConnection ndisVcHandle, CoParty? ndisPartyHandle)
    {
        ArgumentNullException.ThrowIfNull(ndisVcHandle);
        FinishCloseCall(ndisVcHandle, status, ndisPartyHandle, notifyClient: true);
    }

    /// <summary>NdisCmDispatchIncomingCloseCall / NdisMCm form: the remote closed; the client may not send any more and must close.</summary>
    public void CmDispatchIncomingCloseCall(NdisStatus closeStatus, VirtualConnection ndisVcHandle, ReadOnlyMemory<byte> buffer)
    {
        ArgumentNullException.ThrowIfNull(ndisVcHandle);
        var vc = ndisVcHandle;
        lock (vc.Sync)
            Move(vc, VcAction.IncomingCloseCall, "NdisCmDispatchIncomingCloseCall");
        vc.Client!.ProtocolClIncomingCloseCall(closeStatus, vc.ClientContext, buffer);
    }

    /// <summary>NdisClAddParty: adds a party to a connected point-to-multipoint call.</summary>
    public NdisStatus ClAddParty(VirtualConnection ndisVcHandle, object? protocolPartyContext, CoCallParameters callParameters, out CoParty ndisPartyHandle)
    {
        ArgumentNullException.ThrowIfNull(ndisVcHandle);
        var vc = ndisVcHandle;
        var party = new CoParty(vc, protocolPartyContext);
        lock (vc.Sync)
        {
            if (vc.State != VcState.Connected || vc.PartyList.Count == 0)
                throw new CoNdisStateException($"NdisClAddParty on {vc}: parties join only a connected call made with a party context (state {vc.State}).");
            vc.PartyList.Add(party);
        }
        ndisPartyHandle = party;
        var status = vc.CallManager!.ProtocolCmAddParty(vc.CmContext, callParameters, party, out var cmPartyContext);
        party.CmPartyContext = cmPartyContext;
        if (status != NdisStatus.Pending)
            FinishAddParty(party, status, callParameters, notifyClient: false);
        return status;
    }

    /// <summary>NdisCmAddPartyComplete / NdisMCmAddPartyComplete.</summary>
    public void CmAddPartyComplete(NdisStatus status, CoParty ndisPartyHandle, object? callMgrPartyContext, CoCallParameters callParameters)
    {
        ArgumentNullException.ThrowIfNull(ndisPartyHandle);
        if (callMgrPartyContext is not null)
            ndisPartyHandle.CmPartyContext = callMgrPartyContext;
        FinishAddParty(ndisPartyHandle, status, callParameters, notifyClient: true);
    }

    /// <summary>NdisClDropParty: drops a party other than the last (the last goes with NdisClCloseCall).</summary>
    public NdisStatus ClDropParty(CoParty ndisPartyHandle, ReadOnlyMemory<byte> buffer)
    {
        ArgumentNullException.ThrowIfNull(ndisPartyHandle);
        var vc = ndisPartyHandle.Vc;
        lock (vc.Sync)
        {
            if (!ndisPartyHandle.IsConnected)
                throw new CoNdisStateException($"NdisClDropParty on {ndisPartyHandle}, which is not connected.");
            if (vc.PartyList.Count(p => p.IsConnected) < 2)
                throw new CoNdisStateException($"NdisClDropParty on the last party of {vc}: close the call instead.");
        }
        var status = vc.CallManager!.ProtocolCmDropParty(ndisPartyHandle.CmPartyContext, buffer);
        if (status != NdisStatus.Pending)
            FinishDropParty(ndisPartyHandle, status, notifyClient: false);
        return status;
    }

    /// <summary>NdisCmDropPartyComplete / NdisMCmDropPartyComplete.</summary>
    public void CmDropPartyComplete(NdisStatus status, CoParty ndisPartyHandle)
    {
        ArgumentNullException.ThrowIfNull(ndisPartyHandle);
        FinishDropParty(ndisPartyHandle, status, notifyClient: true);
    }

    /// <summary>
    /// NdisCmDispatchIncomingDropParty / NdisMCm form: the remote dropped a party; when it was the last one the
    /// client hears ProtocolClIncomingCloseCall instead.
    /// </summary>
    public void CmDispatchIncomingDropParty(NdisStatus dropStatus, CoParty ndisPartyHandle, ReadOnlyMemory<byte> buffer)
    {
        ArgumentNullException.ThrowIfNull(ndisPartyHandle);
        var vc = ndisPartyHandle.Vc;
        bool last;
        lock (vc.Sync)
            last = vc.PartyList.Count(p => p.IsConnected) <= 1;
        if (last)
        {
            CmDispatchIncomingCloseCall(dropStatus, vc, buffer);
            return;
        }
        lock (vc.Sync)
        {
            ndisPartyHandle.IsConnected = false;
            vc.PartyList.Remove(ndisPartyHandle);
        }
        vc.Client!.ProtocolClIncomingDropParty(dropStatus, ndisPartyHandle.ClientPartyContext, buffer);
    }

    /// <summary>NdisClModifyCallQoS: asks the call manager to change a connected call's parameters.</summary>
    public NdisStatus ClModifyCallQoS(VirtualConnection ndisVcHandle, CoCallParameters callParameters)
    {
        ArgumentNullException.ThrowIfNull(ndisVcHandle);
        if (ndisVcHandle.State != VcState.Connected)
            throw new CoNdisStateException($"NdisClModifyCallQoS on {ndisVcHandle} in state {ndisVcHandle.State}; the call must be connected.");
        return ndisVcHandle.CallManager!.ProtocolCmModifyCallQoS(ndisVcHandle.CmContext, callParameters);
    }

    /// <summary>NdisCmModifyCallQoSComplete / NdisMCm form.</summary>
    public void CmModifyCallQoSComplete(NdisStatus status, VirtualConnection ndisVcHandle, CoCallParameters callParameters)
    {
        ArgumentNullException.ThrowIfNull(ndisVcHandle);
        ndisVcHandle.Client!.ProtocolClModifyCallQoSComplete(status, ndisVcHandle.ClientContext, callParameters);
    }

    /// <summary>NdisCmDispatchIncomingCallQoSChange / NdisMCm form: the remote changed the call's QoS.</summary>
    public void CmDispatchIncomingCallQoSChange(VirtualConnection ndisVcHandle, CoCallParameters callParameters)
    {
        ArgumentNullException.ThrowIfNull(ndisVcHandle);
        ndisVcHandle.Client!.ProtocolClIncomingCallQoSChange(ndisVcHandle.ClientContext, callParameters);
    }

    private void FinishActivation(VirtualConnection vc, NdisStatus status, bool notifyCallManager)
    {
        CoCallParameters parameters;
        lock (vc.Sync)
        {
            parameters = vc.PendingActivationParameters!;
            vc.PendingActivationParameters = null;
            if (status == NdisStatus.Success)
            {
                vc.Activation = ActivationState.Active;
                vc.CallParameters = parameters;
            }
            else
            {
                vc.Activation = vc.ActivationBeforePending;
            }
        }
        CoNdisLog.VcActivation(Logger, vc, vc.Activation, status);
        if (notifyCallManager)
            vc.CallManager?.ProtocolCmActivateVcComplete(status, vc.CmContext, parameters);
    }

    private NdisStatus FinishDeactivation(VirtualConnection vc, NdisStatus status, bool notifyCallManager)
    {
        if (status.IsError())
        {
            lock (vc.Sync)
                vc.Activation = ActivationState.Active;
            if (notifyCallManager)
                vc.CallManager?.ProtocolCmDeactivateVcComplete(status, vc.CmContext);
            return status;
        }
        if (!TransfersDrained(vc))
        {
            // Arm the deferred completion, then look again: a transfer that drained in between must not be missed.
            Volatile.Write(ref vc.DeferredDeactivationField, notifyCallManager ? 2 : 1);
            if (TransfersDrained(vc) && Interlocked.Exchange(ref vc.DeferredDeactivationField, 0) != 0)
            {
                CompleteDeactivation(vc, notifyCallManager);
                return NdisStatus.Success;
            }
            // Sends being refused at the gate are the runtime's own business; the miniport's are a finding.
            if (vc.OutstandingSends > 0 || vc.OutstandingReceives > 0)
                Verifier.Report(VerifierRule.DeactivationWithTransfersOutstanding,
                    $"{vc} deactivation completed with {vc.OutstandingSends} send(s) and {vc.OutstandingReceives} receive(s) outstanding; held until they drain", vc);
            return NdisStatus.Pending;
        }
        CompleteDeactivation(vc, notifyCallManager);
        return NdisStatus.Success;
    }

    /// <summary>Called when a VC's transfers drain: finishes a deactivation that was held for them.</summary>
    private static bool TransfersDrained(VirtualConnection vc) => vc.OutstandingSends == 0 && vc.OutstandingReceives == 0 && vc.RefusingSends == 0;

    private void DrainedTransfers(VirtualConnection vc)
    {
        if (!TransfersDrained(vc))
            return;
        int deferred = Interlocked.Exchange(ref vc.DeferredDeactivationField, 0);
        if (deferred != 0)
            CompleteDeactivation(vc, notifyCallManager: true);
    }

    private void CompleteDeactivation(VirtualConnection vc, bool notifyCallManager)
    {
        lock (vc.Sync)
        {
            vc.Activation = ActivationState.Inactive;
            vc.CallParameters = null;
        }
        CoNdisLog.VcActivation(Logger, vc, ActivationState.Inactive, NdisStatus.Success);
        if (notifyCallManager)
            vc.CallManager?.ProtocolCmDeactivateVcComplete(NdisStatus.Success, vc.CmContext);
    }

    private void FinishMakeCall(VirtualConnection vc, NdisStatus status, CoParty? party, CoCallParameters callParameters, bool notifyClient)
    {
        lock (vc.Sync)
        {
            if (status == NdisStatus.Success)
            {
                if (vc.Activation != ActivationState.Active)
                    throw new CoNdisStateException($"Make-call on {vc} completed with SUCCESS while the VC is {vc.Activation}: the call manager must activate the VC first.");
                Move(vc, VcAction.MakeCallSucceeded, "NdisCmMakeCallComplete");
                if (party is not null)
                    party.IsConnected = true;
            }
            else
            {
                Move(vc, VcAction.MakeCallFailed, "NdisCmMakeCallComplete");
                if (party is not null)
                    vc.PartyList.Remove(party);
            }
        }
        if (notifyClient)
            vc.Client!.ProtocolClMakeCallComplete(status, vc.ClientContext, status == NdisStatus.Success ? party : null, callParameters);
    }

    private void FinishIncomingCall(VirtualConnection vc, NdisStatus status, CoCallParameters callParameters, bool notifyCallManager)
    {
        lock (vc.Sync)
            Move(vc, status == NdisStatus.Success ? VcAction.AcceptIncomingCall : VcAction.RejectIncomingCall, "ProtocolClIncomingCall");
        if (notifyCallManager)
            vc.CallManager!.ProtocolCmIncomingCallComplete(status, vc.CmContext, callParameters);
    }

    private void FinishCloseCall(VirtualConnection vc, NdisStatus status, CoParty? party, bool notifyClient)
    {
        lock (vc.Sync)
        {
            if (status == NdisStatus.Success)
            {
                if (vc.Activation != ActivationState.Inactive)
                    throw new CoNdisStateException($"Close-call on {vc} completed with SUCCESS while the VC is {vc.Activation}: deactivate first (PROTOCOL_CL_CLOSE_CALL_COMPLETE: SUCCESS means closed and deactivated).");
                Move(vc, VcAction.CloseCallSucceeded, "NdisCmCloseCallComplete");
                vc.PartyList.Clear();
            }
            else
            {
                Move(vc, VcAction.CloseCallFailed, "NdisCmCloseCallComplete");
                vc.CallClosed = false; // the close failed: the call is up again
            }
        }
        if (notifyClient)
            vc.Client!.ProtocolClCloseCallComplete(status, vc.ClientContext, party?.ClientPartyContext);
    }

    private static void FinishAddParty(CoParty party, NdisStatus status, CoCallParameters callParameters, bool notifyClient)
    {
        var vc = party.Vc;
        lock (vc.Sync)
        {
            if (status == NdisStatus.Success)
                party.IsConnected = true;
            else
                vc.PartyList.Remove(party);
        }
        if (notifyClient)
            vc.Client!.ProtocolClAddPartyComplete(status, party.ClientPartyContext, status == NdisStatus.Success ? party : null, callParameters);
    }

    private static void FinishDropParty(CoParty party, NdisStatus status, bool notifyClient)
    {
        var vc = party.Vc;
        if (status == NdisStatus.Success)
        {
            lock (vc.Sync)
            {
                party.IsConnected = false;
                vc.PartyList.Remove(party);
            }
        }
        if (notifyClient)
            vc.Client!.ProtocolClDropPartyComplete(status, party.ClientPartyContext);
    }

    private void Move(VirtualConnection vc, VcAction action, string ddi)
    {
        var from = vc.State;
        var to = vc.Apply(action, ddi);
        CoNdisLog.VcCallState(Logger, vc, from, to, ddi);
    }

    private static void SetDataProtocol(VirtualConnection vc, CoBinding binding, object? protocolVcContext)
    {
        vc.DataProtocol = binding.Protocol as ICoProtocol;
        vc.DataProtocolContext = protocolVcContext;
        vc.DataBindingContext = binding.ProtocolBindingContext;
    }

    private NdisStatus CreateOnClient(VirtualConnection vc, CoAfHandle af)
    {
        var client = af.ClientBinding.Client;
        var status = Synchronous(client.ProtocolCoCreateVc(af.ClientAfContext, vc, out var clientContext));
        if (status != NdisStatus.Success)
            return status;
        vc.Client = client;
        vc.ClientContext = clientContext;
        SetDataProtocol(vc, af.ClientBinding, clientContext);
        return NdisStatus.Success;
    }

    private NdisStatus CreateOnMiniport(VirtualConnection vc)
    {
        var status = Synchronous(vc.Adapter.Miniport.MiniportCoCreateVc(vc.Adapter.AdapterContext, vc, out var miniportContext));
        vc.MiniportContext = miniportContext;
        return status;
    }

    private NdisStatus Created(VirtualConnection vc, out VirtualConnection? ndisVcHandle)
    {
        if (vc.AddressFamily is not null)
            Interlocked.Increment(ref vc.AddressFamily.OpenVcs);
        ndisVcHandle = vc;
        CoNdisLog.VcCreated(Logger, vc, vc.Adapter, vc.CreatedByCallManager ? "call manager" : "client");
        return NdisStatus.Success;
    }

    /// <summary>Create and delete handlers may not pend (PROTOCOL_CO_CREATE_VC, MINIPORT_CO_CREATE_VC, NdisCoDeleteVc
    /// pages): PENDING counts as a failure.</summary>
    private static NdisStatus Synchronous(NdisStatus status) => status == NdisStatus.Pending ? NdisStatus.Failure : status;
}
