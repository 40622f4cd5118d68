using CoNdis.LegacyPacket.CoNdis5;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;

namespace CoNdis.Reliability.Tests;

/// <summary>A soak client's context for one VC (its ProtocolVcContext): what it received on it, and its call's state.</summary>
internal sealed class SoakVc
{
    private long _received;
    private long _intact;
    private int _closeRequested;
    private long _sendsInFlight;

    /// <summary>The runtime VC (NdisVcHandle of the NBL side).</summary>
    public VirtualConnection Runtime { get; set; } = null!;

    /// <summary>The 5.x VC a 5.x client sends on (null for a native client).</summary>
    public LegacyCoVc? Legacy { get; set; }

    /// <summary>Created by the call manager (an incoming call or a PVC): the call manager deletes it.</summary>
    public bool Incoming { get; init; }

    public NdisStatusHolder MakeCall { get; } = new();

    public NdisStatusHolder CloseCall { get; } = new();

    /// <summary>The client heard ProtocolClIncomingCloseCall (or was told to close) and has not closed yet.</summary>
    public bool CloseRequested => Volatile.Read(ref _closeRequested) == 1;

    public volatile bool Deleted;

    public long Received => Interlocked.Read(ref _received);

    public long Intact => Interlocked.Read(ref _intact);

    public void CountReceive(bool intact)
    {
        Interlocked.Increment(ref _received);
        if (intact)
            Interlocked.Increment(ref _intact);
    }

    /// <summary>Sends handed down on this VC and not completed yet.</summary>
    public long SendsInFlight => Interlocked.Read(ref _sendsInFlight);

    public void AddSends(int count) => Interlocked.Add(ref _sendsInFlight, count);

    public void CompleteSends(int count) => Interlocked.Add(ref _sendsInFlight, -count);

    public void RequestClose() => Volatile.Write(ref _closeRequested, 1);

    /// <summary>True once: the caller that wins closes the call.</summary>
    public bool TakeClose() => Interlocked.CompareExchange(ref _closeRequested, 2, 1) == 1;

    /// <summary>A status that an asynchronous completion fills in.</summary>
    internal sealed class NdisStatusHolder
    {
        private volatile object? _status;

        public NdisStatus? Value => (NdisStatus?)_status;

        public void Set(NdisStatus status) => _status = status;
    }
}
