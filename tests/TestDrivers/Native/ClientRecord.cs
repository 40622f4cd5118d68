namespace CoNdis.TestDrivers;

/// <summary>
/// What a test client saw, kept for assertions (thread-safe): its completed sends, the frames it received with their
/// 802.1Q info, and the receives it holds (<typeparamref name="THeld"/>: an NBL, a packet) until the test returns them.
/// Shared by the NDIS 6 and the NDIS 5.x test clients.
/// </summary>
public sealed class ClientRecord<THeld>
{
    private readonly object _sync = new();
    private readonly List<CompletedSend> _completed = [];
    private readonly List<byte[]> _received = [];
    private readonly List<uint> _receivedTags = [];
    private readonly List<THeld> _held = [];

    public IReadOnlyList<CompletedSend> Completed
    {
        get { lock (_sync) return [.. _completed]; }
    }

    public IReadOnlyList<byte[]> Received
    {
        get { lock (_sync) return [.. _received]; }
    }

    public IReadOnlyList<uint> ReceivedIeee8021Q
    {
        get { lock (_sync) return [.. _receivedTags]; }
    }

    public int HeldCount
    {
        get { lock (_sync) return _held.Count; }
    }

    public void AddCompleted(CompletedSend send)
    {
        lock (_sync)
            _completed.Add(send);
    }

    /// <summary>Keeps a received frame (a copy) with the 802.1Q info it carried; <paramref name="hold"/> keeps the receive itself too.</summary>
    public void AddReceived(byte[] frame, uint ieee8021Q, THeld? hold)
    {
        lock (_sync)
        {
            _received.Add(frame);
            _receivedTags.Add(ieee8021Q);
            if (hold is not null)
                _held.Add(hold);
        }
    }

    /// <summary>Takes every held receive, shuffled by <paramref name="seed"/> and cut into groups of one to <paramref name="largest"/>.</summary>
    public List<THeld[]> TakeHeldInRandomGroups(int seed, int largest)
    {
        THeld[] held;
        lock (_sync)
        {
            held = [.. _held];
            _held.Clear();
        }
        var random = new Random(seed);
        var shuffled = held.OrderBy(_ => random.Next()).ToArray();
        var groups = new List<THeld[]>();
        for (int at = 0; at < shuffled.Length;)
        {
            int size = Math.Min(random.Next(1, largest + 1), shuffled.Length - at);
            groups.Add(shuffled[at..(at + size)]);
            at += size;
        }
        return groups;
    }
}
