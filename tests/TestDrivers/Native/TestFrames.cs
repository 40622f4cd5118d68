using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.Pools;

namespace CoNdis.TestDrivers;

/// <summary>Builds NBs over pooled memory from frame bytes (split into several MDLs) and frees them again.</summary>
public static class TestFrames
{
    /// <summary>An NB holding <paramref name="frame"/> in <paramref name="mdls"/> MDLs (pooled memory of the handle).</summary>
    public static NetBuffer Build(NdisHandle handle, NetBufferPool pool, ReadOnlySpan<byte> frame, int mdls)
    {
        mdls = Math.Clamp(mdls, 1, Math.Max(1, frame.Length));
        Mdl? head = null, tail = null;
        int done = 0;
        for (int i = 0; i < mdls; i++)
        {
            int length = i == mdls - 1 ? frame.Length - done : frame.Length / mdls;
            var mdl = handle.Mdls.AllocateWithMemory(handle.Memory, length, MdlOrigin.AllocateMdl)
                ?? throw new InvalidOperationException("test MDL pool exhausted");
            frame.Slice(done, length).CopyTo(mdl.Span);
            done += length;
            if (tail is null)
                head = mdl;
            else
                tail.Next = mdl;
            tail = mdl;
        }
        return pool.AllocateNetBuffer(head, 0, frame.Length) ?? throw new InvalidOperationException("test NB pool exhausted");
    }

    /// <summary>Frees an NB made by <see cref="Build"/> with its MDLs and memory.</summary>
    public static void Free(NetBuffer nb)
    {
        var chain = nb.MdlChain;
        nb.Initialize(null, 0, 0);
        MdlChainBuilder.FreeChain(chain);
        Ndis.FreeNetBuffer(nb);
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
}
