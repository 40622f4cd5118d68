using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;
using CoNdis.TestDrivers.Legacy;
using CoNdis.Translation.Adapters;

namespace CoNdis.TestDrivers.Translated;

/// <summary>
/// The miniport role played by the 5.x test miniport (<see cref="LegacyTestMiniport"/>) under the NBL runtime: a
/// <see cref="LegacyMiniportAdapter"/> registers it and translates its packets; the role's VCs are the runtime's.
/// </summary>
public sealed class TranslatedTestMiniport : IConformanceMiniport, IDisposable
{
    public TranslatedTestMiniport(CoNdisRuntime runtime, string name = "5.x test miniport")
    {
        ArgumentNullException.ThrowIfNull(runtime);
        var handle = new NdisHandle(name, runtime.Verifier);
        Driver = new LegacyTestMiniport(handle);
        Translation = new LegacyMiniportAdapter(handle, Driver, miniportAdapterContext: Driver);
        Adapter = Translation.Register(runtime, name);
    }

    /// <summary>The 5.x driver itself.</summary>
    public LegacyTestMiniport Driver { get; }

    /// <summary>The adapter that binds it under the runtime (its counters say what translation did).</summary>
    public LegacyMiniportAdapter Translation { get; }

    public CoMiniportAdapter Adapter { get; }

    public SendCompletion SendCompletion { get => Driver.SendCompletion; set => Driver.SendCompletion = value; }
    public bool Loopback { get => Driver.Loopback; set => Driver.Loopback = value; }
    public bool RecordSentFrames { get => Driver.RecordSentFrames; set => Driver.RecordSentFrames = value; }
    public bool PendActivate { get => Driver.PendActivate; set => Driver.PendActivate = value; }
    public bool PendDeactivate { get => Driver.PendDeactivate; set => Driver.PendDeactivate = value; }

    /// <summary>Packets held: one per NB of the NBLs sent.</summary>
    public int QueuedSends => Driver.QueuedSends;

    public int ReturnedReceives => Driver.ReturnedReceives;

    public IReadOnlyList<byte[]> SentFrames => Driver.SentFrames;

    /// <summary>The driver's receive packets and buffers, plus one while the adapter still has anything translated out.</summary>
    public int OutstandingPoolObjects => Driver.OutstandingPoolObjects + (Translation.IsIdle ? 0 : 1);

    /// <summary>Completes held packets; returns how many packets (not NBLs).</summary>
    public int CompleteQueued(NdisStatus status) => Driver.CompleteQueued(status);

    public void FinishPendedActivation(VirtualConnection vc, NdisStatus status) => Driver.FinishPendedActivation(LegacyMiniportAdapter.LegacyVcOf(vc), status);

    public void Indicate(VirtualConnection vc, IReadOnlyList<byte[]> frames, bool resources) =>
        Driver.Indicate(LegacyMiniportAdapter.LegacyVcOf(vc), frames, resources);

    public void Dispose() => Driver.Dispose();
}
