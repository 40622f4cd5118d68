using System.Buffers.Binary;

namespace CoNdis.Hardware.Atm;

/// <summary>
/// The ATM call-manager-specific part of CO_CALL_PARAMETERS (ParamType CALLMGR_SPECIFIC_Q2931): NDIS's
/// Q2931_CALLMGR_PARAMETERS, the called and calling ATM_ADDRESS, InfoElementCount and a list of Q2931_IE
/// {IEType, IELength (the whole entry, 8 + the IE's octets), IE}. The model's IE bodies are the IE contents as Q.2931 codes them on the
/// wire (not the Windows AAL_PARAMETERS_IE… structures): AAL parameters, ATM traffic descriptor, broadband bearer
/// capability, B-LLI (the VC's RFC 2684 encapsulation) and, on a refused or released call, the cause. Forward is the
/// calling party's sending direction, as Q.2931 names it.
/// </summary>
public sealed record Q2931CallManagerParameters
{
    /// <summary>CALLMGR_SPECIFIC_Q2931.</summary>
    public const uint ParamType = 1;

    /// <summary>The default maximum CPCS-SDU: RFC 2225's IP over ATM MTU.</summary>
    public const int DefaultMaxSdu = 9180;

    /// <summary>Q2931_IE_TYPE values (atm.h).</summary>
    internal const uint IeAalParameters = 0, IeTrafficDescriptor = 1, IeBroadbandBearerCapability = 2, IeBlli = 4, IeCause = 9;

    public AtmAddress CalledParty { get; init; }

    public AtmAddress CallingParty { get; init; }

    /// <summary>Traffic from the calling to the called party.</summary>
    public AtmTrafficDescriptor Forward { get; init; } = AtmTrafficDescriptor.BestEffort;

    /// <summary>Traffic from the called to the calling party.</summary>
    public AtmTrafficDescriptor Backward { get; init; } = AtmTrafficDescriptor.BestEffort;

    public int ForwardMaxSdu { get; init; } = DefaultMaxSdu;

    public int BackwardMaxSdu { get; init; } = DefaultMaxSdu;

    /// <summary>The VC's RFC 2684 encapsulation (its B-LLI).</summary>
    public Rfc2684Encapsulation Encapsulation { get; init; }

    /// <summary>The Q.2931 cause of a refused or released call (Q.850 values: 1 unallocated number, 16 normal clearing…).</summary>
    public byte? Cause { get; init; }

    /// <summary>The Q2931_CALLMGR_PARAMETERS octets.</summary>
    public byte[] Encode(long lineCellRate = 353_207)
    {
        Span<byte> body = stackalloc byte[64];
        var entries = new List<(uint Type, byte[] Bytes)>
        {
            (IeAalParameters, body[..Q2931Elements.WriteAal5(body, ForwardMaxSdu, BackwardMaxSdu)].ToArray()),
            (IeTrafficDescriptor, body[..Q2931Elements.WriteTrafficDescriptor(body, Forward, Backward, lineCellRate)].ToArray()),
            (IeBroadbandBearerCapability, body[..Q2931Elements.WriteBearerCapability(body, Forward.ServiceCategory)].ToArray()),
        };
        int blli = Q2931Elements.WriteBlli(body, Encapsulation);
        if (blli > 0)
            entries.Add((IeBlli, body[..blli].ToArray()));
        if (Cause is byte cause)
            entries.Add((IeCause, body[..Q2931Elements.WriteCause(body, cause)].ToArray()));
        int length = 2 * AtmAddress.StructureLength + 4 + entries.Sum(e => 8 + e.Bytes.Length);
        var bytes = new byte[length];
        CalledParty.WriteStructure(bytes);
        CallingParty.WriteStructure(bytes.AsSpan(AtmAddress.StructureLength));
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(2 * AtmAddress.StructureLength), (uint)entries.Count);
        int at = 2 * AtmAddress.StructureLength + 4;
        foreach (var (type, ie) in entries)
        {
            int entry = 8 + ie.Length;
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at), type);
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at + 4), (uint)entry);
            ie.CopyTo(bytes.AsSpan(at + 8));
            at += entry;
        }
        return bytes;
    }

    /// <summary>Reads Q2931_CALLMGR_PARAMETERS octets; false when they are malformed.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> bytes, out Q2931CallManagerParameters? parameters, long lineCellRate = 353_207)
    {
        parameters = null;
        int header = 2 * AtmAddress.StructureLength + 4;
        if (bytes.Length < header
            || !AtmAddress.TryReadStructure(bytes, out var called)
            || !AtmAddress.TryReadStructure(bytes[AtmAddress.StructureLength..], out var calling))
            return false;
        uint count = BinaryPrimitives.ReadUInt32LittleEndian(bytes[(2 * AtmAddress.StructureLength)..]);
        var result = new Q2931CallManagerParameters { CalledParty = called, CallingParty = calling };
        var category = AtmServiceCategory.Ubr;
        ReadOnlySpan<byte> traffic = default;
        int at = header;
        for (uint i = 0; i < count; i++)
        {
            if (at + 8 > bytes.Length)
                return false;
            uint type = BinaryPrimitives.ReadUInt32LittleEndian(bytes[at..]);
            int entry = (int)Math.Min(int.MaxValue, BinaryPrimitives.ReadUInt32LittleEndian(bytes[(at + 4)..]));
            if (entry < 8 || at + entry > bytes.Length)
                return false;
            var ie = bytes.Slice(at + 8, entry - 8);
            switch (type)
            {
                case IeAalParameters:
                    if (!Q2931Elements.TryReadAal5(ie, out int forward, out int backward))
                        return false;
                    result = result with { ForwardMaxSdu = forward, BackwardMaxSdu = backward };
                    break;
                case IeTrafficDescriptor:
                    traffic = ie;
                    break;
                case IeBroadbandBearerCapability:
                    category = Q2931Elements.ReadBearerCapability(ie);
                    break;
                case IeBlli:
                    result = result with { Encapsulation = Q2931Elements.ReadBlli(ie) };
                    break;
                case IeCause:
                    result = result with { Cause = Q2931Elements.ReadCause(ie) };
                    break;
                default:
                    break;
            }
            at += entry;
        }
        if (!traffic.IsEmpty)
        {
            if (!Q2931Elements.TryReadTrafficDescriptor(traffic, category, lineCellRate, out var forwardTraffic, out var backwardTraffic))
                return false;
            result = result with { Forward = forwardTraffic, Backward = backwardTraffic };
        }
        parameters = result;
        return true;
    }

    public override string ToString() =>
        $"called {CalledParty}, calling {CallingParty}, {Encapsulation}, fwd {Forward.ServiceCategory} PCR {Forward.PeakCellRate} SDU {ForwardMaxSdu}, bwd {Backward.ServiceCategory} PCR {Backward.PeakCellRate} SDU {BackwardMaxSdu}{(Cause is byte c ? $", cause {c}" : "")}";
}
