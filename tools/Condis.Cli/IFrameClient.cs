using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;
using CoNdis.Translation;

namespace Condis.Cli;

/// <summary>
/// The protocol driver at the top of a <see cref="DeviceHost"/>: a native (NDIS 6) client or a 5.x client under the
/// translation layer. It makes a call to its own SAP (over loopback the call manager answers it on the same host),
/// sends the carried frames of a batch on the outgoing VC and hands what arrives on the incoming VC to the sink.
/// </summary>
internal interface IFrameClient
{
    /// <summary>Registers <paramref name="sap"/>, calls it and waits for both ends to be connected.</summary>
    void Connect(CoSap sap, uint maxSduSize);

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

    /// <summary>Closes the call, deletes the client's VC and the SAP; then frees the client's pools and returns the objects that were not home.</summary>
    int Close();
}
