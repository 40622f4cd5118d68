using System.Buffers.Binary;
using CoNdis.NetBufferCore.CoNdis;

namespace CoNdis.Hardware.Miniports;

/// <summary>
/// The device's address family and how its calls say what they need in CO_CALL_PARAMETERS: the called SAP in the
/// call-manager-specific part (as Q.2931's called party number is), and the link channels the call manager bound
/// in the media-specific part (as ATM's VPI/VCI is), which the miniport reads in MiniportCoActivateVc.
/// </summary>
public static class DeviceCallParameters
{
    /// <summary>The AF both the integrated and the stand-alone call manager register (NDIS_AF value 0x4E49, version 1.0).</summary>
    public static CoAddressFamily AddressFamily { get; } = new(0x4E49, 1, 0);

    /// <summary>CO_SPECIFIC_PARAMETERS.ParamType of the called SAP (SapType, then the SAP bytes).</summary>
    public const uint CalledSapParamType = 0x4E490001;

    /// <summary>CO_SPECIFIC_PARAMETERS.ParamType of the channel binding (transmit, receive: two little-endian ULONGs).</summary>
    public const uint ChannelParamType = 0x4E490002;

    /// <summary>Parameters for an outgoing call to <paramref name="calledSap"/> (best effort, both directions).</summary>
    public static CoCallParameters ForCall(CoSap calledSap, uint maxSduSize = 9216)
    {
        ArgumentNullException.ThrowIfNull(calledSap);
        var bytes = new byte[4 + calledSap.Sap.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, calledSap.SapType);
        calledSap.Sap.Span.CopyTo(bytes.AsSpan(4));
        var parameters = CoCallParameters.BestEffort(maxSduSize);
        parameters.CallMgrParameters = parameters.CallMgrParameters with { CallMgrSpecific = new CoSpecificParameters(CalledSapParamType, bytes) };
        return parameters;
    }

    /// <summary>The called SAP of an outgoing call, if its parameters name one.</summary>
    public static bool TryGetCalledSap(CoCallParameters parameters, out CoSap? calledSap)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var specific = parameters.CallMgrParameters.CallMgrSpecific;
        if (specific.ParamType != CalledSapParamType || specific.Parameters.Length < 4)
        {
            calledSap = null;
            return false;
        }
        var span = specific.Parameters.Span;
        calledSap = new CoSap(BinaryPrimitives.ReadUInt32LittleEndian(span), span[4..].ToArray());
        return true;
    }

    /// <summary>A copy of <paramref name="parameters"/> whose media-specific part binds <paramref name="channels"/>.</summary>
    public static CoCallParameters WithChannels(CoCallParameters parameters, ChannelBinding channels)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, channels.Transmit);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), channels.Receive);
        return new CoCallParameters(parameters.CallMgrParameters,
            parameters.MediaParameters with { MediaSpecific = new CoSpecificParameters(ChannelParamType, bytes) }, parameters.Flags);
    }

    /// <summary>Best-effort parameters binding <paramref name="channels"/> (a permanent VC, or a call manager's own VC).</summary>
    public static CoCallParameters ForChannels(ChannelBinding channels, uint maxSduSize = 9216, CallParametersFlags flags = CallParametersFlags.None)
    {
        var parameters = WithChannels(CoCallParameters.BestEffort(maxSduSize), channels);
        parameters.Flags = flags;
        return parameters;
    }

    /// <summary>The channel binding a miniport reads at activation; false when the parameters carry none (or it is malformed).</summary>
    public static bool TryGetChannels(CoCallParameters? parameters, out ChannelBinding channels)
    {
        channels = default;
        var specific = parameters?.MediaParameters?.MediaSpecific;
        if (specific is null || specific.ParamType != ChannelParamType || specific.Parameters.Length != 8)
            return false;
        var span = specific.Parameters.Span;
        channels = new ChannelBinding(BinaryPrimitives.ReadInt32LittleEndian(span), BinaryPrimitives.ReadInt32LittleEndian(span[4..]));
        return channels.Transmit >= 0 && channels.Receive >= 0;
    }
}
