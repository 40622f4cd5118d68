using CoNdis.NetBufferCore.CoNdis;

namespace CoNdis.Hardware.Atm;

/// <summary>
/// How ATM calls describe themselves in CO_CALL_PARAMETERS on the device, as NDIS ATM does: the Q.2931 address family
/// (CO_ADDRESS_FAMILY_Q2931, UNI 3.1), the call-manager-specific part a <see cref="Q2931CallManagerParameters"/>
/// (called party, traffic, AAL5, encapsulation), the FLOWSPECs derived from the traffic contract, and, once the call
/// manager has a VPI/VCI, the media-specific part an <see cref="AtmMediaParameters"/> the miniport reads at
/// activation. A SAP is an ATM address (SapType SAP_TYPE_E164 or SAP_TYPE_NSAP, the ATM_ADDRESS as its bytes).
/// </summary>
public static class AtmCallParameters
{
    /// <summary>SAP_TYPE_NSAP.</summary>
    public const uint SapTypeNsap = 1;

    /// <summary>SAP_TYPE_E164.</summary>
    public const uint SapTypeE164 = 2;

    /// <summary>CO_ADDRESS_FAMILY_Q2931, version 3.1 (ATM Forum UNI 3.1).</summary>
    public static CoAddressFamily AddressFamily { get; } = new(CoAddressFamily.Q2931, 3, 1);

    /// <summary>The SAP a client registers to be called at <paramref name="address"/>.</summary>
    public static CoSap Sap(AtmAddress address)
    {
        if (address.IsEmpty)
            throw new ArgumentException("A SAP needs an ATM address.", nameof(address));
        var bytes = new byte[AtmAddress.StructureLength];
        address.WriteStructure(bytes);
        return new CoSap(address.Type == AtmAddressType.E164 ? SapTypeE164 : SapTypeNsap, bytes);
    }

    /// <summary>The ATM address of a SAP made by <see cref="Sap"/>.</summary>
    public static bool TryGetSapAddress(CoSap sap, out AtmAddress address)
    {
        ArgumentNullException.ThrowIfNull(sap);
        address = default;
        return sap.SapType is SapTypeE164 or SapTypeNsap && AtmAddress.TryReadStructure(sap.Sap.Span, out address) && !address.IsEmpty;
    }

    /// <summary>Parameters for an outgoing call described by <paramref name="call"/> (the caller's Transmit is Q.2931's forward direction).</summary>
    public static CoCallParameters ForCall(Q2931CallManagerParameters call)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (call.CalledParty.IsEmpty)
            throw new ArgumentException("An outgoing call needs a called party.", nameof(call));
        return Build(call, callingSide: true, media: null);
    }

    /// <summary>Parameters for a call to <paramref name="calledParty"/>, best effort both ways, with <paramref name="encapsulation"/>.</summary>
    public static CoCallParameters ForCall(AtmAddress calledParty, Rfc2684Encapsulation encapsulation = Rfc2684Encapsulation.LlcSnapRouted, int maxSdu = Q2931CallManagerParameters.DefaultMaxSdu) =>
        ForCall(new Q2931CallManagerParameters { CalledParty = calledParty, Encapsulation = encapsulation, ForwardMaxSdu = maxSdu, BackwardMaxSdu = maxSdu });

    /// <summary>The parameters of a call as the given side holds them: FLOWSPECs of its sending and receiving directions, the Q.2931 part, the media part if any.</summary>
    internal static CoCallParameters Build(Q2931CallManagerParameters call, bool callingSide, AtmMediaParameters? media, CallParametersFlags flags = CallParametersFlags.None)
    {
        var transmit = callingSide ? call.Forward.ToFlowSpec((uint)call.ForwardMaxSdu) : call.Backward.ToFlowSpec((uint)call.BackwardMaxSdu);
        var receive = callingSide ? call.Backward.ToFlowSpec((uint)call.BackwardMaxSdu) : call.Forward.ToFlowSpec((uint)call.ForwardMaxSdu);
        var specific = media is null ? CoSpecificParameters.None : new CoSpecificParameters(AtmMediaParameters.ParamType, media.Encode());
        return new CoCallParameters(
            new CoCallManagerParameters(transmit, receive, new CoSpecificParameters(Q2931CallManagerParameters.ParamType, call.Encode())),
            new CoMediaParameters(MediaParametersFlags.TransmitVc | MediaParametersFlags.ReceiveVc, 0, receive.MaxSduSize, specific),
            flags);
    }

    /// <summary>The Q.2931 part of <paramref name="parameters"/>, if they carry one.</summary>
    public static bool TryGetCallManagerParameters(CoCallParameters? parameters, out Q2931CallManagerParameters? call)
    {
        call = null;
        var specific = parameters?.CallMgrParameters?.CallMgrSpecific;
        return specific is not null && specific.ParamType == Q2931CallManagerParameters.ParamType
            && Q2931CallManagerParameters.TryDecode(specific.Parameters.Span, out call);
    }

    /// <summary>The media part (VPI/VCI, flows) of <paramref name="parameters"/>, if they carry one.</summary>
    public static bool TryGetMediaParameters(CoCallParameters? parameters, out AtmMediaParameters? media)
    {
        media = null;
        var specific = parameters?.MediaParameters?.MediaSpecific;
        return specific is not null && specific.ParamType == AtmMediaParameters.ParamType && AtmMediaParameters.TryDecode(specific.Parameters.Span, out media);
    }

    /// <summary>
    /// A copy of <paramref name="parameters"/> whose media part opens the VC on <paramref name="vpi"/>/<paramref name="vci"/>
    /// with flows from its FLOWSPECs (what a call manager hands NdisCmActivateVc).
    /// </summary>
    public static CoCallParameters WithConnection(CoCallParameters parameters, int vpi, int vci)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var cm = parameters.CallMgrParameters;
        var media = new AtmMediaParameters(vpi, vci,
            AtmFlowParameters.From(AtmTrafficDescriptor.FromFlowSpec(cm.Transmit), SduOf(cm.Transmit)),
            AtmFlowParameters.From(AtmTrafficDescriptor.FromFlowSpec(cm.Receive), SduOf(cm.Receive)));
        return new CoCallParameters(cm, parameters.MediaParameters with { MediaSpecific = new CoSpecificParameters(AtmMediaParameters.ParamType, media.Encode()) }, parameters.Flags);
    }

    /// <summary>Parameters of a permanent VC on <paramref name="vpi"/>/<paramref name="vci"/> carrying <paramref name="call"/>'s encapsulation and traffic.</summary>
    public static CoCallParameters ForPermanentVc(int vpi, int vci, Q2931CallManagerParameters? call = null)
    {
        call ??= new Q2931CallManagerParameters();
        var parameters = Build(call, callingSide: true, media: null, CallParametersFlags.PermanentVc);
        return WithConnection(parameters, vpi, vci);
    }

    private static uint SduOf(FlowSpec flow) => flow.MaxSduSize is FlowSpec.NotSpecified or 0 ? Q2931CallManagerParameters.DefaultMaxSdu : flow.MaxSduSize;
}
