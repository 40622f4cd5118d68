using CsCheck;

namespace CoNdis.NetBufferCore.Tests;

/// <summary>
/// Random sequences of NB operations against a flat byte[] model of the used data: after every step the
/// NB invariants hold and a reader sees exactly the model's bytes.
/// </summary>
public sealed class NetBufferPropertyTests
{
    private enum Op { Retreat, Advance, GetDataBuffer, Clone, FragmentAndReassemble, Write }

    private static readonly Gen<(int[] Sizes, uint OffsetSeed, uint LengthSeed, (Op Kind, int A, int B, int C)[] Ops)> s_scenarios =
        Gen.Select(
            Gen.Int[0, 64].Array[1, 8],
            Gen.UInt,
            Gen.UInt,
            Gen.Select(Gen.Enum<Op>(), Gen.Int[0, 1000], Gen.Int[0, 1000], Gen.Int[0, 1000]).Array[1, 40]);

    [Fact]
    public void Random_operations_keep_every_invariant_and_match_a_flat_model()
    {
        s_scenarios.Sample(scenario =>
        {
            var ndis = new TestNdis();
            int total = scenario.Sizes.Sum();
            int offset = (int)(scenario.OffsetSeed % (uint)(total + 1));
            int length = (int)(scenario.LengthSeed % (uint)(total - offset + 1));
            var nb = ndis.NetBuffer(scenario.Sizes, offset, length, i => (byte)(i * 7 + 3));
            var model = nb.ToArray().ToList();
            byte stamp = 1;

            foreach (var (kind, a, b, c) in scenario.Ops)
            {
                switch (kind)
                {
                    case Op.Retreat:
                        Retreat(nb, model, a % 80, b % 40, ref stamp);
                        break;
                    case Op.Advance:
                        int delta = a % (model.Count + 1);
                        nb.Advance(delta, freeMdl: b % 2 == 0, null);
                        model.RemoveRange(0, delta);
                        break;
                    case Op.GetDataBuffer:
                        CheckGetDataBuffer(nb, model, 1 + (a % (model.Count + 5)), withStorage: b % 2 == 0, alignMultiple: 1 << (c % 4));
                        break;
                    case Op.Clone:
                        CheckClone(ndis, nb, model, (b % 2 == 0) ? 0 : CloneFlags.UseOriginalMdls);
                        break;
                    case Op.FragmentAndReassemble:
                        CheckFragmentAndReassemble(ndis, nb, model, a % (model.Count + 1), 1 + (b % 50), c % 20);
                        break;
                    case Op.Write:
                        if (model.Count > 0)
                        {
                            int at = a % model.Count;
                            byte value = (byte)b;
                            WriteAt(nb, at, value);
                            model[at] = value;
                        }
                        break;
                }
                Assert.Null(nb.CheckInvariants());
                Assert.Equal(model.Count, nb.DataLength);
                Assert.Equal(model, nb.ToArray());
            }

            nb.Advance(nb.DataLength, freeMdl: true, null);
            Assert.Equal(0, nb.OutstandingRetreatAllocations);
            Assert.Null(nb.CheckInvariants());
            ndis.FreeNetBuffer(nb);
            ndis.AssertNothingOutstanding();
        }, iter: 400);
    }

    private static void Retreat(NetBuffer nb, List<byte> model, int delta, int backFill, ref byte stamp)
    {
        Assert.Equal(NdisStatus.Success, nb.Retreat(delta, backFill, null));
        var header = new byte[delta];
        for (int i = 0; i < delta; i++)
            header[i] = stamp++;
        int written = 0;
        foreach (var piece in nb.UsedData)
        {
            if (written == delta)
                break;
            int n = Math.Min(piece.Length, delta - written);
            header.AsSpan(written, n).CopyTo(piece);
            written += n;
        }
        model.InsertRange(0, header);
    }

    private static void WriteAt(NetBuffer nb, int at, byte value)
    {
        int position = 0;
        foreach (var piece in nb.UsedData)
        {
            if (at < position + piece.Length)
            {
                piece[at - position] = value;
                return;
            }
            position += piece.Length;
        }
        Assert.Fail($"offset {at} is not inside the used data");
    }

    private static void CheckGetDataBuffer(NetBuffer nb, List<byte> model, int needed, bool withStorage, int alignMultiple)
    {
        var storage = withStorage ? new byte[needed] : null;
        var result = nb.GetDataBuffer(needed, storage, alignMultiple, 0);
        if (needed > model.Count)
        {
            Assert.True(result.IsEmpty);
            return;
        }
        var start = new MdlPosition(nb.CurrentMdl, nb.CurrentMdlOffset).Canonical();
        bool direct = start.Mdl!.ByteCount - start.Offset >= needed
            && ((start.Mdl.VirtualAddress + start.Offset) & (alignMultiple - 1)) == 0;
        Assert.Equal(!direct && !withStorage, result.IsEmpty);
        if (!result.IsEmpty)
            Assert.Equal(model.Take(needed), result.ToArray());
    }

    private static void CheckClone(TestNdis ndis, NetBuffer nb, List<byte> model, uint flags)
    {
        var original = ndis.NetBufferList(nb);
        var clone = Ndis.AllocateCloneNetBufferList(original, null, null, flags)!;
        Assert.Equal(model, clone.FirstNetBuffer!.ToArray());
        Assert.Null(clone.FirstNetBuffer.CheckInvariants());
        Ndis.FreeCloneNetBufferList(clone, flags);
        original.FirstNetBuffer = null;
        ndis.NetBufferLists.FreeNetBufferList(original);
    }

    private static void CheckFragmentAndReassemble(TestNdis ndis, NetBuffer nb, List<byte> model, int start, int maximum, int header)
    {
        var original = ndis.NetBufferList(nb);
        var fragments = Ndis.AllocateFragmentNetBufferList(original, null, null, start, maximum, header, 0, 0)!;
        var pieces = new List<byte>();
        foreach (var fragment in fragments.NetBuffers)
        {
            Assert.Null(fragment.CheckInvariants());
            Assert.InRange(fragment.DataLength - header, 1, maximum);
            pieces.AddRange(fragment.ToArray()[header..]);
        }
        Assert.Equal(model.Skip(start), pieces);
        var whole = Ndis.AllocateReassembledNetBufferList(fragments, null, header, 0, 0, 0)!;
        Assert.Equal(model.Skip(start), whole.FirstNetBuffer!.ToArray());
        Ndis.FreeReassembledNetBufferList(whole, 0, 0);
        Ndis.FreeFragmentNetBufferList(fragments, header, 0);
        original.FirstNetBuffer = null;
        ndis.NetBufferLists.FreeNetBufferList(original);
    }
}
