using CoNdis.LegacyPacket;
using CoNdis.NetBufferCore;

namespace CoNdis.Translation.Tests;

/// <summary>One NET_BUFFER: MDL sizes and where the used data lies.</summary>
internal sealed record NbSpec(int[] MdlSizes, int DataOffset, int DataLength, bool CurrentAtEndOfPrevious)
{
    public int Total => MdlSizes.Sum();

    /// <summary>Derives a valid geometry from raw numbers (keeps CsCheck generators simple).</summary>
    public static NbSpec From(int[] sizes, uint offsetSeed, uint lengthSeed, bool toEnd, bool atEndOfPrevious)
    {
        if (sizes.Sum() == 0)
            sizes[^1] = 1;
        int total = sizes.Sum();
        int offset = (int)(offsetSeed % (uint)total);
        int room = total - offset;
        int length = toEnd ? room : 1 + (int)(lengthSeed % (uint)room);
        return new NbSpec(sizes, offset, length, atEndOfPrevious);
    }

    public override string ToString() => $"[{string.Join(",", MdlSizes)}] off {DataOffset} len {DataLength}{(CurrentAtEndOfPrevious ? " (current at end of previous)" : "")}";
}

/// <summary>Per-NBL information inside the domain the translation maps both ways (InfoMapping: NBL info ⇄ per-packet info and OOB).</summary>
internal sealed record InfoSpec(uint Checksum, bool IpSec, uint Mss, long Classification, ushort Ieee8021Q, long CancelId,
    int MediaSpecificLength, byte ProtocolId, bool Loopback, NdisStatus Status)
{
    public static readonly NdisStatus[] Statuses = [NdisStatus.Success, NdisStatus.Failure, NdisStatus.Closing, NdisStatus.InvalidPacket];
}

/// <summary>One NBL: its NET_BUFFERs and its info.</summary>
internal sealed record NblSpec(NbSpec[] Nbs, InfoSpec Info);

/// <summary>One NDIS_PACKET: buffer sizes, per-packet info and OOB data.</summary>
internal sealed record PacketSpec(int[] BufferSizes, InfoSpec Info, NdisFlags OtherFlags, uint HeaderSize, ulong TimeSent, ulong TimeReceived, uint MediaSpecificSize)
{
    public static readonly NdisFlags[] FlagChoices =
        [NdisFlags.None, NdisFlags.DontLoopback, NdisFlags.MulticastPacket, NdisFlags.LoopbackOnly | NdisFlags.DontLoopback, NdisFlags.SentAtDpc, NdisFlags.Padded];
}
