using CoNdis.LegacyPacket.CoNdis5;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;

namespace CoNdis.Translation.Adapters;

/// <summary>
/// NDIS_OID_REQUEST → NDIS_REQUEST for a request the runtime hands to a 5.x driver's ProtocolCoRequest: the NDIS 5
/// request shares the NDIS 6 request's buffer, and when the driver pends it this record (in its NdisReserved) brings the
/// answer back and completes the NDIS 6 request to whoever asked (NdisCoOidRequestComplete, or the MCm form).
/// </summary>
internal sealed class TranslatedRequest : ILegacyCoRequestCompletion
{
    private TranslatedRequest(NdisOidRequest oidRequest, CoAfHandle? af, VirtualConnection? vc, bool integrated)
    {
        OidRequest = oidRequest;
        Af = af;
        Vc = vc;
        Integrated = integrated;
    }

    public NdisOidRequest OidRequest { get; }

    public CoAfHandle? Af { get; }

    public VirtualConnection? Vc { get; }

    public bool Integrated { get; }

    /// <summary>
    /// Hands <paramref name="oidRequest"/> to <paramref name="handler"/> as an NDIS_REQUEST; a synchronous answer is
    /// copied back at once, a pended one when the driver completes it.
    /// </summary>
    public static NdisStatus Forward(NdisOidRequest oidRequest, CoAfHandle? af, VirtualConnection? vc, bool integrated, Func<NdisRequest, NdisStatus> handler)
    {
        var request = NdisRequest.FromOidRequest(oidRequest);
        request.NdisReserved = new TranslatedRequest(oidRequest, af, vc, integrated);
        var status = handler(request);
        if (status != NdisStatus.Pending)
        {
            request.NdisReserved = null;
            request.CopyResultsTo(oidRequest);
        }
        return status;
    }

    public void CompleteRequest(NdisStatus status, NdisRequest ndisRequest)
    {
        ndisRequest.CopyResultsTo(OidRequest);
        var af = Af ?? throw new InvalidOperationException($"{ndisRequest} has no AF to complete on.");
        if (Integrated)
            Ndis.MCmOidRequestComplete(af, Vc, null, OidRequest, status);
        else
            Ndis.CoOidRequestComplete(af, Vc, null, OidRequest, status);
    }

    /// <summary>
    /// NDIS_REQUEST → NDIS_OID_REQUEST for a request a 5.x driver makes: the NDIS 6 request remembers the NDIS 5 one (its
    /// SourceReserved, the asker's area), so a pended completion can hand the answer back in NDIS 5 shape.
    /// </summary>
    public static NdisOidRequest Translate(NdisRequest ndisRequest)
    {
        var oidRequest = ndisRequest.ToOidRequest();
        oidRequest.SourceReserved = ndisRequest;
        return oidRequest;
    }

    /// <summary>The NDIS 5 request behind a completed NDIS 6 one, with the answer copied in.</summary>
    public static NdisRequest? Answer(NdisOidRequest oidRequest)
    {
        if (oidRequest.SourceReserved is not NdisRequest request)
            return null;
        oidRequest.SourceReserved = null;
        request.CopyResultsFrom(oidRequest);
        return request;
    }
}
