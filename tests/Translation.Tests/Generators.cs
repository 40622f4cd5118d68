using CoNdis.LegacyPacket;
using CsCheck;

namespace CoNdis.Translation.Tests;

/// <summary>CsCheck generators for NET_BUFFER geometries, NBL chains, info and packets.</summary>
internal static class Generators
{
    public static readonly Gen<InfoSpec> Info =
        Gen.Select(Gen.UInt[0, 0x7F], Gen.Bool, Gen.UInt[0, 0xFFFFF], Gen.Long, Gen.UShort, Gen.Long,
            Gen.Int[0, 3].Select(i => i == 0 ? 0 : i * 17), Gen.Byte[0, 15])
        .Select(Gen.Bool, Gen.Int[0, InfoSpec.Statuses.Length - 1],
            (a, loopback, status) => new InfoSpec(a.Item1, a.Item2, a.Item3, a.Item4, a.Item5, a.Item6, a.Item7, a.Item8, loopback, InfoSpec.Statuses[status]));

    /// <summary>1–8 MDLs (some empty), random DataOffset/CurrentMdlOffset/DataLength, often ending at the chain's end.</summary>
    public static readonly Gen<NbSpec> NetBuffer =
        Gen.Select(Gen.Int[0, 40].Array[1, 8], Gen.UInt, Gen.UInt, Gen.Bool, Gen.Bool)
            .Select((sizes, offset, length, toEnd, atEnd) => NbSpec.From(sizes, offset, length, toEnd, atEnd));

    public static readonly Gen<NblSpec> Nbl =
        Gen.Select(NetBuffer.Array[1, 16], Info, (nbs, info) => new NblSpec(nbs, info));

    public static readonly Gen<NblSpec[]> Chain = Nbl.Array[1, 4];

    public static readonly Gen<PacketSpec> Packet =
        Gen.Select(Gen.Int[0, 40].Array[1, 8].Where(s => s.Sum() > 0), Info, Gen.Int[0, PacketSpec.FlagChoices.Length - 1],
            Gen.UInt[0, 64], Gen.ULong, Gen.ULong, Gen.UInt[0, 4096])
        .Select(t => new PacketSpec(t.Item1, t.Item2, PacketSpec.FlagChoices[t.Item3], t.Item4, t.Item5, t.Item6, t.Item2.MediaSpecificLength > 0 ? t.Item7 : 0));

    public static readonly Gen<PacketSpec[]> Packets = Packet.Array[1, 16];
}
