using System.Buffers.Binary;
using System.Text;

namespace CoNdis.Hardware.Atm;

/// <summary>
/// An ATM address (NDIS ATM_ADDRESS: AddressType, NumberOfDigits, Address[20]): an E.164 number of 1 to 15 IA5 digits,
/// or a 20-octet NSAP-format end system address. What a Q.2931 called or calling party number carries.
/// </summary>
public readonly struct AtmAddress : IEquatable<AtmAddress>
{
    /// <summary>Octets of an ATM_ADDRESS: AddressType (4), NumberOfDigits (4), Address (20).</summary>
    public const int StructureLength = 28;

    /// <summary>ATM_ADDRESS_LENGTH.</summary>
    public const int MaximumLength = 20;

    private readonly byte[]? _digits;

    private AtmAddress(AtmAddressType type, byte[] digits)
    {
        Type = type;
        _digits = digits;
    }

    public AtmAddressType Type { get; }

    /// <summary>The address octets: IA5 digits for E.164, 20 octets for NSAP.</summary>
    public ReadOnlySpan<byte> Digits => _digits;

    /// <summary>True for the default value (no address).</summary>
    public bool IsEmpty => _digits is null || _digits.Length == 0;

    /// <summary>An E.164 address of 1–15 decimal digits (a leading '+' is dropped).</summary>
    public static AtmAddress E164(string number)
    {
        ArgumentNullException.ThrowIfNull(number);
        var digits = number.StartsWith('+') ? number[1..] : number;
        if (digits.Length is < 1 or > 15 || !digits.All(char.IsAsciiDigit))
            throw new ArgumentException($"An E.164 number has 1 to 15 decimal digits; \"{number}\" is not one.", nameof(number));
        return new AtmAddress(AtmAddressType.E164, Encoding.ASCII.GetBytes(digits));
    }

    /// <summary>A 20-octet NSAP-format ATM end system address.</summary>
    public static AtmAddress Nsap(ReadOnlySpan<byte> address)
    {
        if (address.Length != MaximumLength)
            throw new ArgumentException($"An NSAP ATM address has {MaximumLength} octets; {address.Length} given.", nameof(address));
        return new AtmAddress(AtmAddressType.Nsap, address.ToArray());
    }

    /// <summary>An address of <paramref name="type"/> from its octets, or false when they cannot be one.</summary>
    public static bool TryCreate(AtmAddressType type, ReadOnlySpan<byte> octets, out AtmAddress address)
    {
        address = default;
        if (type == AtmAddressType.Nsap ? octets.Length != MaximumLength
            : type != AtmAddressType.E164 || octets.Length is < 1 or > 15 || octets.ContainsAnyExceptInRange((byte)'0', (byte)'9'))
            return false;
        address = new AtmAddress(type, octets.ToArray());
        return true;
    }

    /// <summary>Writes the 28-octet ATM_ADDRESS (little-endian ULONGs, Address padded with zeros).</summary>
    public void WriteStructure(Span<byte> destination)
    {
        destination[..StructureLength].Clear();
        if (IsEmpty)
            return;
        BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)Type);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], (uint)_digits!.Length);
        _digits.CopyTo(destination[8..]);
    }

    /// <summary>Reads a 28-octet ATM_ADDRESS; an empty one (no digits) is the default value.</summary>
    public static bool TryReadStructure(ReadOnlySpan<byte> source, out AtmAddress address)
    {
        address = default;
        if (source.Length < StructureLength)
            return false;
        uint type = BinaryPrimitives.ReadUInt32LittleEndian(source);
        uint count = BinaryPrimitives.ReadUInt32LittleEndian(source[4..]);
        if (count == 0)
            return true;
        return count <= MaximumLength && TryCreate((AtmAddressType)type, source.Slice(8, (int)count), out address);
    }

    public bool Equals(AtmAddress other) => Type == other.Type && Digits.SequenceEqual(other.Digits);

    public override bool Equals(object? obj) => obj is AtmAddress other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Type);
        hash.AddBytes(Digits);
        return hash.ToHashCode();
    }

    public static bool operator ==(AtmAddress left, AtmAddress right) => left.Equals(right);

    public static bool operator !=(AtmAddress left, AtmAddress right) => !left.Equals(right);

    /// <summary>"+digits" for E.164, dotted hex for NSAP, "(none)" when empty.</summary>
    public override string ToString() =>
        IsEmpty ? "(none)" : Type == AtmAddressType.E164 ? "+" + Encoding.ASCII.GetString(_digits!) : Convert.ToHexString(_digits!);
}
