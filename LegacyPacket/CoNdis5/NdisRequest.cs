using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;

namespace CoNdis.LegacyPacket.CoNdis5;

/// <summary>
/// NDIS_REQUEST (NDIS 5): one OID query or set with its information buffer, as NdisCoRequest, NdisMCmRequest,
/// ProtocolCoRequest and ProtocolCoRequestComplete carry it. The C union <c>DATA.QUERY_INFORMATION</c> /
/// <c>DATA.SET_INFORMATION</c> is flattened: <c>Request-&gt;DATA.QUERY_INFORMATION.Oid</c> is <see cref="Oid"/>,
/// <c>...InformationBuffer</c> is <see cref="InformationBuffer"/>, and so on. NDIS 6 replaced it by NDIS_OID_REQUEST
/// (<see cref="NdisOidRequest"/>); <see cref="ToOidRequest"/> and <see cref="FromOidRequest"/> are the two directions of
/// that translation, sharing the information buffer where the lengths agree.
/// </summary>
public sealed class NdisRequest
{
    public NdisRequest(NdisRequestType requestType, uint oid, byte[] informationBuffer)
    {
        ArgumentNullException.ThrowIfNull(informationBuffer);
        RequestType = requestType;
        Oid = oid;
        InformationBuffer = informationBuffer;
        InformationBufferLength = (uint)informationBuffer.Length;
    }

    /// <summary>NDIS_REQUEST.RequestType (NdisRequestQueryInformation, NdisRequestSetInformation, …).</summary>
    public NdisRequestType RequestType { get; set; }

    /// <summary>DATA.QUERY_INFORMATION.Oid / DATA.SET_INFORMATION.Oid.</summary>
    public uint Oid { get; set; }

    /// <summary>InformationBuffer: what a set carries, where a query's answer goes.</summary>
    public byte[] InformationBuffer { get; set; }

    /// <summary>InformationBufferLength (at most the buffer's length).</summary>
    public uint InformationBufferLength { get; set; }

    /// <summary>DATA.QUERY_INFORMATION.BytesWritten.</summary>
    public uint BytesWritten { get; set; }

    /// <summary>DATA.SET_INFORMATION.BytesRead.</summary>
    public uint BytesRead { get; set; }

    /// <summary>BytesNeeded: how long the buffer must be when it was too short.</summary>
    public uint BytesNeeded { get; set; }

    /// <summary>
    /// NdisReserved: NDIS's own area. The layer standing in for NDIS keeps here what it needs to finish a request it
    /// handed to a 5.x driver (an <see cref="ILegacyCoRequestCompletion"/>); drivers never touch it.
    /// </summary>
    public object? NdisReserved { get; set; }

    /// <summary>Writes a ULONG answer (little-endian) and sets BytesWritten, or BytesNeeded when the buffer is short.</summary>
    public NdisStatus WriteUInt32(uint value)
    {
        if (InformationBufferLength < sizeof(uint))
        {
            BytesNeeded = sizeof(uint);
            return NdisStatus.InvalidLength;
        }
        BitConverter.TryWriteBytes(InformationBuffer.AsSpan(0, sizeof(uint)), value);
        BytesWritten = sizeof(uint);
        return NdisStatus.Success;
    }

    /// <summary>Reads a ULONG from the information buffer (a set's value, or a query's answer).</summary>
    public uint ReadUInt32() => BitConverter.ToUInt32(InformationBuffer, 0);

    /// <summary>
    /// NDIS_REQUEST → NDIS_OID_REQUEST: the same type, OID and data. The buffer is shared when it is exactly
    /// InformationBufferLength long, copied otherwise; <see cref="CopyResultsFrom"/> brings the answer back.
    /// </summary>
    public NdisOidRequest ToOidRequest()
    {
        int length = checked((int)Math.Min(InformationBufferLength, (uint)InformationBuffer.Length));
        if (length == InformationBuffer.Length)
            return new NdisOidRequest(RequestType, Oid, InformationBuffer);
        var translated = new NdisOidRequest(RequestType, Oid, length);
        InformationBuffer.AsSpan(0, length).CopyTo(translated.InformationBuffer);
        return translated;
    }

    /// <summary>NDIS_OID_REQUEST → NDIS_REQUEST: a view over the same information buffer (no copy).</summary>
    public static NdisRequest FromOidRequest(NdisOidRequest oidRequest)
    {
        ArgumentNullException.ThrowIfNull(oidRequest);
        return new NdisRequest(oidRequest.RequestType, oidRequest.Oid, oidRequest.InformationBuffer);
    }

    /// <summary>Takes the answer of the NDIS_OID_REQUEST this request was translated to (counts, and the data when not shared).</summary>
    public void CopyResultsFrom(NdisOidRequest oidRequest)
    {
        ArgumentNullException.ThrowIfNull(oidRequest);
        if (!ReferenceEquals(oidRequest.InformationBuffer, InformationBuffer))
            oidRequest.InformationBuffer.AsSpan(0, Math.Min(oidRequest.InformationBuffer.Length, InformationBuffer.Length)).CopyTo(InformationBuffer);
        BytesWritten = (uint)oidRequest.BytesWritten;
        BytesRead = (uint)oidRequest.BytesRead;
        BytesNeeded = (uint)oidRequest.BytesNeeded;
    }

    /// <summary>Gives this request's answer to the NDIS_OID_REQUEST it was made from.</summary>
    public void CopyResultsTo(NdisOidRequest oidRequest)
    {
        ArgumentNullException.ThrowIfNull(oidRequest);
        if (!ReferenceEquals(oidRequest.InformationBuffer, InformationBuffer))
            InformationBuffer.AsSpan(0, Math.Min(oidRequest.InformationBuffer.Length, InformationBuffer.Length)).CopyTo(oidRequest.InformationBuffer);
        oidRequest.BytesWritten = (int)BytesWritten;
        oidRequest.BytesRead = (int)BytesRead;
        oidRequest.BytesNeeded = (int)BytesNeeded;
    }

    /// <inheritdoc />
    public override string ToString() => $"NDIS_REQUEST {RequestType} OID 0x{Oid:X8}";
}
