using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;
using CoNdis.TestDrivers.Legacy;
using CoNdis.Translation.Adapters;

namespace CoNdis.TestDrivers.Translated;

/// <summary>
/// The client role played by the 5.x test client (<see cref="LegacyTestClient"/>) over the NBL runtime: a
/// <see cref="LegacyClientAdapter"/> binds it to the adapter and translates its packets; the role's VCs are the
/// runtime's, each with the 5.x VC the driver sends on behind it. The adapter answers incoming calls itself, so this
/// client cannot reject one.
/// </summary>
public sealed class TranslatedTestClient : IConformanceClient
{
    public TranslatedTestClient(CoNdisRuntime runtime, CoMiniportAdapter adapter, string name = "5.x test client")
    {
        ArgumentNullException.ThrowIfNull(runtime);
        Driver = new LegacyTestClient(new NdisHandle(name, runtime.Verifier));
        Translation = new LegacyClientAdapter(runtime, adapter, name, Driver, protocolBindingContext: Driver);
    }

    /// <summary>The 5.x driver itself.</summary>
    public LegacyTestClient Driver { get; }

    /// <summary>The adapter that binds it over the runtime (its counters say what translation did).</summary>
    public LegacyClientAdapter Translation { get; }

    public CoBinding Binding => Translation.Binding;

    public ReceiveHandling ReceiveHandling
    {
        get => Driver.ReceiveHandling;
        set => Driver.ReceiveHandling = value;
    }

    public IReadOnlyList<CompletedSend> Completed => Driver.Completed;

    public IReadOnlyList<byte[]> Received => Driver.Received;

    public IReadOnlyList<uint> ReceivedIeee8021Q => Driver.ReceivedIeee8021Q;

    public int HeldCount => Driver.HeldCount;

    /// <summary>The driver's send packets and buffers, plus one while the adapter still has anything translated out.</summary>
    public int OutstandingPoolObjects => Driver.OutstandingPoolObjects + (Translation.IsIdle ? 0 : 1);

    public VirtualConnection CreateVc(CoAfHandle af)
    {
        var status = Translation.CreateVc(af, legacyVcContext: Driver, out var vc);
        if (status != NdisStatus.Success)
            throw new InvalidOperationException($"LegacyClientAdapter.CreateVc: {status}");
        return vc!.Runtime;
    }

    /// <summary>Sends through the 5.x VC behind <paramref name="vc"/>: one packet per frame, <paramref name="mdlsPerNb"/> buffers each.</summary>
    public int[] Send(VirtualConnection vc, IReadOnlyList<byte[][]> nbls, int mdlsPerNb = 1, nint cancelId = 0, uint ieee8021Q = 0) =>
        Driver.Send(LegacyClientAdapter.LegacyVcOf(vc), nbls, mdlsPerNb, cancelId, ieee8021Q);

    public void ReturnHeld(int threads, int seed) => Driver.ReturnHeld(threads, seed);
}
