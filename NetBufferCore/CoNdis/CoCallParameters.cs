namespace CoNdis.NetBufferCore.CoNdis;

/// <summary>
/// CO_CALL_PARAMETERS: what a call asks of the network (call-manager parameters: the FLOWSPECs) and of the
/// medium (media parameters). The caller's object must stay valid until the matching completion.
/// </summary>
public sealed class CoCallParameters
{
    public CoCallParameters(CoCallManagerParameters callMgrParameters, CoMediaParameters mediaParameters, CallParametersFlags flags = CallParametersFlags.None)
    {
        CallMgrParameters = callMgrParameters;
        MediaParameters = mediaParameters;
        Flags = flags;
    }

    /// <summary>CO_CALL_PARAMETERS.Flags (the CM sets CallParametersChanged when it altered them).</summary>
    public CallParametersFlags Flags { get; set; }

    /// <summary>The call manager's part.</summary>
    public CoCallManagerParameters CallMgrParameters { get; set; }

    /// <summary>The medium's part.</summary>
    public CoMediaParameters MediaParameters { get; set; }

    /// <summary>A best-effort bidirectional call with the given SDU size and media-specific data.</summary>
    public static CoCallParameters BestEffort(uint maxSduSize, CoSpecificParameters? mediaSpecific = null) =>
        new(new CoCallManagerParameters(FlowSpec.BestEffort(maxSduSize), FlowSpec.BestEffort(maxSduSize), CoSpecificParameters.None),
            new CoMediaParameters(MediaParametersFlags.TransmitVc | MediaParametersFlags.ReceiveVc, 0, maxSduSize, mediaSpecific ?? CoSpecificParameters.None));
}
