using CoNdis.Hardware.Links;
using CoNdis.Hardware.Miniports;
using CoNdis.Hardware.Nic;
using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.CoNdis;
using CoNdis.NetBufferCore.Pools;
using CoNdis.NetBufferCore.Verifier;

namespace CoNdis.TestDrivers.Device;

/// <summary>
/// The host at the far end of the pair link in the conformance rig: its own runtime (sharing the rig's verifier, so
/// its findings count too), a simulated NIC on the cable's other end, the native reference miniport as an MCM, and an
/// echo client. For each channel the rig binds a VC of the suite to, the far host holds a permanent VC on that channel
/// (NdisMCmDispatchIncomingCall with PERMANENT_VC, no signalling) whose client sends every frame it receives straight
/// back on it, 802.1Q info included: what the suite's VC transmits on its channel comes back to it across two NICs.
/// A VC of the suite that must not hear its own frames transmits on a channel the far host does not listen on.
/// </summary>
public sealed class DeviceFarHost : IDisposable
{
    /// <summary>The SAP the echo client registers (the permanent VCs are offered to it).</summary>
    public static readonly CoSap EchoSap = new(1, new byte[] { 0x45, 0x43, 0x48, 0x4F });

    private readonly Dictionary<int, VirtualConnection> _echoes = [];
    private readonly EchoClient _client;
    private bool _disposed;

    public DeviceFarHost(ILinkPort port, NicOptions options, DeviceClock clock, NdisVerifier verifier)
    {
        ArgumentNullException.ThrowIfNull(port);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(verifier);
        Runtime = new CoNdisRuntime(verifier);
        Nic = new SimulatedNic(port, options, clock, "far nic");
        Miniport = new NicMiniport(Nic, new NicMiniportOptions { WatchdogInterval = TimeSpan.Zero });
        var adapter = Miniport.Register(Runtime, "far miniport");
        _client = new EchoClient(Runtime, adapter, options.MaximumFrameSize);
    }

    public CoNdisRuntime Runtime { get; }

    public SimulatedNic Nic { get; }

    /// <summary>The far end's miniport (an MCM).</summary>
    public NicMiniport Miniport { get; }

    /// <summary>Frames the far host echoed back.</summary>
    public long Echoed => _client.Echoed;

    /// <summary>Frames the far host could not echo (its echo pool was dry).</summary>
    public long NotEchoed => _client.NotEchoed;

    /// <summary>Pool objects not home on the far host (0 at rest).</summary>
    public int OutstandingPoolObjects => Miniport.OutstandingPoolObjects + _client.OutstandingPoolObjects;

    /// <summary>Starts echoing frames received on <paramref name="channel"/> back on it (once per channel).</summary>
    public void Echo(int channel)
    {
        lock (_echoes)
        {
            if (_echoes.ContainsKey(channel))
                return;
            var vc = Miniport.OfferPermanentVc(EchoSap, ChannelBinding.Both(channel))
                ?? throw new InvalidOperationException($"the far host's echo client refused the permanent VC on channel {channel}");
            _echoes.Add(channel, vc);
        }
    }

    /// <summary>Closes every echo VC from the network side (the client closes them), halts the miniport and stops the NIC.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        VirtualConnection[] echoes;
        lock (_echoes)
            echoes = [.. _echoes.Values];
        foreach (var vc in echoes)
        {
            if (vc.State == VcState.Connected)
                Miniport.DispatchRemoteClose(vc);
        }
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (echoes.Any(vc => vc.State != VcState.Deleted) && DateTime.UtcNow < deadline)
            Thread.Sleep(1);
        _client.Unbind();
        Miniport.Halt();
        Nic.Dispose();
    }

    /// <summary>The far host's client: accepts the permanent VCs and echoes what arrives on them.</summary>
    private sealed class EchoClient : ICoClient
    {
        private readonly CoBinding _binding;
        private readonly NetBufferListPool _pool;
        private readonly CoAfHandle _af;
        private long _echoed;
        private long _notEchoed;

        public EchoClient(CoNdisRuntime runtime, CoMiniportAdapter adapter, int frameSize)
        {
            _binding = runtime.OpenAdapter(adapter, "far echo client", this, this);
            _pool = Ndis.AllocateNetBufferListPool(_binding.Handle, new NetBufferListPoolParameters { AllocateNetBuffer = true, DataSize = frameSize });
            Check(Ndis.ClOpenAddressFamilyEx(_binding, DeviceCallParameters.AddressFamily, this, out var af), "NdisClOpenAddressFamilyEx");
            _af = af!;
            Check(Ndis.ClRegisterSap(_af, this, EchoSap, out _), "NdisClRegisterSap");
        }

        public long Echoed => Interlocked.Read(ref _echoed);

        public long NotEchoed => Interlocked.Read(ref _notEchoed);

        public int OutstandingPoolObjects => _pool.Outstanding;

        public void Unbind() => Ndis.FreeNetBufferListPool(_pool);

        public void ProtocolCoReceiveNetBufferLists(object? protocolBindingContext, object? protocolVcContext, NetBufferList netBufferLists,
            int numberOfNetBufferLists, ReceiveFlags receiveFlags)
        {
            var vc = (VirtualConnection)protocolVcContext!;
            NetBufferList? head = null, tail = null;
            int count = 0;
            for (var nbl = netBufferLists; nbl is not null; nbl = nbl.Next)
            {
                var echo = Ndis.AllocateNetBufferList(_pool, 0, 0);
                if (echo is null)
                {
                    Interlocked.Increment(ref _notEchoed);
                    continue;
                }
                var nb = echo.FirstNetBuffer!;
                nb.DataLength = nbl.FirstNetBuffer!.CopyUsedDataTo(0, nb.MdlChain!.Span);
                echo.Info.Ieee8021Q = nbl.Info.Ieee8021Q; // the NIC stripped the tag into the info; it goes back on the wire
                echo.SourceHandle = vc;
                if (tail is null)
                    head = echo;
                else
                    tail.Next = echo;
                tail = echo;
                count++;
            }
            if ((receiveFlags & ReceiveFlags.Resources) == 0)
                Ndis.ReturnNetBufferLists(_binding, netBufferLists, ReturnFlags.None);
            if (head is null)
                return;
            Interlocked.Add(ref _echoed, count);
            Ndis.CoSendNetBufferLists(vc, head, SendFlags.None);
        }

        public void ProtocolCoSendNetBufferListsComplete(object? protocolVcContext, NetBufferList netBufferLists, SendCompleteFlags sendCompleteFlags)
        {
            for (var nbl = netBufferLists; nbl is not null;)
            {
                var next = nbl.Next;
                nbl.Next = null;
                var nb = nbl.FirstNetBuffer!;
                nb.DataLength = nb.MdlChain!.ByteCount;
                nbl.Info.Ieee8021Q = default;
                Ndis.FreeNetBufferList(nbl);
                nbl = next;
            }
        }

        public NdisStatus ProtocolCoCreateVc(object? protocolAfContext, VirtualConnection ndisVcHandle, out object? protocolVcContext)
        {
            protocolVcContext = ndisVcHandle;
            return NdisStatus.Success;
        }

        public NdisStatus ProtocolCoDeleteVc(object? protocolVcContext) => NdisStatus.Success;

        public NdisStatus ProtocolClIncomingCall(object? protocolSapContext, object? protocolVcContext, CoCallParameters callParameters) => NdisStatus.Success;

        /// <summary>The network closed an echo VC (the rig is done): close it (the MCM deletes it after).</summary>
        public void ProtocolClIncomingCloseCall(NdisStatus closeStatus, object? protocolVcContext, ReadOnlyMemory<byte> closeData) =>
            Ndis.ClCloseCall((VirtualConnection)protocolVcContext!, null, ReadOnlyMemory<byte>.Empty);

        public void ProtocolClOpenAfCompleteEx(NdisStatus status, object? protocolAfContext, CoAfHandle ndisAfHandle)
        {
        }

        public void ProtocolClMakeCallComplete(NdisStatus status, object? protocolVcContext, CoParty? ndisPartyHandle, CoCallParameters callParameters)
        {
        }

        public void ProtocolClCloseCallComplete(NdisStatus status, object? protocolVcContext, object? protocolPartyContext)
        {
        }

        private static void Check(NdisStatus status, string what)
        {
            if (status != NdisStatus.Success)
                throw new InvalidOperationException($"far echo client: {what}: {status.Describe()}");
        }
    }
}
