namespace CoNdis.NetBufferCore.CoNdis;

/// <summary>The call state of a VC (its activation is tracked separately, in <see cref="ActivationState"/>).</summary>
public enum VcState
{
    /// <summary>The VC exists and carries no call (new, or after a close completed).</summary>
    Created,
    /// <summary>An outgoing call was made (NdisClMakeCall) and has not completed.</summary>
    Calling,
    /// <summary>An incoming call was dispatched to the client, which has not answered.</summary>
    Offered,
    /// <summary>The client accepted the incoming call; the call manager has not yet said it is connected.</summary>
    Accepted,
    /// <summary>The call is up: data may flow.</summary>
    Connected,
    /// <summary>The remote closed the call; the client must close it too. No sends.</summary>
    IncomingClose,
    /// <summary>The client is closing the call. No sends.</summary>
    Closing,
    /// <summary>The VC was deleted; its handle is invalid.</summary>
    Deleted,
}
