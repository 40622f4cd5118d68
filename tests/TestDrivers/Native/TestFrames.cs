using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.Memory;
using CoNdis.NetBufferCore.Pools;

namespace CoNdis.TestDrivers;

/// <summary>
/// Frames for the test drivers, the tests and the benchmarks: deterministic contents, NET_BUFFERs over pooled memory
/// split into several MDLs (and freed again), MDL chains describing consecutive slices of one memory block.
/// </summary>
public static class TestFrames
{
    /// <summary>An NB holding a copy of <paramref name="frame"/> in <paramref name="mdls"/> MDLs, each with pooled memory of the handle.</summary>
    public static NetBuffer Build(NdisHandle handle, NetBufferPool pool, byte[] frame, int mdls)
    {
        ArgumentNullException.ThrowIfNull(handle);
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(frame);
        var sizes = Split(frame.Length, Math.Clamp(mdls, 1, Math.Max(1, frame.Length)));
        var head = Chain(sizes, (at, length) =>
        {
            var mdl = handle.Mdls.AllocateWithMemory(handle.Memory, length, MdlOrigin.AllocateMdl)
                ?? throw new InvalidOperationException("test MDL pool exhausted");
            frame.AsSpan(at, length).CopyTo(mdl.Span);
            return mdl;
        });
        return pool.AllocateNetBuffer(head, 0, frame.Length) ?? throw new InvalidOperationException("test NB pool exhausted");
    }

    /// <summary>Frees an NB made by <see cref="Build"/> with its MDLs and their memory.</summary>
    public static void Free(NetBuffer nb)
    {
        ArgumentNullException.ThrowIfNull(nb);
        var chain = nb.MdlChain;
        nb.Initialize(null, 0, 0);
        MdlChainBuilder.FreeChain(chain);
        Ndis.FreeNetBuffer(nb);
    }

    /// <summary>An MDL chain (NdisAllocateMdl each) describing consecutive slices of <paramref name="memory"/> of the given sizes.</summary>
    public static Mdl? Describe(NdisHandle handle, NdisMemory memory, IReadOnlyList<int> sizes)
    {
        ArgumentNullException.ThrowIfNull(handle);
        return Chain(sizes, (at, length) => handle.Mdls.Allocate(memory.Slice(at, length)) ?? throw new InvalidOperationException("test MDL pool exhausted"));
    }

    /// <summary><paramref name="total"/> bytes in <paramref name="pieces"/> parts: equal, the remainder in the last.</summary>
    public static int[] Split(int total, int pieces)
    {
        var sizes = new int[pieces];
        for (int i = 0; i < pieces; i++)
            sizes[i] = total / pieces;
        sizes[^1] += total % pieces;
        return sizes;
    }

    /// <summary>Deterministic frame contents: length <paramref name="length"/>, seeded by <paramref name="seed"/>.</summary>
    public static byte[] Make(int seed, int length)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        if (length >= 4)
            BitConverter.TryWriteBytes(bytes, seed);
        return bytes;
    }

    /// <summary>Links the MDLs <paramref name="piece"/> makes for each (offset, length) of consecutive parts of the given sizes.</summary>
    public static Mdl? Chain(IReadOnlyList<int> sizes, Func<int, int, Mdl> piece)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        ArgumentNullException.ThrowIfNull(piece);
        Mdl? head = null, tail = null;
        int at = 0;
        foreach (int size in sizes)
        {
            var mdl = piece(at, size);
            at += size;
            if (tail is null)
                head = mdl;
            else
                tail.Next = mdl;
            tail = mdl;
        }
        return head;
    }
}
