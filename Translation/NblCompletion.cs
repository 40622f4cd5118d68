using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.Pools;

namespace CoNdis.Translation;

/// <summary>
/// Completion state of one NBL split into packets: a reference per packet built plus a bias reference
/// held while the NBL is still being split, the first failure observed and the LSO v1 bytes sent. The NBL
/// completes exactly once, when the count reaches zero (ARCHITECTURE.md, "Complete on the last piece").
/// Pooled; found from each packet through the packet's WrapperReservedEx. The NBL itself is not kept here:
/// each packet names it in its OriginalNetBufferList slot, the one place that link lives.
/// </summary>
internal sealed class NblCompletion : NdisPoolObject
{
    private int _references;
    private uint _firstFailure;
    private long _lsoBytes;

    /// <summary>True when the NBL asked for LSO v1 (bytes sent are written back at completion).</summary>
    public bool LargeSend { get; private set; }

    /// <summary>Starts tracking an NBL with the bias reference taken.</summary>
    public void Begin(bool largeSend)
    {
        LargeSend = largeSend;
        _firstFailure = (uint)NdisStatus.Success;
        _lsoBytes = 0;
        Volatile.Write(ref _references, 1);
    }

    public void AddReference() => Interlocked.Increment(ref _references);

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
}
