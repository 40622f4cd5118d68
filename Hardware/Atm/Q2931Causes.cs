using CoNdis.NetBufferCore;

namespace CoNdis.Hardware.Atm;

/// <summary>Q.2931 cause values (Q.2931 Annex C, Q.850) and the NDIS statuses an NDIS ATM call manager completes calls with for them.</summary>
public static class Q2931Causes
{
    public const byte UnallocatedNumber = 1;
    public const byte NoRouteToDestination = 3;
    public const byte NormalCallClearing = 16;
    public const byte UserBusy = 17;
    public const byte CallRejected = 21;
    public const byte DestinationOutOfOrder = 27;
    public const byte NormalUnspecified = 31;
    public const byte RequestedVpciVciNotAvailable = 35;
    public const byte UserCellRateNotAvailable = 37;
    public const byte NoVpciVciAvailable = 45;
    public const byte ResourcesUnavailable = 47;
    public const byte QualityOfServiceUnavailable = 49;
    public const byte AalParametersNotSupported = 93;
    public const byte InvalidInformationElementContents = 100;

    /// <summary>The status a client's make-call (or incoming close) completes with for <paramref name="cause"/>.</summary>
    public static NdisStatus ToStatus(byte cause) => cause switch
    {
        NormalCallClearing => NdisStatus.Success,
        UnallocatedNumber => NdisStatus.InvalidAddress,
        NoRouteToDestination => NdisStatus.NoRouteToDestination,
        UserBusy or CallRejected => NdisStatus.NotAccepted,
        DestinationOutOfOrder => NdisStatus.DestOutOfOrder,
        RequestedVpciVciNotAvailable or NoVpciVciAvailable => NdisStatus.VcNotAvailable,
        UserCellRateNotAvailable => NdisStatus.CellRateNotAvailable,
        ResourcesUnavailable => NdisStatus.Resources,
        QualityOfServiceUnavailable => NdisStatus.IncompatableQos,
        AalParametersNotSupported => NdisStatus.AalParamsUnsupported,
        InvalidInformationElementContents => NdisStatus.InvalidData,
        _ => NdisStatus.Failure,
    };

    /// <summary>The cause a call manager signals for a call that ends with <paramref name="status"/>.</summary>
    public static byte FromStatus(NdisStatus status) => status switch
    {
        NdisStatus.Success => NormalCallClearing,
        NdisStatus.InvalidAddress or NdisStatus.InvalidSap => UnallocatedNumber,
        NdisStatus.NoRouteToDestination => NoRouteToDestination,
        NdisStatus.NotAccepted => CallRejected,
        NdisStatus.DestOutOfOrder => DestinationOutOfOrder,
        NdisStatus.VcNotAvailable => NoVpciVciAvailable,
        NdisStatus.CellRateNotAvailable => UserCellRateNotAvailable,
        NdisStatus.Resources => ResourcesUnavailable,
        NdisStatus.IncompatableQos => QualityOfServiceUnavailable,
        NdisStatus.AalParamsUnsupported => AalParametersNotSupported,
        NdisStatus.InvalidData => InvalidInformationElementContents,
        _ => NormalUnspecified,
    };
}
