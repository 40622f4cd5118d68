namespace CoNdis.NetBufferCore.CoNdis;

/// <summary>The events that move a VC's call state (see <see cref="VirtualConnection.Transition"/>).</summary>
public enum VcAction
{
    MakeCall,
    MakeCallSucceeded,
    MakeCallFailed,
    DispatchIncomingCall,
    AcceptIncomingCall,
    RejectIncomingCall,
    CallConnected,
    CloseCall,
    IncomingCloseCall,
    CloseCallSucceeded,
    CloseCallFailed,
    Delete,
}
