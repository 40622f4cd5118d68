namespace CoNdis.TestDrivers;

/// <summary>One completed send as a test client saw it: its tag, its status, the frames it carried.</summary>
public sealed record CompletedSend(int Tag, NetBufferCore.NdisStatus Status, byte[][] Frames);
