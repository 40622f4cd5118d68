using CoNdis.Hardware.Atm;
using CoNdis.Hardware.Links;
using CoNdis.NetBufferCore.CoNdis;

namespace CoNdis.Reliability.Tests;

/// <summary>
/// The device under a soak: over loopback one host calls its own SAP (A and B are the same host); over the pair link
/// host A calls host B. With <paramref name="faultSeed"/> a <see cref="FaultInjectorLink"/> sits under host A's NIC
/// (the direction A transmits). On two hosts <c>optionsB</c> (if given) builds host B.
/// </summary>
internal sealed class SoakRig : IDisposable
{
    public SoakRig(string pairing, string device, SoakHostOptions options, int? faultSeed = null, SoakHostOptions? optionsB = null)
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
        else if (device == "atm")
        {
            // Two ATM hosts on one cable; calls are UNI 3.1 to E.164 numbers, PVCs on VPI 1 (clear of the call VCIs).
            var cable = new PairLink("uni");
            ILinkPort port = cable.A;
            if (faultSeed is { } seed)
                port = Faults = new FaultInjectorLink(port, seed);
            var atm = options with { Atm = options.Atm ?? new AtmDeviceOptions() };
            A = new SoakHost(pairing, port, "A", AtmCallParameters.Sap(AtmAddress.E164("4711")), atm);
            B = new SoakHost(pairing, cable.B, "B", AtmCallParameters.Sap(AtmAddress.E164("4712")), atm);
            ChannelBase = A.Atm!.ChannelOf(1, 0);
        }
        else
        {
            var cable = new PairLink();
            ILinkPort port = cable.A;
            if (faultSeed is { } seed)
                port = Faults = new FaultInjectorLink(port, seed);
            A = new SoakHost(pairing, port, "A", new CoSap(1, new byte[] { 0xA }), options);
            B = new SoakHost(pairing, cable.B, "B", new CoSap(1, new byte[] { 0xB }), optionsB ?? options);
        }
    }

    public string Pairing { get; }

    public string Device { get; }

    /// <summary>Added to every PVC channel the load opens (the ATM device reserves VCIs 0–31 of VPI 0 and calls use VPI 0).</summary>
    public int ChannelBase { get; }

    public bool IsAtm => Device == "atm";

    public SoakHost A { get; }

    public SoakHost B { get; }

    public bool OneHost => ReferenceEquals(A, B);

    public FaultInjectorLink? Faults { get; }

    public IEnumerable<SoakHost> Hosts => OneHost ? [A] : [A, B];

    /// <summary>Extra lines for a failure message (the fault schedule's last events).</summary>
    public Func<string>? Events { get; set; }

    public override string ToString() => $"{Pairing} on {Device}";

    /// <summary>The state of every host's device and miniport, for a failure message.</summary>
    public string Describe()
    {
        var text = new System.Text.StringBuilder();
        foreach (var host in Hosts)
        {
            var nic = host.Nic.Statistics;
            var m = host.MiniportCounters;
            text.Append($" [{host.Name}: link up {host.Nic.IsLinkUp}; nic tx {nic.TransmittedFrames} (errors {nic.TransmitErrors}), rx {nic.ReceivedFrames} (errors {nic.ReceiveErrors}, fcs {nic.ReceiveFcsErrors}, flushed {nic.ReceiveFlushed}, no buffer {nic.ReceiveNoBuffer}), resets {nic.Resets}, pauses {nic.FlowControlPauses}; ")
                .Append($"miniport sends {m.Sends} ok {m.SendsSucceeded} failed {m.SendsFailed}, indicated {m.Indicated}+{m.IndicatedWithResources} returned {m.Returned} discarded {m.Discarded}, resets {m.Resets} hangs {m.HangsDetected}; ")
                .Append($"client {host.Client.Ledger}, received {host.Client.Received}, {host.Client.LiveVcs} VCs; translation {host.Translation}; state {host.MiniportState()}");
            if (host.Atm is { } atm)
                text.Append($"; SAR {atm.Statistics}");
            text.Append(']');
        }
        if (Faults is { } f)
            text.Append($" [faults: up {f.IsUp}, dropped {f.Dropped}, corrupted {f.Corrupted}, delayed {f.Delayed}, reordered {f.Reordered}, lost while down {f.LostWhileDown}, held {f.InFlight}]");
        if (Events is { } events)
            text.Append(" [events: ").Append(events()).Append(']');
        return text.ToString();
    }

    public void Dispose()
    {
        A.Dispose();
        if (!OneHost)
            B.Dispose();
    }
}
