using CoNdis.TestDrivers;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;

namespace CoNdis.TestDrivers.Translated.CallControl;

/// <summary>The miniport role played by the conformance suite's NDIS 6 test miniport (for the stand-alone call managers).</summary>
public sealed class NativeCallMiniport : ICallMiniport, IDisposable
{
    public NativeCallMiniport(CoNdisRuntime runtime)
    {
        Miniport = new NativeTestMiniport();
        Miniport.Register(runtime, "native call miniport");
    }

    public NativeTestMiniport Miniport { get; }

    public CoMiniportAdapter Adapter => Miniport.Adapter;

    public bool HoldSends
    {
        get => Miniport.SendCompletion == SendCompletion.Held;
        set => Miniport.SendCompletion = value ? SendCompletion.Held : SendCompletion.Inline;
    }

    public int HeldSends => Miniport.QueuedSends;

    public int CompleteHeld(NdisStatus status) => Miniport.CompleteQueued(status);

    public IReadOnlyList<byte[]> SentFrames => Miniport.SentFrames;

    public void Indicate(VirtualConnection vc, byte[] frame) => Miniport.Indicate(vc, [frame], resources: false);

    public uint MaximumFrameSize => Miniport.MaximumFrameSize;

    public void Dispose() => Miniport.Dispose();
}
