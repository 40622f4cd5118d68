using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;
using CoNdis.NetBufferCore.Verifier;

namespace CoNdis.Conformance;

/// <summary>
/// One runtime with a miniport, a stand-alone call manager and a client bound to it, the AF open and a SAP
/// registered: the stage every conformance test plays on. The pairing decides which drivers (native or 5.x
/// behind translation) take the client and miniport roles; <see cref="LegacyFactories"/> supplies the 5.x ones.
/// </summary>
public sealed class ConformanceRig : IDisposable
{
    public static readonly CoSap Sap = new(1, new byte[] { 0x47, 0x00, 0x05 });

    public ConformanceRig(Pairing pairing, VerifierMode mode = VerifierMode.Strict)
    {
        Pairing = pairing;
        Verifier = new NdisVerifier(mode);
        Runtime = new CoNdisRuntime(Verifier);
        Miniport = pairing.Miniport == DriverKind.Native
            ? CreateNativeMiniport()
            : (LegacyFactories.Miniport ?? throw new InvalidOperationException("no 5.x miniport factory registered")).Invoke(Runtime);
        CallManager = new TestCallManager();
        CallManager.Bind(Runtime, Miniport.Adapter);
        Client = pairing.Client == DriverKind.Native
            ? CreateNativeClient()
            : (LegacyFactories.Client ?? throw new InvalidOperationException("no 5.x client factory registered")).Invoke(Runtime, Miniport.Adapter);
        var status = Ndis.ClOpenAddressFamilyEx(Client.Binding, TestCallManager.AddressFamily, Client, out var af);
        Assert(status == NdisStatus.Success, $"ClOpenAddressFamilyEx: {status}");
        Af = af!;
        status = Ndis.ClRegisterSap(Af, Client, Sap, out var sap);
        Assert(status == NdisStatus.Success, $"ClRegisterSap: {status}");
        SapHandle = sap;
    }

    public Pairing Pairing { get; }

    public NdisVerifier Verifier { get; }

    public CoNdisRuntime Runtime { get; }

    public IConformanceMiniport Miniport { get; }

    public TestCallManager CallManager { get; }

    public IConformanceClient Client { get; }

    public CoAfHandle Af { get; }

    public CoSapHandle SapHandle { get; }

    public static CoCallParameters CallParameters => CoCallParameters.BestEffort(9180);

    /// <summary>Creates a VC on the client's AF and makes an outgoing call on it; returns the connected VC.</summary>
    public VirtualConnection MakeCall(object? partyContext = null)
    {
        var vc = Client.CreateVc(Af);
        var status = Ndis.ClMakeCall(vc, CallParameters, partyContext, out _);
        if (status == NdisStatus.Pending)
            WaitUntil(() => vc.State == VcState.Connected, "the pended make-call to complete");
        else
            Assert(status == NdisStatus.Success, $"ClMakeCall: {status}");
        return vc;
    }

    /// <summary>Closes the call on <paramref name="vc"/> and waits until the close completed.</summary>
    public void CloseCall(VirtualConnection vc)
    {
        var status = Ndis.ClCloseCall(vc, null, ReadOnlyMemory<byte>.Empty);
        if (status == NdisStatus.Pending)
            WaitUntil(() => vc.State == VcState.Created, "the pended close to complete");
        else
            Assert(status == NdisStatus.Success, $"ClCloseCall: {status}");
    }

    /// <summary>Waits (bounded) for <paramref name="condition"/>.</summary>
    public static void WaitUntil(Func<bool> condition, string what, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"timed out waiting for {what}");
            Thread.Sleep(1);
        }
    }

    /// <summary>Every client and miniport pool object is home and the verifier found nothing.</summary>
    public void AssertClean()
    {
        Assert(Client.OutstandingPoolObjects == 0, $"client pool objects outstanding: {Client.OutstandingPoolObjects}");
        Assert(Miniport.OutstandingPoolObjects == 0, $"miniport pool objects outstanding: {Miniport.OutstandingPoolObjects}");
        Assert(Verifier.FindingCount == 0, $"verifier findings: {string.Join("; ", Verifier.RecentFindings)}");
    }

    public void Dispose() => (Miniport as IDisposable)?.Dispose();

    private NativeTestMiniport CreateNativeMiniport()
    {
        var miniport = new NativeTestMiniport();
        miniport.Register(Runtime);
        return miniport;
    }

    private NativeTestClient CreateNativeClient()
    {
        var client = new NativeTestClient();
        client.Bind(Runtime, Miniport.Adapter);
        return client;
    }

    private static void Assert(bool condition, string message)
    {
        if (!condition)
            throw new InvalidOperationException(message);
    }
}
