using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.Pools;

namespace CoNdis.Translation;

/// <summary>
/// Completion state of one NBL of several NET_BUFFERs split into packets: a count preset to the NBL's NB count (one
/// reference per NB, given back when its packet completes or when it is rejected), the first failure observed and
/// the LSO v1 bytes sent. The NBL completes exactly once, when the count reaches zero (ARCHITECTURE.md, "Complete on
/// the last piece"). Pooled; found from each packet through the packet's WrapperReservedEx. The NBL itself is not kept
/// here: each packet names it in its OriginalNetBufferList slot, the one place that link lives. An NBL of one NB needs
/// no record: its packets carry <see cref="Single"/>.
/// </summary>
internal sealed class NblCompletion : NdisPoolObject
{
    /// <summary>The marker a packet carries when it is its NBL's only piece.</summary>
    public static readonly NblCompletion Single = new();

    private int _references;
    private uint _firstFailure;
    private long _lsoBytes;

    /// <summary>True when the NBL asked for LSO v1 (bytes sent are written back at completion).</summary>
    public bool LargeSend { get; private set; }

    /// <summary>Starts tracking an NBL of <paramref name="netBuffers"/> NBs.</summary>
    public void Begin(bool largeSend, int netBuffers)
    {
        LargeSend = largeSend;
        _firstFailure = (uint)NdisStatus.Success;
        _lsoBytes = 0;
        Volatile.Write(ref _references, netBuffers);
    }

    /// <summary>Gives back <paramref name="count"/> references; true when that took the count to zero.</summary>
    public bool Release(int count) => Interlocked.Add(ref _references, -count) == 0;

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
