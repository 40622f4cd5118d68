using System.Buffers.Binary;

namespace CoNdis.Hardware.Capture;

/// <summary>Walks a normalised pcapng option list (little-endian TLVs, see <see cref="PcapNgOptions"/>) without allocating.</summary>
public ref struct PcapNgOptionReader
{
    private ReadOnlySpan<byte> _rest;

    public PcapNgOptionReader(ReadOnlySpan<byte> options) => _rest = options;

    /// <summary>Reads the next option; false at the end of the list or at an end-of-options marker.</summary>
    public bool TryRead(out ushort code, out ReadOnlySpan<byte> value)
    {
        code = 0;
        value = default;
        if (_rest.Length < 4)
            return false;
        code = BinaryPrimitives.ReadUInt16LittleEndian(_rest);
        int length = BinaryPrimitives.ReadUInt16LittleEndian(_rest[2..]);
        int padded = (length + 3) & ~3;
        if (code == PcapNgOptions.EndOfOptions || 4 + padded > _rest.Length)
        {
            _rest = default;
            return false;
        }

        value = _rest.Slice(4, length);
        _rest = _rest[(4 + padded)..];
        return true;
    }
}
