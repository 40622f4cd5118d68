using System.Buffers.Binary;

namespace CoNdis.Hardware.Atm;

/// <summary>
/// One Q.2931 message (ITU-T Q.2931 §4, ATM Forum UNI 3.1 §5.4): protocol discriminator 0x09, a 3-octet call reference
/// with its flag (set on messages sent to the side that originated the call reference), the message type and its
/// compatibility octet, the message length, then the information elements, each with identifier, compatibility
/// instruction, length and contents. The elements carried: AAL parameters, ATM traffic descriptor, broadband bearer
/// capability, B-LLI, called and calling party number, connection identifier, cause.
/// </summary>
public sealed record Q2931Message
{
    /// <summary>Q.2931's protocol discriminator.</summary>
    public const byte ProtocolDiscriminator = 0x09;

    /// <summary>Call reference values have 23 bits.</summary>
    public const uint MaximumCallReference = 0x7FFFFF;

    public Q2931MessageType Type { get; init; }

    /// <summary>The 23-bit call reference value.</summary>
    public uint CallReference { get; init; }

    /// <summary>The call reference flag: true on messages sent to the originating side.</summary>
    public bool ToOriginator { get; init; }

    /// <summary>The SETUP's call description (AAL parameters, traffic, bearer capability, B-LLI, called and calling party).</summary>
    public Q2931CallManagerParameters? Call { get; init; }

    /// <summary>The VPI/VCI of the connection identifier element, if present.</summary>
    public (int Vpi, int Vci)? Connection { get; init; }

    /// <summary>The cause value of the cause element, if present.</summary>
    public byte? Cause { get; init; }

    /// <summary>Writes the message into <paramref name="destination"/>; returns its length.</summary>
    public int Encode(Span<byte> destination, long lineCellRate)
    {
        destination[0] = ProtocolDiscriminator;
        destination[1] = 3;
        uint reference = CallReference & MaximumCallReference;
        destination[2] = (byte)((ToOriginator ? 0x80 : 0) | (int)(reference >> 16));
        destination[3] = (byte)(reference >> 8);
        destination[4] = (byte)reference;
        destination[5] = (byte)Type;
        destination[6] = 0x80; // message type extension: regular error handling
        int at = 9;
        if (Call is { } call)
        {
            at += Element(destination[at..], Q2931Elements.AalParameters, Q2931Elements.WriteAal5(destination[(at + 4)..], call.ForwardMaxSdu, call.BackwardMaxSdu));
            at += Element(destination[at..], Q2931Elements.TrafficDescriptor, Q2931Elements.WriteTrafficDescriptor(destination[(at + 4)..], call.Forward, call.Backward, lineCellRate));
            at += Element(destination[at..], Q2931Elements.BroadbandBearerCapability, Q2931Elements.WriteBearerCapability(destination[(at + 4)..], call.Forward.ServiceCategory));
            int blli = Q2931Elements.WriteBlli(destination[(at + 4)..], call.Encapsulation);
            if (blli > 0)
                at += Element(destination[at..], Q2931Elements.BroadbandLowLayerInformation, blli);
            if (!call.CalledParty.IsEmpty)
                at += Element(destination[at..], Q2931Elements.CalledPartyNumber, Q2931Elements.WriteNumber(destination[(at + 4)..], call.CalledParty));
            if (!call.CallingParty.IsEmpty)
                at += Element(destination[at..], Q2931Elements.CallingPartyNumber, Q2931Elements.WriteNumber(destination[(at + 4)..], call.CallingParty));
        }
        if (Connection is (int vpi, int vci))
            at += Element(destination[at..], Q2931Elements.ConnectionIdentifier, Q2931Elements.WriteConnectionIdentifier(destination[(at + 4)..], vpi, vci));
        if (Cause is byte cause)
            at += Element(destination[at..], Q2931Elements.Cause, Q2931Elements.WriteCause(destination[(at + 4)..], cause));
        BinaryPrimitives.WriteUInt16BigEndian(destination[7..], (ushort)(at - 9));
        return at;
    }

    /// <summary>The identifier, compatibility instruction (ITU-T coding, regular handling) and length of an element whose contents are written.</summary>
    private static int Element(Span<byte> at, byte identifier, int contents)
    {
        at[0] = identifier;
        at[1] = 0x80;
        BinaryPrimitives.WriteUInt16BigEndian(at[2..], (ushort)contents);
        return 4 + contents;
    }

    /// <summary>Reads a message; false (and no message) when it is not a well-formed Q.2931 message.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> source, long lineCellRate, out Q2931Message? message)
    {
        message = null;
        if (source.Length < 9 || source[0] != ProtocolDiscriminator || source[1] != 3)
            return false;
        uint reference = (uint)((source[2] & 0x7F) << 16 | source[3] << 8 | source[4]);
        bool toOriginator = (source[2] & 0x80) != 0;
        var type = (Q2931MessageType)source[5];
        int length = BinaryPrimitives.ReadUInt16BigEndian(source[7..]);
        if (9 + length > source.Length)
            return false;
        var body = source.Slice(9, length);
        var call = new Q2931CallManagerParameters();
        bool hasCall = false;
        ReadOnlySpan<byte> traffic = default;
        var category = AtmServiceCategory.Ubr;
        (int, int)? connection = null;
        byte? cause = null;
        for (int at = 0; at < body.Length;)
        {
            if (at + 4 > body.Length)
                return false;
            byte identifier = body[at];
            int size = BinaryPrimitives.ReadUInt16BigEndian(body[(at + 2)..]);
            if (at + 4 + size > body.Length)
                return false;
            var ie = body.Slice(at + 4, size);
            switch (identifier)
            {
                case Q2931Elements.AalParameters:
                    if (!Q2931Elements.TryReadAal5(ie, out int forward, out int backward))
                        return false;
                    call = call with { ForwardMaxSdu = forward, BackwardMaxSdu = backward };
                    hasCall = true;
                    break;
                case Q2931Elements.TrafficDescriptor:
                    traffic = ie;
                    hasCall = true;
                    break;
                case Q2931Elements.BroadbandBearerCapability:
                    category = Q2931Elements.ReadBearerCapability(ie);
                    break;
                case Q2931Elements.BroadbandLowLayerInformation:
                    call = call with { Encapsulation = Q2931Elements.ReadBlli(ie) };
                    break;
                case Q2931Elements.CalledPartyNumber:
                    if (!Q2931Elements.TryReadNumber(ie, out var called))
                        return false;
                    call = call with { CalledParty = called };
                    hasCall = true;
                    break;
                case Q2931Elements.CallingPartyNumber:
                    if (Q2931Elements.TryReadNumber(ie, out var calling))
                        call = call with { CallingParty = calling };
                    break;
                case Q2931Elements.ConnectionIdentifier:
                    if (!Q2931Elements.TryReadConnectionIdentifier(ie, out int vpi, out int vci))
                        return false;
                    connection = (vpi, vci);
                    break;
                case Q2931Elements.Cause:
                    cause = Q2931Elements.ReadCause(ie);
                    break;
                default:
                    break; // an element this subset does not use: ignored
            }
            at += 4 + size;
        }
        if (!traffic.IsEmpty)
        {
            if (!Q2931Elements.TryReadTrafficDescriptor(traffic, category, lineCellRate, out var forwardTraffic, out var backwardTraffic))
                return false;
            call = call with { Forward = forwardTraffic, Backward = backwardTraffic };
        }
        message = new Q2931Message
        {
            Type = type,
            CallReference = reference,
            ToOriginator = toOriginator,
            Call = hasCall ? call : null,
            Connection = connection,
            Cause = cause,
        };
        return true;
    }
}
