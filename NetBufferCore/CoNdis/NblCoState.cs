namespace CoNdis.NetBufferCore.CoNdis;

/// <summary>Where an NBL is on the CoNDIS data path (the runtime's per-NBL bookkeeping).</summary>
internal static class NblCoState
{
    public const int Idle = 0;
    public const int Sent = 1;
    public const int Completed = 2;
    public const int Indicated = 3;
    public const int Returned = 4;

}
