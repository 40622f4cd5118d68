using Microsoft.Extensions.Logging;

namespace CoNdis.NetBufferCore.CoNdis;

/// <summary>The runtime's log messages (source-generated: nothing is formatted unless the level is on).</summary>
internal static partial class CoNdisLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "{Adapter}: address family {AddressFamily} registered by {CallManager}")]
    public static partial void AddressFamilyRegistered(ILogger logger, CoMiniportAdapter adapter, uint addressFamily, string callManager);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "{Vc} created on {Adapter} by the {Creator}")]
    public static partial void VcCreated(ILogger logger, VirtualConnection vc, CoMiniportAdapter adapter, string creator);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "{Vc} deleted")]
    public static partial void VcDeleted(ILogger logger, VirtualConnection vc);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "{Vc} activation: {Activation} ({Status})")]
    public static partial void VcActivation(ILogger logger, VirtualConnection vc, ActivationState activation, NdisStatus status);

    [LoggerMessage(EventId = 104, Level = LogLevel.Information, Message = "{Vc} call state {From} -> {To} ({Ddi})")]
    public static partial void VcCallState(ILogger logger, VirtualConnection vc, VcState from, VcState to, string ddi);

    [LoggerMessage(EventId = 105, Level = LogLevel.Debug, Message = "{Vc}: {Count} send NBL(s) refused with {Status} (call state {State})")]
    public static partial void SendsRefused(ILogger logger, VirtualConnection vc, int count, NdisStatus status, VcState state);

    [LoggerMessage(EventId = 106, Level = LogLevel.Warning, Message = "{Vc}: receive indication of {Count} NBL(s) refused (call state {State}, activation {Activation})")]
    public static partial void IndicationRefused(ILogger logger, VirtualConnection vc, int count, VcState state, ActivationState activation);

    [LoggerMessage(EventId = 110, Level = LogLevel.Trace, Message = "{Vc}: send {Count} NBL(s)")]
    public static partial void Send(ILogger logger, VirtualConnection vc, int count);

    [LoggerMessage(EventId = 111, Level = LogLevel.Trace, Message = "{Vc}: send complete {Count} NBL(s)")]
    public static partial void SendComplete(ILogger logger, VirtualConnection vc, int count);

    [LoggerMessage(EventId = 112, Level = LogLevel.Trace, Message = "{Vc}: indicate {Count} NBL(s), flags {Flags}")]
    public static partial void Indicate(ILogger logger, VirtualConnection vc, int count, ReceiveFlags flags);

    [LoggerMessage(EventId = 113, Level = LogLevel.Trace, Message = "return {Count} NBL(s)")]
    public static partial void Return(ILogger logger, int count);
}
