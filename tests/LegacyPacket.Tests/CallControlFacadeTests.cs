using System.Reflection;
using CoNdis.LegacyPacket.CoNdis5;
using CoNdis.LegacyPacket.Samples;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;

using CoNdis.TestDrivers.Legacy;

namespace CoNdis.LegacyPacket.Tests;

/// <summary>
/// The NDIS 5 call-control facade on its own: every DDI the NDIS 5.1 reference lists is a member of <see cref="Ndis5"/>,
/// characteristics are checked, NDIS_REQUEST ⇄ NDIS_OID_REQUEST, and a direct 5.x binding (no NDIS 6 runtime behind it)
/// fails call control as NDIS fails a call no call manager serves. Calls through the runtime are proven in
/// Translation.Tests (CallControlConformanceTests).
/// </summary>
public sealed class CallControlFacadeTests
{
    private static readonly string[] CallControlDdis =
    [
        // client
        "ClOpenAddressFamily", "ClCloseAddressFamily", "ClRegisterSap", "ClDeregisterSap", "ClMakeCall", "ClCloseCall", "ClAddParty",
        "ClDropParty", "ClIncomingCallComplete", "ClModifyCallQoS",
        // stand-alone call manager
        "CmRegisterAddressFamily", "CmOpenAddressFamilyComplete", "CmCloseAddressFamilyComplete", "CmRegisterSapComplete",
        "CmDeregisterSapComplete", "CmMakeCallComplete", "CmCloseCallComplete", "CmAddPartyComplete", "CmDropPartyComplete",
        "CmModifyCallQoSComplete", "CmDispatchIncomingCall", "CmDispatchCallConnected", "CmDispatchIncomingCallQoSChange",
        "CmDispatchIncomingCloseCall", "CmDispatchIncomingDropParty", "CmActivateVc", "CmDeactivateVc",
        // call manager integrated in a miniport
        "MCmRegisterAddressFamily", "MCmOpenAddressFamilyComplete", "MCmCloseAddressFamilyComplete", "MCmRegisterSapComplete",
        "MCmDeregisterSapComplete", "MCmMakeCallComplete", "MCmCloseCallComplete", "MCmAddPartyComplete", "MCmDropPartyComplete",
        "MCmModifyCallQoSComplete", "MCmDispatchIncomingCall", "MCmDispatchCallConnected", "MCmDispatchIncomingCallQoSChange",
        "MCmDispatchIncomingCloseCall", "MCmDispatchIncomingDropParty", "MCmActivateVc", "MCmDeactivateVc", "MCmCreateVc",
        "MCmDeleteVc", "MCmRequest", "MCmRequestComplete",
        // VCs and requests
        "CoCreateVc", "CoDeleteVc", "CoRequest", "CoRequestComplete", "MCoRequestComplete",
    ];

    [Fact]
    public void Every_NDIS_5_call_control_DDI_is_a_public_static_member_of_Ndis5()
    {
        var members = typeof(Ndis5).GetMethods(BindingFlags.Public | BindingFlags.Static).Select(m => m.Name).ToHashSet();
        var missing = CallControlDdis.Where(ddi => !members.Contains(ddi)).ToArray();
        Assert.Empty(missing);
    }

    [Fact]
    public void Every_member_of_the_handler_contracts_carries_the_NDIS_5_handler_name_with_its_role_prefix()
    {
        string[] client = [.. typeof(ILegacyCoCallClient).GetMethods().Select(m => m.Name).Order()];
        Assert.Equal(
        [
            "ProtocolClAddPartyComplete", "ProtocolClCallConnected", "ProtocolClCloseAfComplete", "ProtocolClCloseCallComplete",
            "ProtocolClDeregisterSapComplete", "ProtocolClDropPartyComplete", "ProtocolClIncomingCall", "ProtocolClIncomingCallQoSChange",
            "ProtocolClIncomingCloseCall", "ProtocolClIncomingDropParty", "ProtocolClMakeCallComplete", "ProtocolClModifyCallQoSComplete",
            "ProtocolClOpenAfComplete", "ProtocolClRegisterSapComplete", "ProtocolCoCreateVc", "ProtocolCoDeleteVc", "ProtocolCoRequest",
            "ProtocolCoRequestComplete",
        ], client);
        string[] callManager = [.. typeof(ILegacyCoCallManager).GetMethods().Select(m => m.Name).Order()];
        Assert.Equal(
        [
            "ProtocolCmActivateVcComplete", "ProtocolCmAddParty", "ProtocolCmCloseAf", "ProtocolCmCloseCall", "ProtocolCmDeactivateVcComplete",
            "ProtocolCmDeregisterSap", "ProtocolCmDropParty", "ProtocolCmIncomingCallComplete", "ProtocolCmMakeCall", "ProtocolCmModifyCallQoS",
            "ProtocolCmOpenAf", "ProtocolCmRegisterSap", "ProtocolCoCreateVc", "ProtocolCoDeleteVc", "ProtocolCoRequest", "ProtocolCoRequestComplete",
        ], callManager);
    }

    [Fact]
    public void Call_control_on_a_direct_binding_fails_as_on_an_af_no_call_manager_registered()
    {
        var handle = Strict.Handle();
        var client = new LegacyCoClientSample(handle);
        var binding = new LegacyCoBinding(handle, new LegacyScriptedMiniport(), null, client, null); // no MiniportCoRequest
        Assert.Null(binding.CallControl);
        Assert.Equal(NdisStatus.Failure, client.OpenAddressFamily(binding, LegacyPointToPointCallManager.AddressFamily));
        Assert.Equal(["OpenAfComplete Failure"], client.CallEvents);
        Assert.Null(client.AfHandle);
        var callManager = new LegacyPointToPointCallManager();
        Assert.Equal(NdisStatus.Failure, callManager.Register(binding));
        Assert.Equal(NdisStatus.Failure, callManager.RegisterIntegrated(binding));
        var request = new NdisRequest(NdisRequestType.QueryInformation, NdisOid.GenMaximumFrameSize, new byte[4]);
        Assert.Equal(NdisStatus.NotSupported, Ndis5.CoRequest(binding, null, null, null, request)); // this miniport has no MiniportCoRequest
        Assert.Equal(0, handle.Verifier.FindingCount);
    }

    [Theory]
    [InlineData(4, NdisClientCharacteristics.Size, true, typeof(ArgumentException))]
    [InlineData(5, NdisClientCharacteristics.Size - 8, true, typeof(ArgumentOutOfRangeException))]
    [InlineData(5, NdisClientCharacteristics.Size, false, typeof(ArgumentException))]
    public void Client_characteristics_with_another_major_version_a_short_size_or_no_handlers_are_api_misuse(byte major, uint size, bool handlers, Type expected)
    {
        var handle = Strict.Handle();
        var client = new LegacyCoClientSample(handle);
        var binding = new LegacyCoBinding(handle, new LegacyTestMiniport(handle, receivePackets: 8) { Loopback = true, RecordSentFrames = false }, null, client, null);
        var chars = new NdisClientCharacteristics { MajorVersion = major, Handlers = handlers ? client : null };
        var thrown = Record.Exception(() => Ndis5.ClOpenAddressFamily(binding, LegacyPointToPointCallManager.AddressFamily, null, chars, size, out _));
        Assert.IsType(expected, thrown);
    }

    [Fact]
    public void Call_manager_characteristics_are_checked_the_same_way()
    {
        var handle = Strict.Handle();
        var binding = new LegacyCoBinding(handle, new LegacyTestMiniport(handle, receivePackets: 8) { Loopback = true, RecordSentFrames = false }, null, new LegacyCoClientSample(handle), null);
        var chars = new NdisCallManagerCharacteristics { MajorVersion = 5, Handlers = new LegacyPointToPointCallManager() };
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            Ndis5.CmRegisterAddressFamily(binding, LegacyPointToPointCallManager.AddressFamily, chars, NdisCallManagerCharacteristics.Size - 1));
        chars.MajorVersion = 6;
        Assert.Throws<ArgumentException>(() =>
            Ndis5.MCmRegisterAddressFamily(binding, LegacyPointToPointCallManager.AddressFamily, chars, NdisCallManagerCharacteristics.Size));
    }

    [Fact]
    public void An_NDIS_REQUEST_becomes_an_NDIS_OID_REQUEST_over_the_same_buffer_and_takes_its_answer_back()
    {
        var buffer = new byte[4];
        var request = new NdisRequest(NdisRequestType.QueryInformation, NdisOid.GenMaximumFrameSize, buffer);
        var oidRequest = request.ToOidRequest();
        Assert.Same(buffer, oidRequest.InformationBuffer);
        Assert.Equal(NdisRequestType.QueryInformation, oidRequest.RequestType);
        Assert.Equal(NdisOid.GenMaximumFrameSize, oidRequest.Oid);
        Assert.Equal(NdisStatus.Success, oidRequest.WriteUInt32(9180));
        request.CopyResultsFrom(oidRequest);
        Assert.Equal(4u, request.BytesWritten);
        Assert.Equal(9180u, request.ReadUInt32());
    }

    [Fact]
    public void An_NDIS_REQUEST_shorter_than_its_buffer_is_copied_and_the_answer_copied_back()
    {
        var buffer = new byte[16];
        var request = new NdisRequest(NdisRequestType.QueryInformation, NdisOid.GenMaximumFrameSize, buffer) { InformationBufferLength = 4 };
        var oidRequest = request.ToOidRequest();
        Assert.NotSame(buffer, oidRequest.InformationBuffer);
        Assert.Equal(4, oidRequest.InformationBuffer.Length);
        oidRequest.WriteUInt32(1500);
        request.CopyResultsFrom(oidRequest);
        Assert.Equal(1500u, BitConverter.ToUInt32(buffer, 0));
        var tooShort = new NdisOidRequest(NdisRequestType.QueryInformation, NdisOid.GenLinkSpeed, 2);
        Assert.Equal(NdisStatus.BufferTooShort, tooShort.WriteUInt32(1));
        var view = NdisRequest.FromOidRequest(tooShort);
        view.CopyResultsFrom(tooShort);
        Assert.Same(tooShort.InformationBuffer, view.InformationBuffer);
        Assert.Equal(4u, view.BytesNeeded);
    }

    [Fact]
    public void A_request_without_an_af_on_a_direct_binding_reaches_MiniportCoRequest_and_answers_in_NDIS_5_shape()
    {
        var binding = new LegacyCoBinding(Strict.Handle(), new AnsweringMiniport(), null, new LegacyCoClientSample(Strict.Handle()), null);
        var request = new NdisRequest(NdisRequestType.QueryInformation, NdisOid.GenMaximumFrameSize, new byte[4]);
        Assert.Equal(NdisStatus.Success, Ndis5.CoRequest(binding, null, null, null, request));
        Assert.Equal(9180u, request.ReadUInt32());
        Assert.Equal(4u, request.BytesWritten);
    }

    [Fact]
    public void A_pended_MiniportCoRequest_completes_to_the_direct_clients_ProtocolCoRequestComplete_with_its_own_request()
    {
        var miniport = new AnsweringMiniport { Pend = true };
        var client = new RequestingClient();
        var binding = new LegacyCoBinding(Strict.Handle(), miniport, null, client, null);
        var buffer = new byte[8];
        var request = new NdisRequest(NdisRequestType.QueryInformation, NdisOid.GenMaximumFrameSize, buffer) { InformationBufferLength = 4 };
        Assert.Equal(NdisStatus.Pending, Ndis5.CoRequest(binding, null, null, null, request));
        var pended = Assert.Single(miniport.Pended);
        pended.WriteUInt32(4470);
        Ndis5.MCoRequestComplete(NdisStatus.Success, binding, pended);
        var (status, completed) = Assert.Single(client.Completions);
        Assert.Equal(NdisStatus.Success, status);
        Assert.Same(request, completed);
        Assert.Equal(4470u, BitConverter.ToUInt32(buffer, 0));
        Assert.Equal(4u, request.BytesWritten);
        Assert.Throws<ArgumentException>(() => Ndis5.MCoRequestComplete(NdisStatus.Pending, binding, pended));
    }

    [Fact]
    public void A_vc_handle_without_MiniportCoCreateVc_opens_its_data_path_when_its_call_manager_activates_it()
    {
        var handle = Strict.Handle();
        var miniport = new LegacyTestMiniport(handle, receivePackets: 8) { Loopback = false, RecordSentFrames = false };
        var client = new LegacyCoClientSample(handle);
        var binding = new LegacyCoBinding(handle, miniport, null, client, null);
        var vc = binding.CreateVcHandle(protocolVcContext: null, miniportVcContext: null);
        vc.AssignProtocolVcContext("client context");
        Assert.Equal("client context", vc.ProtocolVcContext);
        Assert.Equal(LegacyVcState.Created, vc.State);
        vc.MarkActivatedByCallManager();
        Assert.Equal(LegacyVcState.Active, vc.State);
        vc.MarkActivatedByCallManager(); // a reactivation (QoS change) leaves it open
        Assert.Throws<InvalidOperationException>(() => vc.AssignMiniportVcContext("too late"));
        Assert.Equal(NdisStatus.NotAccepted, binding.DeleteVcHandle(vc));
        vc.MarkDeactivatedByCallManager();
        Assert.Equal(LegacyVcState.Deactivated, vc.State);
        Assert.Equal(NdisStatus.Success, binding.DeleteVcHandle(vc));
        Assert.Equal(LegacyVcState.Deleted, vc.State);
        Assert.Equal(0, handle.Verifier.FindingCount);
    }

    private sealed class RequestingClient : ILegacyCoClient, ILegacyCoCallClient
    {
        public List<(NdisStatus Status, NdisRequest Request)> Completions { get; } = [];

        public void ProtocolCoRequestComplete(NdisStatus status, object? protocolAfContext, object? protocolVcContext, object? protocolPartyContext, NdisRequest ndisRequest) =>
            Completions.Add((status, ndisRequest));

        public void ProtocolCoSendComplete(NdisStatus status, object? protocolVcContext, NdisPacket packet)
        {
        }

        public uint ProtocolCoReceivePacket(object? protocolBindingContext, object? protocolVcContext, NdisPacket packet) => 0;

        public void ProtocolCoStatus(object? protocolBindingContext, object? protocolVcContext, NdisStatus generalStatus, byte[]? statusBuffer, uint statusBufferSize)
        {
        }

        public void ProtocolReceiveComplete(object? protocolBindingContext)
        {
        }

        public NdisStatus ProtocolCoCreateVc(object? protocolAfContext, LegacyCoVc ndisVcHandle, out object? protocolVcContext)
        {
            protocolVcContext = null;
            return NdisStatus.Success;
        }

        public NdisStatus ProtocolCoDeleteVc(object? protocolVcContext) => NdisStatus.Success;

        public void ProtocolClOpenAfComplete(NdisStatus status, object? protocolAfContext, CoAfHandle? ndisAfHandle)
        {
        }

        public void ProtocolClMakeCallComplete(NdisStatus status, object? protocolVcContext, CoParty? ndisPartyHandle, CoCallParameters callParameters)
        {
        }

        public void ProtocolClCloseCallComplete(NdisStatus status, object? protocolVcContext, object? protocolPartyContext)
        {
        }

        public void ProtocolClIncomingCloseCall(NdisStatus closeStatus, object? protocolVcContext, byte[]? closeData, uint size)
        {
        }
    }

    private sealed class AnsweringMiniport : ILegacyCoMiniport, ILegacyMiniportCoRequest
    {
        public bool Pend { get; init; }

        public List<NdisOidRequest> Pended { get; } = [];

        public NdisStatus MiniportCoCreateVc(object? miniportAdapterContext, LegacyCoVc ndisVcHandle, out object? miniportVcContext)
        {
            miniportVcContext = null;
            return NdisStatus.Success;
        }

        public NdisStatus MiniportCoDeleteVc(object? miniportVcContext) => NdisStatus.Success;

        public NdisStatus MiniportCoActivateVc(object? miniportVcContext, object? callParameters) => NdisStatus.Success;

        public NdisStatus MiniportCoDeactivateVc(object? miniportVcContext) => NdisStatus.Success;

        public void MiniportCoSendPackets(object? miniportVcContext, NdisPacket[] packetArray, uint numberOfPackets)
        {
        }

        public void MiniportReturnPacket(object? miniportAdapterContext, NdisPacket packet)
        {
        }

        public NdisStatus MiniportCoRequest(object? miniportAdapterContext, object? miniportVcContext, NdisOidRequest ndisRequest)
        {
            if (!Pend)
                return ndisRequest.WriteUInt32(9180);
            Pended.Add(ndisRequest);
            return NdisStatus.Pending;
        }
    }
}
