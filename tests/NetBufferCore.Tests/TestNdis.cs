using CoNdis.NetBufferCore.Memory;
using CoNdis.NetBufferCore.Pools;
using CoNdis.NetBufferCore.Verifier;

namespace CoNdis.NetBufferCore.Tests;

/// <summary>A strict-verifier NDIS handle with pools, and builders for NBs over chosen MDL layouts.</summary>
internal sealed class TestNdis
{
    public TestNdis(VerifierMode mode = VerifierMode.Strict, int capacity = 4096)
    {
        Verifier = new NdisVerifier(mode);
        Handle = new NdisHandle("test", Verifier, capacity);
        NetBufferLists = new NetBufferListPool(Handle, new NetBufferListPoolParameters(), capacity, "test NBLs");
        NetBuffers = new NetBufferPool(Handle, new NetBufferPoolParameters(), capacity, "test NBs");
    }

    public NdisVerifier Verifier { get; }

    public NdisHandle Handle { get; }

    public NetBufferListPool NetBufferLists { get; }

    public NetBufferPool NetBuffers { get; }

    /// <summary>An MDL chain with the given sizes over fresh pinned memory, filled with <paramref name="fill"/>.</summary>
    public Mdl? Chain(IReadOnlyList<int> sizes, Func<int, byte>? fill = null) =>
        TestDrivers.TestFrames.Chain(sizes, (position, size) =>
        {
            var memory = NdisMemory.AllocatePinned(size); // each MDL over memory of its own
            for (int i = 0; i < size; i++)
                memory.Span[i] = fill is null ? (byte)(position + i) : fill(position + i);
            return Handle.Mdls.Allocate(memory)!;
        });

    /// <summary>An NB whose chain has the given MDL sizes, used data at [offset, offset+length).</summary>
    public NetBuffer NetBuffer(IReadOnlyList<int> sizes, int offset, int length, Func<int, byte>? fill = null) =>
        NetBuffers.AllocateNetBuffer(Chain(sizes, fill), offset, length)!;

    /// <summary>An NBL holding the given NBs, in order.</summary>
    public NetBufferList NetBufferList(params NetBuffer[] netBuffers)
    {
        var nbl = NetBufferLists.AllocateNetBufferList()!;
        NetBuffer? last = null;
        foreach (var nb in netBuffers)
        {
            if (last is null)
                nbl.FirstNetBuffer = nb;
            else
                last.Next = nb;
            last = nb;
        }
        return nbl;
    }

    /// <summary>Frees an NBL made by <see cref="NetBufferList"/> with its NBs and their MDLs.</summary>
    public void FreeAll(NetBufferList nbl)
    {
        var nb = nbl.FirstNetBuffer;
        nbl.FirstNetBuffer = null;
        while (nb is not null)
        {
            var next = nb.Next;
            nb.Next = null;
            FreeNetBuffer(nb);
            nb = next;
        }
        NetBufferLists.FreeNetBufferList(nbl);
    }

    /// <summary>Frees an NB made by <see cref="NetBuffer"/> and the MDLs of its chain.</summary>
    public void FreeNetBuffer(NetBuffer nb)
    {
        var chain = nb.MdlChain;
        nb.Initialize(null, 0, 0);
        while (chain is not null)
        {
            var next = chain.Next;
            chain.Next = null;
            Handle.Mdls.Free(chain);
            chain = next;
        }
        NetBuffers.FreeNetBuffer(nb);
    }

    /// <summary>True when no NBL, NB or MDL is outstanding.</summary>
    public void AssertNothingOutstanding()
    {
        Assert.Equal(0, NetBufferLists.Counters.Outstanding);
        Assert.Equal(0, NetBuffers.Counters.Outstanding);
        Assert.Equal(0, Handle.Mdls.Counters.Outstanding);
        foreach (var pool in Handle.Memory.Classes)
            Assert.Equal(0, pool.Counters.Outstanding);
        Assert.Equal(0, Verifier.FindingCount);
    }

    public static byte[] Bytes(NetBuffer nb) => nb.ToArray();
}
