using CoNdis.Hardware.Nic;
using CoNdis.NetBufferCore.Verifier;

namespace Condis.Cli;

/// <summary>How a <see cref="DeviceHost"/> is built: the NIC's limits and offloads, the batch its client sends, the verifier.</summary>
internal sealed record DeviceHostOptions
{
    /// <summary>The device under the miniport.</summary>
    public DeviceKind Device { get; init; } = DeviceKind.Loopback;

    /// <summary>The NIC's longest frame (tag included): 9216, jumbo frames.</summary>
    public int MaximumFrameSize { get; init; } = 9216;

    /// <summary>The ATM call's maximum SDU both ways (9180 octets, RFC 2225's default IP-over-ATM MTU); the RFC 2684 header counts against it.</summary>
    public int AtmMaxSdu { get; init; } = CoNdis.Hardware.Atm.Q2931CallManagerParameters.DefaultMaxSdu;

    /// <summary>Frames the client sends at once at most.</summary>
    public int BatchCapacity { get; init; } = 256;

    /// <summary>The receiving NIC verifies IPv4/TCP/UDP checksums (reported in the NBL's checksum info).</summary>
    public bool ReceiveChecksumOffload { get; init; }

    public VerifierMode Verifier { get; init; } = VerifierMode.Off;

    public NicCompletionMode CompletionMode { get; init; } = NicCompletionMode.Inline;
}
