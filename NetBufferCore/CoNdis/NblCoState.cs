namespace CoNdis.NetBufferCore.CoNdis;

/// <summary>Where an NBL is on the CoNDIS data path (the runtime's per-NBL bookkeeping).</summary>
internal static class NblCoState
{
    public const int Idle = 0;
    public const int Sent = 1;
    public const int Completed = 2;
    public const int Indicated = 3;
    public const int Returned = 4;

    /// <summary>Written into a reserved area the previous owner must no longer touch; checked at the next hand-off.</summary>
    public static readonly object Poison = new PoisonMarker();

    private sealed class PoisonMarker
    {
        public override string ToString() => "<poison: owner changed>";
    }
}
