using CoNdis.Hardware.Atm;
using CoNdis.Hardware.Links;
using CoNdis.Hardware.Miniports;
using CoNdis.Hardware.Nic;
using CoNdis.Hardware.Tests.Miniports;
using CoNdis.NetBufferCore.CoNdis;
using CoNdis.NetBufferCore.Verifier;
using Xunit;

namespace CoNdis.Hardware.Tests.Atm;

/// <summary>
/// One ATM host: a runtime with a strict verifier, the ATM device on a link port, the native miniport (an MCM running
/// UNI signalling, or with the stand-alone UNI call manager) and a client registered at its ATM address.
/// </summary>
internal sealed class AtmHost : IDisposable
{
    public AtmHost(ILinkPort port, string name, string number, bool integrated = true, AtmDeviceOptions? atm = null, NicOptions? nic = null, DeviceClock? clock = null)
    {
        Verifier = new NdisVerifier(VerifierMode.Strict);
        Runtime = new CoNdisRuntime(Verifier);
        Device = new AtmDevice(port, atm, nic ?? DeviceHost.Inline, clock, $"{name} atm");
        Miniport = new NicMiniport(Device.Nic, new NicMiniportOptions { WatchdogInterval = TimeSpan.Zero, IntegratedCallManager = integrated });
        Adapter = Miniport.Register(Runtime, $"{name} miniport");
        if (!integrated)
        {
            CallManager = Device.CreateCallManager();
            CallManager.Bind(Runtime, Adapter, $"{name} UNI call manager");
        }
        Address = AtmAddress.E164(number);
        Client = new AtmTestClient().Bind(Runtime, Adapter, $"{name} client");
        Client.RegisterSap(AtmCallParameters.Sap(Address));
    }

    public NdisVerifier Verifier { get; }

    public CoNdisRuntime Runtime { get; }

    public AtmDevice Device { get; }

    public NicMiniport Miniport { get; }

    public CoMiniportAdapter Adapter { get; }

    public DeviceCallManager? CallManager { get; }

    public AtmTestClient Client { get; }

    public AtmAddress Address { get; }

    public int ActiveCalls => CallManager?.ActiveCalls ?? Miniport.ActiveCalls;

    public void AssertClean()
    {
        Wait.Until(() => Miniport.OutstandingPoolObjects == 0 && Client.OutstandingPoolObjects == 0 && (CallManager?.OutstandingPoolObjects ?? 0) == 0,
            "every pool object to come home", 10);
        Assert.True(Verifier.FindingCount == 0, $"verifier findings: {string.Join("; ", Verifier.RecentFindings)}");
    }

    public void Dispose()
    {
        CallManager?.Unbind();
        Assert.Equal(0, Miniport.Halt());
        Miniport.Dispose();
    }
}
