using CoNdis.Hardware.Links;
using CoNdis.NetBufferCore.CoNdis;

namespace CoNdis.Reliability.Tests;

/// <summary>
/// The device under a soak: over loopback one host calls its own SAP (A and B are the same host); over the pair link
/// host A calls host B. With <paramref name="faultSeed"/> a <see cref="FaultInjectorLink"/> sits under host A's NIC
/// (the direction A transmits).
/// </summary>
internal sealed class SoakRig : IDisposable
{
    public SoakRig(string pairing, string device, SoakHostOptions options, int? faultSeed = null)
    {
        Pairing = pairing;
        Device = device;
        if (device == "loopback")
        {
            ILinkPort port = new LoopbackLink();
            if (faultSeed is { } seed)
                port = Faults = new FaultInjectorLink(port, seed);
            A = B = new SoakHost(pairing, port, "host", new CoSap(1, new byte[] { 0x47, 0x01 }), options);
        }
        else
        {
            var cable = new PairLink();
            ILinkPort port = cable.A;
            if (faultSeed is { } seed)
                port = Faults = new FaultInjectorLink(port, seed);
            A = new SoakHost(pairing, port, "A", new CoSap(1, new byte[] { 0xA }), options);
            B = new SoakHost(pairing, cable.B, "B", new CoSap(1, new byte[] { 0xB }), options);
        }
    }

    public string Pairing { get; }

    public string Device { get; }

    public SoakHost A { get; }

    public SoakHost B { get; }

    public bool OneHost => ReferenceEquals(A, B);

    public FaultInjectorLink? Faults { get; }

    public IEnumerable<SoakHost> Hosts => OneHost ? [A] : [A, B];

    public override string ToString() => $"{Pairing} on {Device}";

    public void Dispose()
    {
        A.Dispose();
        if (!OneHost)
            B.Dispose();
    }
}
