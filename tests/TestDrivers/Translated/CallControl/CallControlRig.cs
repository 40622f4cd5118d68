using CoNdis.TestDrivers;
using CoNdis.LegacyPacket.Samples;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;
using CoNdis.NetBufferCore.Verifier;

namespace CoNdis.TestDrivers.Translated.CallControl;

/// <summary>
/// One runtime with a miniport, a call manager serving the sample's AF and a client bound to the adapter, for one
/// combination of client kind and call-manager kind: the stage of the call-control suite. A 5.x call manager integrated
/// in a 5.x miniport is both the miniport and the call manager.
/// </summary>
public sealed class CallControlRig : IDisposable
{
    /// <summary>The vendor OID the call manager answers with its count of connected calls.</summary>
    public const uint OidCallsConnected = LegacyPointToPointCallManager.OidCallsConnected;

    /// <summary>The vendor OID the client answers.</summary>
    public const uint OidClientInfo = LegacyCoClientSample.OidClientInfo;

    public static readonly CoSap Sap = new(1, new byte[] { 0x47, 0x00, 0x05, 0x80 });

    public CallControlRig(ClientKind client, CallManagerKind callManager)
    {
        ClientKind = client;
        CallManagerKind = callManager;
        Verifier = new NdisVerifier(VerifierMode.Strict);
        Runtime = new CoNdisRuntime(Verifier);
        if (callManager == CallManagerKind.LegacyIntegrated)
        {
            var mcm = new LegacyMcmMiniport(Runtime);
            Miniport = mcm;
            CallManager = mcm;
        }
        else
        {
            var miniport = new NativeCallMiniport(Runtime);
            Miniport = miniport;
            if (callManager == CallManagerKind.Native)
            {
                var native = new NativeCallManager();
                native.Bind(Runtime, miniport.Adapter);
                CallManager = native;
            }
            else
            {
                CallManager = new LegacyStandAloneCallManager(Runtime, miniport.Adapter);
            }
        }
        if (client == ClientKind.Native)
        {
            var native = new NativeCallClient();
            native.Bind(Runtime, Miniport.Adapter);
            Client = native;
        }
        else
        {
            Client = new LegacyCallClient(Runtime, Miniport.Adapter);
        }
    }

    public ClientKind ClientKind { get; }

    public CallManagerKind CallManagerKind { get; }

    public NdisVerifier Verifier { get; }

    public CoNdisRuntime Runtime { get; }

    public ICallMiniport Miniport { get; }

    public ICallManager CallManager { get; }

    public ICallClient Client { get; }

    public static CoCallParameters CallParameters => CoCallParameters.BestEffort(9180);

    /// <summary>Opens the AF and registers the SAP, waiting for pended answers.</summary>
    public void OpenAfAndSap()
    {
        var status = Client.OpenAf(LegacyPointToPointCallManager.AddressFamily);
        if (status == NdisStatus.Pending)
            WaitUntil(() => Client.Af is not null, "the AF open to complete");
        else
            Require(status == NdisStatus.Success, $"open AF: {status}");
        status = Client.RegisterSap(Sap);
        if (status == NdisStatus.Pending)
            WaitUntil(() => Client.Sap is not null, "the SAP registration to complete");
        else
            Require(status == NdisStatus.Success, $"register SAP: {status}");
    }

    /// <summary>Makes a call and waits until it is connected.</summary>
    public VirtualConnection Connect(object? partyContext = null)
    {
        var status = Client.MakeCall(CallParameters, partyContext, out var vc);
        if (status == NdisStatus.Pending)
            WaitUntil(() => vc.State == VcState.Connected, "the pended make-call to complete");
        else
            Require(status == NdisStatus.Success, $"make call: {status}");
        return vc;
    }

    /// <summary>Closes the call and waits until the close completed.</summary>
    public void Close(VirtualConnection vc, CoParty? party = null)
    {
        var status = Client.CloseCall(vc, party);
        if (status == NdisStatus.Pending)
            WaitUntil(() => vc.State == VcState.Created, "the pended close to complete");
        else
            Require(status == NdisStatus.Success, $"close call: {status}");
    }

    /// <summary>Waits (bounded) until an event starting with <paramref name="prefix"/> was recorded.</summary>
    public static void WaitForEvent(Func<IReadOnlyList<string>> events, string prefix) =>
        WaitUntil(() => events().Any(e => e.StartsWith(prefix, StringComparison.Ordinal)), $"event '{prefix}'");

    public static void WaitUntil(Func<bool> condition, string what, int seconds = 20) => ConformanceRig.WaitUntil(condition, what, seconds);

    public void AssertNoFindings() => Require(Verifier.FindingCount == 0, $"verifier findings: {string.Join("; ", Verifier.RecentFindings)}");

    public void Dispose() => (Miniport as IDisposable)?.Dispose();

    private static void Require(bool condition, string message)
    {
        if (!condition)
            throw new InvalidOperationException(message);
    }
}
