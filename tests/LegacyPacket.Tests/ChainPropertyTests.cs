using CoNdis.NetBufferCore;
using CsCheck;

namespace CoNdis.LegacyPacket.Tests;

public sealed class ChainPropertyTests
{
    [Fact]
    public void Any_sequence_of_chain_edits_keeps_head_tail_and_QueryPacket_equal_to_a_list_model()
    {
        // 0 chain at front, 1 chain at back, 2 unchain front, 3 unchain back, 4 query, 5 recalculate
        Gen.Select(Gen.Int[0, 5], Gen.Int[0, 9], Gen.Int[1, 3]).Array[1, 40].Sample(ops =>
        {
            var handle = Strict.Handle();
            var packets = Strict.PacketPool(handle, 1);
            var buffers = Strict.BufferPool(handle, 256);
            var packet = Strict.Packet(packets);
            var model = new List<Mdl>();
            var memory = Strict.Pattern(64);
            foreach (var (op, length, chainLength) in ops)
            {
                switch (op)
                {
                    case 0 or 1:
                        var chain = new List<Mdl>();
                        for (int i = 0; i < chainLength; i++)
                            chain.Add(Strict.Buffer(buffers, memory.Slice(i, length)));
                        for (int i = 0; i + 1 < chain.Count; i++)
                            chain[i].Next = chain[i + 1];
                        if (op == 0)
                        {
                            Ndis5.ChainBufferAtFront(packet, chain[0]);
                            model.InsertRange(0, chain);
                        }
                        else
                        {
                            Ndis5.ChainBufferAtBack(packet, chain[0]);
                            model.AddRange(chain);
                        }
                        if (packet.Private.ValidCounts)
                            return false;
                        break;
                    case 2:
                        Ndis5.UnchainBufferAtFront(packet, out var front);
                        if (!ReferenceEquals(front, model.FirstOrDefault()) || (front is not null && packet.Private.ValidCounts))
                            return false;
                        if (model.Count > 0)
                            model.RemoveAt(0);
                        break;
                    case 3:
                        Ndis5.UnchainBufferAtBack(packet, out var back);
                        if (!ReferenceEquals(back, model.LastOrDefault()) || (back is not null && packet.Private.ValidCounts))
                            return false;
                        if (model.Count > 0)
                            model.RemoveAt(model.Count - 1);
                        break;
                    case 4:
                        Ndis5.QueryPacket(packet, out uint pages, out uint count, out var first, out uint total);
                        if (count != model.Count || total != model.Sum(b => b.ByteCount)
                            || pages != model.Sum(b => b.SpanPages) || !ReferenceEquals(first, model.FirstOrDefault()))
                            return false;
                        break;
                    default:
                        Ndis5.RecalculatePacketCounts(packet);
                        break;
                }
                var walked = new List<Mdl>();
                foreach (var buffer in packet.Buffers)
                    walked.Add(buffer);
                if (!walked.SequenceEqual(model) || (model.Count > 0 && !ReferenceEquals(packet.Private.Tail, model[^1])))
                    return false;
            }
            return true;
        }, iter: 500);
    }
}
