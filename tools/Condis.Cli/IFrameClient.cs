using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;
using CoNdis.Translation;

namespace Condis.Cli;

/// <summary>
/// The protocol driver at the top of a <see cref="DeviceHost"/>: a native (NDIS 6) client or a 5.x client under the
/// translation layer. Over loopback it registers a SAP and calls it (the call manager answers on the same host); over
/// ATM the receiving host's client registers its number and the sending host's client calls it. It sends the carried
/// frames of a batch on the outgoing VC and hands what arrives on the incoming VC to the sink.
/// </summary>
internal interface IFrameClient
{
    /// <summary>NdisClRegisterSap on the client's address family.</summary>
    void RegisterSap(CoSap sap);

    /// <summary>NdisCoCreateVc and NdisClMakeCall with <paramref name="parameters"/>; returns once the caller's VC is connected (throws if it is not).</summary>
    void MakeCall(CoCallParameters parameters);

    /// <summary>The VC the client made its call on, or null.</summary>
    VirtualConnection? OutgoingVc { get; }

    /// <summary>The runtime VC of the call the client was offered (ProtocolClIncomingCall), or null.</summary>
    VirtualConnection? IncomingVc { get; }

    /// <summary>NdisClCloseCall on the outgoing VC; the callee (this client's own incoming VC over loopback, the far host's over ATM) hears the release and closes its end; then the client's VC is deleted.</summary>
    void CloseCall(VirtualConnection? callee);

    /// <summary>Sends the batch's carried frames (one chain, or one packet array).</summary>
    void Send(FrameBatch batch);

    long Completed { get; }

    long Failed { get; }

    /// <summary>The first status a send completed with other than success.</summary>
    NdisStatus FirstFailure { get; }

    /// <summary>Frames received on the incoming VC.</summary>
    long Received { get; }

    /// <summary>Indications on any other VC (none are expected).</summary>
    long Unexpected { get; }

    /// <summary>The client's own pool objects still out (0 at rest).</summary>
    int OutstandingPoolObjects { get; }

    /// <summary>What the 5.x client's adapter translated, or null for a native client.</summary>
    TranslationCounts? Translation { get; }

    /// <summary>Closes the call if it is still open (to its own incoming VC), deregisters the SAP; then frees the client's pools and returns the objects that were not home.</summary>
    int Close();
}
