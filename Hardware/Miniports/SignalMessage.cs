using System.Buffers.Binary;
using CoNdis.NetBufferCore;

namespace CoNdis.Hardware.Miniports;

/// <summary>The four messages of the device's call signalling (a Q.931/Q.2931-shaped subset).</summary>
internal enum SignalType : byte
{
    Setup = 1,
    Connect = 2,
    Release = 3,
    ReleaseComplete = 4,
}

/// <summary>
/// One signalling message on channel 0, little-endian: protocol discriminator 'N' (1 byte), message type (1),
/// reserved (2), call reference (4; bit 31 set when sent by the side that did not originate the call, as Q.931's
/// call reference flag), the sender's receive channel (4), the maximum SDU (4), a cause as an NDIS status (4); a
/// SETUP adds the called SAP: its type (4), length (1) and bytes.
/// </summary>
internal readonly record struct SignalMessage(SignalType Type, uint CallReference, int Channel, uint MaxSduSize, NdisStatus Cause, uint SapType, byte[]? Sap)
{
    public const byte Discriminator = 0x4E;
    public const uint DestinationFlag = 0x80000000;
    public const int HeaderLength = 20;
    public const int MaximumLength = HeaderLength + 5 + 255;

    public int Encode(Span<byte> destination)
    {
        destination[0] = Discriminator;
        destination[1] = (byte)Type;
        BinaryPrimitives.WriteUInt16LittleEndian(destination[2..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], CallReference);
        BinaryPrimitives.WriteInt32LittleEndian(destination[8..], Channel);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[12..], MaxSduSize);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[16..], (uint)Cause);
        if (Type != SignalType.Setup)
            return HeaderLength;
        int sapLength = Sap?.Length ?? 0;
        if (sapLength > 255)
            throw new ArgumentException($"A SAP of {sapLength} bytes does not fit a SETUP (255 at most).", nameof(destination));
        BinaryPrimitives.WriteUInt32LittleEndian(destination[HeaderLength..], SapType);
        destination[HeaderLength + 4] = (byte)sapLength;
        Sap.AsSpan().CopyTo(destination[(HeaderLength + 5)..]);
        return HeaderLength + 5 + sapLength;
    }

    public static bool TryDecode(ReadOnlySpan<byte> source, out SignalMessage message)
    {
        message = default;
        if (source.Length < HeaderLength || source[0] != Discriminator || source[1] is < 1 or > 4)
            return false;
        var type = (SignalType)source[1];
        uint reference = BinaryPrimitives.ReadUInt32LittleEndian(source[4..]);
        int channel = BinaryPrimitives.ReadInt32LittleEndian(source[8..]);
        uint maxSdu = BinaryPrimitives.ReadUInt32LittleEndian(source[12..]);
        var cause = (NdisStatus)BinaryPrimitives.ReadUInt32LittleEndian(source[16..]);
        if (type != SignalType.Setup)
        {
            message = new SignalMessage(type, reference, channel, maxSdu, cause, 0, null);
            return true;
        }
        if (source.Length < HeaderLength + 5 || source.Length < HeaderLength + 5 + source[HeaderLength + 4])
            return false;
        uint sapType = BinaryPrimitives.ReadUInt32LittleEndian(source[HeaderLength..]);
        var sap = source.Slice(HeaderLength + 5, source[HeaderLength + 4]).ToArray();
        message = new SignalMessage(type, reference, channel, maxSdu, cause, sapType, sap);
        return true;
    }
}
