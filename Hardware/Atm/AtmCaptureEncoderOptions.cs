using CoNdis.Hardware.Capture;

namespace CoNdis.Hardware.Atm;

/// <summary>How <see cref="AtmCaptureEncoder"/> carries frames: the VC, the RFC 2684 encapsulation, what the input frames are, the container.</summary>
public sealed record AtmCaptureEncoderOptions
{
    /// <summary>The VPI of every record (0–255).</summary>
    public int Vpi { get; init; }

    /// <summary>The VCI of every record (0–65535; 32 is the first VCI the ATM Forum leaves to users).</summary>
    public int Vci { get; init; } = 32;

    /// <summary>The RFC 2684 encapsulation (the CLI's --encap llc is <see cref="Rfc2684Encapsulation.LlcSnapRouted"/>, vcmux <see cref="Rfc2684Encapsulation.VcMuxRouted"/>).</summary>
    public Rfc2684Encapsulation Encapsulation { get; init; } = Rfc2684Encapsulation.LlcSnapRouted;

    /// <summary>What the input frames are.</summary>
    public AtmFrameKind Input { get; init; } = AtmFrameKind.Ethernet;

    /// <summary>The direction written into each record.</summary>
    public AtmCaptureDirection Direction { get; init; } = AtmCaptureDirection.Transmitted;

    /// <summary>pcap or pcapng around the records.</summary>
    public CaptureFormat Container { get; init; } = CaptureFormat.Pcap;

    /// <summary>Cell records of one frame are spaced one cell slot apart at this line rate (OC-3's 149.76 Mbit/s of payload by default).</summary>
    public long LineRateBitsPerSecond { get; init; } = AtmLine.Oc3PayloadBitsPerSecond;

    /// <summary>Checks the options; throws ArgumentException naming the bad one.</summary>
    public void Validate()
    {
        if ((uint)Vpi > 255)
            throw new ArgumentException($"Vpi must be from 0 to 255, not {Vpi}.", nameof(Vpi));
        if ((uint)Vci > 65535)
            throw new ArgumentException($"Vci must be from 0 to 65535, not {Vci}.", nameof(Vci));
        if (!Enum.IsDefined(Encapsulation))
            throw new ArgumentException($"Encapsulation {(int)Encapsulation} is not an RFC 2684 encapsulation.", nameof(Encapsulation));
        if (Input == AtmFrameKind.Packet && Rfc2684.IsBridged(Encapsulation))
            throw new ArgumentException($"A bridged encapsulation ({Encapsulation}) carries Ethernet frames; the input is network-layer packets.", nameof(Input));
        if (LineRateBitsPerSecond < 424)
            throw new ArgumentException($"LineRateBitsPerSecond must be at least one cell (424 bits) per second, not {LineRateBitsPerSecond}.", nameof(LineRateBitsPerSecond));
    }
}
