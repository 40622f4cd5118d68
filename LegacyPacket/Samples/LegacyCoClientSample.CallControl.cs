using CoNdis.LegacyPacket.CoNdis5;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;

namespace CoNdis.LegacyPacket.Samples;

// The call-control half of the ported 5.x client: its NDIS_CLIENT_CHARACTERISTICS handlers and the NdisCl* calls it
// makes, each with the original C beside it.
public sealed partial class LegacyCoClientSample : ILegacyCoCallClient
{
    private readonly List<string> _callEvents = [];

    /// <summary>The open AF (NdisAfHandle), once NdisClOpenAddressFamily or ProtocolClOpenAfComplete gave it.</summary>
    public CoAfHandle? AfHandle { get; private set; }

    /// <summary>The registered SAP (NdisSapHandle).</summary>
    public CoSapHandle? SapHandle { get; private set; }

    /// <summary>The first party of a multipoint call the client made (NdisPartyHandle).</summary>
    public CoParty? Party { get; private set; }

    /// <summary>What ProtocolClIncomingCall answers (SUCCESS accepts; a failure rejects).</summary>
    public NdisStatus IncomingCallAnswer { get; set; } = NdisStatus.Success;

    /// <summary>The last answer to a ULONG request the client made, once complete.</summary>
    public uint LastRequestAnswer { get; private set; }

    /// <summary>A ULONG the client answers when its call manager asks for <see cref="OidClientInfo"/>.</summary>
    public uint ClientInfo { get; set; } = 0x5A5A;

    /// <summary>Answer the call manager's requests later, from a worker thread (NdisCoRequestComplete), instead of at once.</summary>
    public bool PendRequests { get; set; }

    /// <summary>A vendor OID (0xFF…: the vendor range) the client answers with <see cref="ClientInfo"/>.</summary>
    public const uint OidClientInfo = 0xFF020001;

    /// <summary>Every call-control event in order ("MakeCallComplete Success", "IncomingCall", …), a test hook.</summary>
    public IReadOnlyList<string> CallEvents
    {
        get { lock (_callEvents) return [.. _callEvents]; }
    }

    /// <summary>Opens the call manager's AF on <paramref name="binding"/> (what ProtocolCoAfRegisterNotify does in the C client).</summary>
    public NdisStatus OpenAddressFamily(LegacyCoBinding binding, CoAddressFamily addressFamily)
    {
        ArgumentNullException.ThrowIfNull(binding);
        Binding = binding;
        // NdisZeroMemory(&ClChars, sizeof(ClChars)); ClChars.MajorVersion = 5; ClChars.MinorVersion = 0;
        // ClChars.ClCreateVcHandler = SampleCreateVc; … ClChars.ClCallConnectedHandler = SampleCallConnected;
        var clChars = new NdisClientCharacteristics { MajorVersion = 5, MinorVersion = 0, Handlers = this };
        // Status = NdisClOpenAddressFamily(pAdapter->NdisBindingHandle, AddressFamily, pAdapter, &ClChars, sizeof(ClChars), &pAdapter->NdisAfHandle);
        var status = Ndis5.ClOpenAddressFamily(binding, addressFamily, this, clChars, NdisClientCharacteristics.Size, out var af);
        // if (Status != NDIS_STATUS_PENDING) SampleOpenAfComplete(Status, pAdapter, pAdapter->NdisAfHandle);
        if (status != NdisStatus.Pending)
            ProtocolClOpenAfComplete(status, this, af);
        return status;
    }

    /// <summary>Registers <paramref name="sap"/> for incoming calls (NdisClRegisterSap).</summary>
    public NdisStatus RegisterSap(CoSap sap)
    {
        var af = AfHandle ?? throw new InvalidOperationException("OpenAddressFamily first.");
        // Status = NdisClRegisterSap(pAdapter->NdisAfHandle, pAdapter, pSap, &pAdapter->NdisSapHandle);
        var status = Ndis5.ClRegisterSap(af, this, sap, out var handle);
        if (status != NdisStatus.Pending)
            ProtocolClRegisterSapComplete(status, this, sap, handle!);
        return status;
    }

    /// <summary>Deregisters the SAP (NdisClDeregisterSap).</summary>
    public NdisStatus DeregisterSap()
    {
        var sap = SapHandle ?? throw new InvalidOperationException("RegisterSap first.");
        var status = Ndis5.ClDeregisterSap(sap);
        if (status != NdisStatus.Pending)
            ProtocolClDeregisterSapComplete(status, this);
        return status;
    }

    /// <summary>Closes the AF (NdisClCloseAddressFamily), once every call is closed, VC deleted and SAP deregistered.</summary>
    public NdisStatus CloseAddressFamily()
    {
        var af = AfHandle ?? throw new InvalidOperationException("OpenAddressFamily first.");
        var status = Ndis5.ClCloseAddressFamily(af);
        if (status != NdisStatus.Pending)
            ProtocolClCloseAfComplete(status, this);
        return status;
    }

    /// <summary>
    /// Creates a VC on the AF and makes an outgoing call on it (NdisCoCreateVc, NdisClMakeCall); a party context makes
    /// it point-to-multipoint. SUCCESS, a failure, or PENDING (then ProtocolClMakeCallComplete).
    /// </summary>
    public NdisStatus MakeCall(CoCallParameters callParameters, object? partyContext = null)
    {
        var binding = Binding ?? throw new InvalidOperationException("OpenAddressFamily first.");
        var af = AfHandle ?? throw new InvalidOperationException("OpenAddressFamily first.");
        var context = new SampleVc();
        // Status = NdisCoCreateVc(pAdapter->NdisBindingHandle, pAdapter->NdisAfHandle, pVc, &pVc->NdisVcHandle);
        var status = Ndis5.CoCreateVc(binding, af, context, out var vc);
        if (status != NdisStatus.Success)
            return status;
        context.Handle = vc;
        Vc = vc;
        // Status = NdisClMakeCall(pVc->NdisVcHandle, pCallParameters, pParty, &pParty->NdisPartyHandle);
        status = Ndis5.ClMakeCall(vc!, callParameters, partyContext, out var party);
        // if (Status != NDIS_STATUS_PENDING) SampleMakeCallComplete(Status, pVc, pParty->NdisPartyHandle, pCallParameters);
        if (status != NdisStatus.Pending)
            ProtocolClMakeCallComplete(status, context, party, callParameters);
        return status;
    }

    /// <summary>Makes another call on the same VC after a successful close (a client-created VC may be reused).</summary>
    public NdisStatus MakeCallAgain(CoCallParameters callParameters)
    {
        var vc = Vc ?? throw new InvalidOperationException("MakeCall first.");
        var status = Ndis5.ClMakeCall(vc, callParameters, null, out var party);
        if (status != NdisStatus.Pending)
            ProtocolClMakeCallComplete(status, vc.ProtocolVcContext, party, callParameters);
        return status;
    }

    /// <summary>Closes the call on the VC (NdisClCloseCall); for a multipoint call, with its last party.</summary>
    public NdisStatus CloseCall(CoParty? party = null)
    {
        var vc = Vc ?? throw new InvalidOperationException("no call");
        // Status = NdisClCloseCall(pVc->NdisVcHandle, pParty ? pParty->NdisPartyHandle : NULL, NULL, 0);
        var status = Ndis5.ClCloseCall(vc, party, null, 0);
        // if (Status != NDIS_STATUS_PENDING) SampleCloseCallComplete(Status, pVc, pParty);
        if (status != NdisStatus.Pending)
            ProtocolClCloseCallComplete(status, vc.ProtocolVcContext, null);
        return status;
    }

    /// <summary>Deletes the VC the client created (NdisCoDeleteVc).</summary>
    public NdisStatus DeleteVc()
    {
        var vc = Vc ?? throw new InvalidOperationException("no VC");
        var status = Ndis5.CoDeleteVc(vc);
        if (status == NdisStatus.Success)
            Vc = null;
        return status;
    }

    /// <summary>Adds a leaf to the connected multipoint call (NdisClAddParty).</summary>
    public NdisStatus AddParty(object? partyContext, CoCallParameters callParameters, out CoParty? party)
    {
        var vc = Vc ?? throw new InvalidOperationException("no call");
        // Status = NdisClAddParty(pVc->NdisVcHandle, pParty, pCallParameters, &pParty->NdisPartyHandle);
        var status = Ndis5.ClAddParty(vc, partyContext, callParameters, out party);
        if (status != NdisStatus.Pending)
            ProtocolClAddPartyComplete(status, partyContext, party, callParameters);
        return status;
    }

    /// <summary>Drops a leaf that is not the last (NdisClDropParty).</summary>
    public NdisStatus DropParty(CoParty party)
    {
        // Status = NdisClDropParty(pParty->NdisPartyHandle, NULL, 0);
        var status = Ndis5.ClDropParty(party, null, 0);
        if (status != NdisStatus.Pending)
            ProtocolClDropPartyComplete(status, party);
        return status;
    }

    /// <summary>Asks the call manager to change the call's QoS (NdisClModifyCallQoS).</summary>
    public NdisStatus ModifyCallQoS(CoCallParameters callParameters)
    {
        var vc = Vc ?? throw new InvalidOperationException("no call");
        var status = Ndis5.ClModifyCallQoS(vc, callParameters);
        if (status != NdisStatus.Pending)
            ProtocolClModifyCallQoSComplete(status, vc.ProtocolVcContext, callParameters);
        return status;
    }

    /// <summary>Queries the call manager for a ULONG OID on the AF (NdisCoRequest with the AF handle).</summary>
    public NdisStatus QueryCallManager(uint oid, NdisRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var binding = Binding ?? throw new InvalidOperationException("OpenAddressFamily first.");
        request.Oid = oid;
        request.RequestType = NdisRequestType.QueryInformation;
        // Status = NdisCoRequest(pAdapter->NdisBindingHandle, pAdapter->NdisAfHandle, NULL, NULL, &Request);
        var status = Ndis5.CoRequest(binding, AfHandle, null, null, request);
        if (status == NdisStatus.Success)
            LastRequestAnswer = request.ReadUInt32();
        return status;
    }

    // ---- ClXxxHandler entry points ----------------------------------------------------------------------------

    /// <inheritdoc />
    public NdisStatus ProtocolCoCreateVc(object? protocolAfContext, LegacyCoVc ndisVcHandle, out object? protocolVcContext)
    {
        // pVc = AllocateVc(pAdapter); pVc->NdisVcHandle = NdisVcHandle; *ProtocolVcContext = pVc;
        protocolVcContext = new SampleVc { Handle = ndisVcHandle, Incoming = true };
        RecordCall("CreateVc");
        return NdisStatus.Success;
    }

    /// <inheritdoc />
    public NdisStatus ProtocolCoDeleteVc(object? protocolVcContext)
    {
        RecordCall("DeleteVc");
        if (protocolVcContext is SampleVc { Handle: { } handle } && ReferenceEquals(Vc, handle))
            Vc = null;
        return NdisStatus.Success;
    }

    /// <inheritdoc />
    public void ProtocolClOpenAfComplete(NdisStatus status, object? protocolAfContext, CoAfHandle? ndisAfHandle)
    {
        RecordCall($"OpenAfComplete {status}");
        if (status == NdisStatus.Success)
            AfHandle = ndisAfHandle;
    }

    /// <inheritdoc />
    public void ProtocolClCloseAfComplete(NdisStatus status, object? protocolAfContext)
    {
        RecordCall($"CloseAfComplete {status}");
        if (status == NdisStatus.Success)
            AfHandle = null;
    }

    /// <inheritdoc />
    public void ProtocolClRegisterSapComplete(NdisStatus status, object? protocolSapContext, CoSap sap, CoSapHandle ndisSapHandle)
    {
        RecordCall($"RegisterSapComplete {status}");
        if (status == NdisStatus.Success)
            SapHandle = ndisSapHandle;
    }

    /// <inheritdoc />
    public void ProtocolClDeregisterSapComplete(NdisStatus status, object? protocolSapContext)
    {
        RecordCall($"DeregisterSapComplete {status}");
        if (status == NdisStatus.Success)
            SapHandle = null;
    }

    /// <inheritdoc />
    public void ProtocolClMakeCallComplete(NdisStatus status, object? protocolVcContext, CoParty? ndisPartyHandle, CoCallParameters callParameters)
    {
        RecordCall($"MakeCallComplete {status}");
        if (status == NdisStatus.Success)
            Party ??= ndisPartyHandle;
    }

    /// <inheritdoc />
    public void ProtocolClModifyCallQoSComplete(NdisStatus status, object? protocolVcContext, CoCallParameters callParameters) =>
        RecordCall($"ModifyCallQoSComplete {status}");

    /// <inheritdoc />
    public void ProtocolClCloseCallComplete(NdisStatus status, object? protocolVcContext, object? protocolPartyContext)
    {
        RecordCall($"CloseCallComplete {status}");
        if (status == NdisStatus.Success)
            Party = null;
    }

    /// <inheritdoc />
    public void ProtocolClAddPartyComplete(NdisStatus status, object? protocolPartyContext, CoParty? ndisPartyHandle, CoCallParameters callParameters) =>
        RecordCall($"AddPartyComplete {status}");

    /// <inheritdoc />
    public void ProtocolClDropPartyComplete(NdisStatus status, object? protocolPartyContext) => RecordCall($"DropPartyComplete {status}");

    /// <inheritdoc />
    public NdisStatus ProtocolClIncomingCall(object? protocolSapContext, object? protocolVcContext, CoCallParameters callParameters)
    {
        RecordCall($"IncomingCall -> {IncomingCallAnswer}");
        // The call is for our SAP: keep the VC it came on and accept.
        if (IncomingCallAnswer == NdisStatus.Success && protocolVcContext is SampleVc { Handle: { } handle })
            Vc = handle;
        return IncomingCallAnswer;
    }

    /// <inheritdoc />
    public void ProtocolClIncomingCallQoSChange(object? protocolVcContext, CoCallParameters callParameters) => RecordCall("IncomingCallQoSChange");

    /// <inheritdoc />
    public void ProtocolClIncomingCloseCall(NdisStatus closeStatus, object? protocolVcContext, byte[]? closeData, uint size) =>
        // The C client schedules NdisClCloseCall from here; the sample leaves it to its owner (CloseCall).
        RecordCall($"IncomingCloseCall {closeStatus}");

    /// <inheritdoc />
    public void ProtocolClIncomingDropParty(NdisStatus dropStatus, object? protocolPartyContext, byte[]? closeData, uint size) =>
        RecordCall($"IncomingDropParty {dropStatus}");

    /// <inheritdoc />
    public void ProtocolClCallConnected(object? protocolVcContext) => RecordCall("CallConnected");

    /// <inheritdoc />
    public NdisStatus ProtocolCoRequest(object? protocolAfContext, object? protocolVcContext, object? protocolPartyContext, NdisRequest ndisRequest)
    {
        ArgumentNullException.ThrowIfNull(ndisRequest);
        RecordCall($"Request 0x{ndisRequest.Oid:X8}");
        if (ndisRequest.Oid != OidClientInfo || ndisRequest.RequestType != NdisRequestType.QueryInformation)
            return NdisStatus.NotSupported;
        if (!PendRequests)
            return ndisRequest.WriteUInt32(ClientInfo);
        var af = AfHandle ?? throw new InvalidOperationException("a request without an open AF");
        // Queue it; the worker answers: NdisCoRequestComplete(Status, pAdapter->NdisAfHandle, NULL, NULL, NdisRequest);
        ThreadPool.QueueUserWorkItem(_ => Ndis5.CoRequestComplete(ndisRequest.WriteUInt32(ClientInfo), af, null, null, ndisRequest));
        return NdisStatus.Pending;
    }

    /// <inheritdoc />
    public void ProtocolCoRequestComplete(NdisStatus status, object? protocolAfContext, object? protocolVcContext, object? protocolPartyContext, NdisRequest ndisRequest)
    {
        ArgumentNullException.ThrowIfNull(ndisRequest);
        if (status == NdisStatus.Success)
            LastRequestAnswer = ndisRequest.ReadUInt32();
        RecordCall($"RequestComplete {status}");
    }

    private void RecordCall(string text)
    {
        lock (_callEvents)
            _callEvents.Add(text);
    }

    /// <summary>The client's ProtocolVcContext for a VC of a call.</summary>
    private sealed class SampleVc
    {
        public LegacyCoVc? Handle { get; set; }

        public bool Incoming { get; init; }
    }
}
