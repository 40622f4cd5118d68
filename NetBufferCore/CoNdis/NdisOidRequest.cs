namespace CoNdis.NetBufferCore.CoNdis;

/// <summary>
/// NDIS_OID_REQUEST: a query or set of one OID with an information buffer; the miniport fills
/// BytesWritten/BytesNeeded and answers with a status (or pends and completes with MCoOidRequestComplete).
/// </summary>
public sealed class NdisOidRequest
{
    public NdisOidRequest(NdisRequestType requestType, uint oid, int informationBufferLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(informationBufferLength);
        RequestType = requestType;
        Oid = oid;
        InformationBuffer = new byte[informationBufferLength];
    }

    /// <summary>A request over a caller's buffer (the translation of an NDIS 5 NDIS_REQUEST shares it).</summary>
    public NdisOidRequest(NdisRequestType requestType, uint oid, byte[] informationBuffer)
    {
        ArgumentNullException.ThrowIfNull(informationBuffer);
        RequestType = requestType;
        Oid = oid;
        InformationBuffer = informationBuffer;
    }

    public NdisRequestType RequestType { get; }

    public uint Oid { get; }

    /// <summary>The data: what a set carries, where a query's answer goes.</summary>
    public byte[] InformationBuffer { get; }

    public int BytesWritten { get; set; }

    public int BytesRead { get; set; }

    public int BytesNeeded { get; set; }

    /// <summary>SourceReserved: the area of the driver that issued the request (a translation layer keeps the NDIS 5 request it made it from).</summary>
    public object? SourceReserved { get; set; }

    /// <summary>Who issued it (NDIS's bookkeeping for the completion).</summary>
    internal CoBinding? Binding { get; set; }

    internal VirtualConnection? Vc { get; set; }

    /// <summary>The AF of a request between a client and its call manager (null for one to the miniport).</summary>
    internal CoAfHandle? Af { get; set; }

    /// <summary>NDIS's bookkeeping: the open AF a request between a client and its call manager was made on (null for one to the miniport).</summary>
    public CoAfHandle? AddressFamily => Af;

    internal CoParty? Party { get; set; }

    /// <summary>True when the call manager issued it (to the client), false when the client did (to the call manager).</summary>
    internal bool FromCallManager { get; set; }

    /// <summary>Writes a ULONG answer (little-endian) and sets BytesWritten, or BytesNeeded when the buffer is short.</summary>
    public NdisStatus WriteUInt32(uint value) => Write(BitConverter.GetBytes(value));

    /// <summary>Writes a ULONG64 answer.</summary>
    public NdisStatus WriteUInt64(ulong value) => Write(BitConverter.GetBytes(value));

    /// <summary>Reads a query's ULONG answer.</summary>
    public uint ReadUInt32() => BitConverter.ToUInt32(InformationBuffer, 0);

    /// <summary>Reads a query's ULONG64 answer.</summary>
    public ulong ReadUInt64() => BitConverter.ToUInt64(InformationBuffer, 0);

    private NdisStatus Write(byte[] value)
    {
        if (InformationBuffer.Length < value.Length)
        {
            BytesNeeded = value.Length;
            return NdisStatus.BufferTooShort;
        }
        value.CopyTo(InformationBuffer, 0);
        BytesWritten = value.Length;
        return NdisStatus.Success;
    }
}
