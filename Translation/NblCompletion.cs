using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.Pools;

namespace CoNdis.Translation;

/// <summary>
/// Completion state of one NBL split into packets: a reference per packet built plus a bias reference
/// held while the NBL is still being split, the first failure observed and the LSO v1 bytes sent. The NBL
/// completes exactly once, when the count reaches zero (ARCHITECTURE.md, "Complete on the last piece").
/// Pooled; found from each packet through the packet's WrapperReservedEx.
/// </summary>
internal sealed class NblCompletion : NdisPoolObject
{
    /// <summary>Reference a receive indication holds while the 5.x client's handler runs.</summary>
    public const int ReceiveBias = 1 << 30;

    private int _references;
    private uint _firstFailure;
    private long _lsoBytes;

    public NetBufferList? NetBufferList { get; private set; }

    /// <summary>True when the NBL asked for LSO v1 (bytes sent are written back at completion).</summary>
    public bool LargeSend { get; private set; }

    /// <summary>Starts tracking <paramref name="nbl"/> with the bias reference taken.</summary>
    public void Begin(NetBufferList nbl, bool largeSend)
    {
        NetBufferList = nbl;
        LargeSend = largeSend;
        _firstFailure = (uint)NdisStatus.Success;
        _lsoBytes = 0;
        Volatile.Write(ref _references, 1);
    }

    public void AddReference() => Interlocked.Increment(ref _references);

    /// <summary>Adds <paramref name="delta"/> references; true when that took the count to zero.</summary>
    public bool AddReferences(int delta) => Interlocked.Add(ref _references, delta) == 0;

    /// <summary>Drops one reference; true when it was the last.</summary>
    public bool Release() => Interlocked.Decrement(ref _references) == 0;

    /// <summary>Keeps <paramref name="status"/> if it is the first failure seen.</summary>
    public void RecordStatus(NdisStatus status)
    {
        if (status != NdisStatus.Success)
            Interlocked.CompareExchange(ref _firstFailure, (uint)status, (uint)NdisStatus.Success);
    }

    public void AddLargeSendBytes(uint bytes) => Interlocked.Add(ref _lsoBytes, bytes);

    public NdisStatus FinalStatus => (NdisStatus)Volatile.Read(ref _firstFailure);

    public long LargeSendBytes => Interlocked.Read(ref _lsoBytes);

    public void Clear() => NetBufferList = null;
}
