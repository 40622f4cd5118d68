namespace CoNdis.NetBufferCore.CoNdis;

/// <summary>CO_CALL_MANAGER_PARAMETERS: transmit and receive FLOWSPECs and call-manager-specific data.</summary>
public sealed record CoCallManagerParameters(FlowSpec Transmit, FlowSpec Receive, CoSpecificParameters CallMgrSpecific);
