using CoNdis.Hardware.Atm;
using CoNdis.Hardware.Miniports;
using CoNdis.NetBufferCore.CoNdis;

namespace CoNdis.Reliability.Tests;

/// <summary>
/// The call family a soak client opens (NdisClOpenAddressFamily's CO_ADDRESS_FAMILY) and how it builds the
/// CO_CALL_PARAMETERS of NdisClMakeCall to a SAP: the device's own family, or UNI 3.1 (Q.2931) on the ATM device.
/// </summary>
internal sealed record SoakCalls(CoAddressFamily AddressFamily, Func<CoSap, CoCallParameters> ForCall)
{
    public static readonly SoakCalls Device = new(DeviceCallParameters.AddressFamily, static sap => DeviceCallParameters.ForCall(sap));

    /// <summary>UNI calls to the SAP's E.164 number; the SDU crosses as it is (RFC 2684 null encapsulation: the soak's frames carry their own check).</summary>
    public static readonly SoakCalls Uni = new(AtmCallParameters.AddressFamily, static sap =>
        AtmCallParameters.TryGetSapAddress(sap, out var address)
            ? AtmCallParameters.ForCall(address, Rfc2684Encapsulation.None)
            : throw new ArgumentException("the SAP is not an ATM address", nameof(sap)));
}
