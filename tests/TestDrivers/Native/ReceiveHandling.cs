namespace CoNdis.TestDrivers;

/// <summary>How a test client treats receives indicated without the resources flag.</summary>
public enum ReceiveHandling
{
    /// <summary>Return each receive before the indication returns (NdisReturnNetBufferLists, or a count of 0).</summary>
    ReturnAtOnce,
    /// <summary>Keep them until the test calls <see cref="IConformanceClient.ReturnHeld"/>.</summary>
    Hold,
}
