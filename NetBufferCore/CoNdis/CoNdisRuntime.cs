using CoNdis.NetBufferCore.Verifier;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CoNdis.NetBufferCore.CoNdis;

/// <summary>
/// The CoNDIS runtime: what NDIS itself does for connection-oriented drivers. It binds protocols (clients and
/// call managers) to miniport adapters, carries address-family, SAP, VC, call and party requests between them
/// in the order the DDIs define, and passes every NBL of the VC data path, checking NDIS's rules with the
/// <see cref="NdisVerifier"/> as it goes. The DDI-shaped entry points are on <see cref="Ndis"/>.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "NDIS is an object here: every DDI is a member of the runtime that owns the handles.")]
public sealed partial class CoNdisRuntime
{
    private readonly object _registrationLock = new();
    private readonly List<CoMiniportAdapter> _adapters = [];
    private int _nextVcId;

    public CoNdisRuntime(NdisVerifier? verifier = null, ILoggerFactory? loggerFactory = null)
    {
        Verifier = verifier ?? new NdisVerifier();
        Logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("CoNdis.Runtime");
    }

    /// <summary>The verifier every adapter, binding and NBL on this runtime answers to.</summary>
    public NdisVerifier Verifier { get; }

    internal ILogger Logger { get; }

    /// <summary>The registered adapters.</summary>
    public IReadOnlyList<CoMiniportAdapter> Adapters
    {
        get { lock (_registrationLock) return [.. _adapters]; }
    }

    /// <summary>Registers a CoNDIS miniport adapter (NdisMRegisterMiniportDriver + MiniportInitializeEx).</summary>
    public CoMiniportAdapter RegisterMiniport(string name, ICoMiniport miniport, object? adapterContext = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(miniport);
        var adapter = new CoMiniportAdapter(this, name, miniport, adapterContext);
        lock (_registrationLock)
            _adapters.Add(adapter);
        return adapter;
    }

    /// <summary>
    /// Binds a protocol to an adapter (NdisOpenAdapterEx). The protocol is a client if it implements
    /// <see cref="ICoClient"/>, a call manager if it implements <see cref="ICoCallManager"/>. Address
    /// families already registered on the adapter are announced to it (ProtocolCoAfRegisterNotify).
    /// </summary>
    public CoBinding OpenAdapter(CoMiniportAdapter adapter, string name, object protocol, object? protocolBindingContext = null)
    {
        ArgumentNullException.ThrowIfNull(adapter);
        ArgumentNullException.ThrowIfNull(protocol);
        if (protocol is not ICoProtocol and not ICoCallManager)
            throw new ArgumentException("A CoNDIS protocol implements ICoClient/ICoProtocol, ICoCallManager, or both.", nameof(protocol));
        var binding = new CoBinding(adapter, name, protocol, protocolBindingContext);
        RegisteredAddressFamily[] known;
        lock (_registrationLock)
        {
            adapter.Bindings.Add(binding);
            known = [.. adapter.AddressFamilies];
        }
        if (protocol is ICoProtocol notified)
        {
            foreach (var af in known)
                notified.ProtocolCoAfRegisterNotify(protocolBindingContext, af.AddressFamily);
        }
        return binding;
    }

    /// <summary>NdisCmRegisterAddressFamilyEx: a stand-alone call manager registers an AF on its binding.</summary>
    public NdisStatus CmRegisterAddressFamilyEx(CoBinding callManagerBinding, CoAddressFamily addressFamily)
    {
        ArgumentNullException.ThrowIfNull(callManagerBinding);
        return RegisterAddressFamily(callManagerBinding.Adapter,
            new RegisteredAddressFamily(addressFamily, callManagerBinding.CallManager, callManagerBinding.ProtocolBindingContext, callManagerBinding, IsIntegrated: false));
    }

    /// <summary>NdisMCmRegisterAddressFamilyEx: a miniport with an integrated call manager registers an AF.</summary>
    public NdisStatus MCmRegisterAddressFamilyEx(CoMiniportAdapter adapter, CoAddressFamily addressFamily)
    {
        ArgumentNullException.ThrowIfNull(adapter);
        var callManager = adapter.Miniport as ICoCallManager
            ?? throw new InvalidOperationException($"{adapter}'s miniport does not implement ICoCallManager, so it cannot be an MCM.");
        return RegisterAddressFamily(adapter, new RegisteredAddressFamily(addressFamily, callManager, adapter.AdapterContext, null, IsIntegrated: true));
    }

    private NdisStatus RegisterAddressFamily(CoMiniportAdapter adapter, RegisteredAddressFamily registered)
    {
        CoBinding[] bindings;
        lock (_registrationLock)
        {
            if (adapter.AddressFamilies.Any(a => a.AddressFamily.AddressFamily == registered.AddressFamily.AddressFamily))
                return NdisStatus.Failure; // only one call manager may own an AF on an adapter
            adapter.AddressFamilies.Add(registered);
            bindings = [.. adapter.Bindings];
        }
        CoNdisLog.AddressFamilyRegistered(Logger, adapter, registered.AddressFamily.AddressFamily,
            registered.IsIntegrated ? "its MCM" : registered.CallManagerBinding!.Name);
        foreach (var binding in bindings)
        {
            if (binding != registered.CallManagerBinding && binding.Protocol is ICoProtocol protocol)
                protocol.ProtocolCoAfRegisterNotify(binding.ProtocolBindingContext, registered.AddressFamily);
        }
        return NdisStatus.Success;
    }

    /// <summary>NdisClOpenAddressFamilyEx: a client opens an AF a call manager registered on its adapter.</summary>
    public NdisStatus ClOpenAddressFamilyEx(CoBinding clientBinding, CoAddressFamily addressFamily, object? clientAfContext, out CoAfHandle? ndisAfHandle)
    {
        ArgumentNullException.ThrowIfNull(clientBinding);
        _ = clientBinding.Client;
        RegisteredAddressFamily? registered;
        lock (_registrationLock)
            registered = clientBinding.Adapter.AddressFamilies.FirstOrDefault(a => a.AddressFamily.AddressFamily == addressFamily.AddressFamily);
        ndisAfHandle = null;
        if (registered is null)
            return NdisStatus.Failure;
        var handle = new CoAfHandle(clientBinding, registered, clientAfContext);
        ndisAfHandle = handle;
        var status = registered.CallManager.ProtocolCmOpenAf(registered.CallMgrBindingContext, addressFamily, handle, out var cmAfContext);
        handle.CmAfContext = cmAfContext;
        if (status == NdisStatus.Success)
            handle.IsOpen = true;
        return status;
    }

    /// <summary>NdisCmOpenAddressFamilyComplete (and the MCm form): finishes a pended open.</summary>
    public void CmOpenAddressFamilyComplete(NdisStatus status, CoAfHandle ndisAfHandle, object? callMgrAfContext)
    {
        ArgumentNullException.ThrowIfNull(ndisAfHandle);
        ndisAfHandle.CmAfContext = callMgrAfContext;
        ndisAfHandle.IsOpen = status == NdisStatus.Success;
        ndisAfHandle.ClientBinding.Client.ProtocolClOpenAfCompleteEx(status, ndisAfHandle.ClientAfContext, ndisAfHandle);
    }

    /// <summary>NdisClCloseAddressFamily: only after every call on it is closed, its VCs deleted and its SAPs deregistered.</summary>
    public NdisStatus ClCloseAddressFamily(CoAfHandle ndisAfHandle)
    {
        ArgumentNullException.ThrowIfNull(ndisAfHandle);
        if (!ndisAfHandle.IsOpen)
            throw new CoNdisStateException($"NdisClCloseAddressFamily on {ndisAfHandle}, which is not open.");
        if (Volatile.Read(ref ndisAfHandle.OpenVcs) > 0 || Volatile.Read(ref ndisAfHandle.OpenSaps) > 0)
            throw new CoNdisStateException($"NdisClCloseAddressFamily on {ndisAfHandle} with {ndisAfHandle.OpenVcs} VC(s) and {ndisAfHandle.OpenSaps} SAP(s) still open.");
        var status = ndisAfHandle.Registered.CallManager.ProtocolCmCloseAf(ndisAfHandle.CmAfContext);
        if (status == NdisStatus.Success)
            ndisAfHandle.IsOpen = false;
        return status;
    }

    /// <summary>NdisCmCloseAddressFamilyComplete (and the MCm form).</summary>
    public void CmCloseAddressFamilyComplete(NdisStatus status, CoAfHandle ndisAfHandle)
    {
        ArgumentNullException.ThrowIfNull(ndisAfHandle);
        if (status == NdisStatus.Success)
            ndisAfHandle.IsOpen = false;
        ndisAfHandle.ClientBinding.Client.ProtocolClCloseAfComplete(status, ndisAfHandle.ClientAfContext);
    }

    /// <summary>NdisClRegisterSap: incoming calls to <paramref name="sap"/> will be offered to this client.</summary>
    public NdisStatus ClRegisterSap(CoAfHandle ndisAfHandle, object? protocolSapContext, CoSap sap, out CoSapHandle ndisSapHandle)
    {
        ArgumentNullException.ThrowIfNull(ndisAfHandle);
        ArgumentNullException.ThrowIfNull(sap);
        RequireOpen(ndisAfHandle, "NdisClRegisterSap");
        var handle = new CoSapHandle(ndisAfHandle, sap, protocolSapContext);
        ndisSapHandle = handle;
        Interlocked.Increment(ref ndisAfHandle.OpenSaps);
        var status = ndisAfHandle.Registered.CallManager.ProtocolCmRegisterSap(ndisAfHandle.CmAfContext, sap, handle, out var cmSapContext);
        handle.CmSapContext = cmSapContext;
        FinishSapRegistration(handle, status);
        return status;
    }

    /// <summary>NdisCmRegisterSapComplete (and the MCm form).</summary>
    public void CmRegisterSapComplete(NdisStatus status, CoSapHandle ndisSapHandle, object? callMgrSapContext)
    {
        ArgumentNullException.ThrowIfNull(ndisSapHandle);
        ndisSapHandle.CmSapContext = callMgrSapContext;
        FinishSapRegistration(ndisSapHandle, status);
        ndisSapHandle.AddressFamily.ClientBinding.Client.ProtocolClRegisterSapComplete(status, ndisSapHandle.ClientSapContext, ndisSapHandle.Sap, ndisSapHandle);
    }

    /// <summary>NdisClDeregisterSap.</summary>
    public NdisStatus ClDeregisterSap(CoSapHandle ndisSapHandle)
    {
        ArgumentNullException.ThrowIfNull(ndisSapHandle);
        if (!ndisSapHandle.IsRegistered)
            throw new CoNdisStateException($"NdisClDeregisterSap on {ndisSapHandle}, which is not registered.");
        var status = ndisSapHandle.AddressFamily.Registered.CallManager.ProtocolCmDeregisterSap(ndisSapHandle.CmSapContext);
        if (status == NdisStatus.Success)
            FinishSapDeregistration(ndisSapHandle);
        return status;
    }

    /// <summary>NdisCmDeregisterSapComplete (and the MCm form).</summary>
    public void CmDeregisterSapComplete(NdisStatus status, CoSapHandle ndisSapHandle)
    {
        ArgumentNullException.ThrowIfNull(ndisSapHandle);
        if (status == NdisStatus.Success)
            FinishSapDeregistration(ndisSapHandle);
        ndisSapHandle.AddressFamily.ClientBinding.Client.ProtocolClDeregisterSapComplete(status, ndisSapHandle.ClientSapContext);
    }

    private static void FinishSapRegistration(CoSapHandle sap, NdisStatus status)
    {
        if (status == NdisStatus.Success)
            sap.IsRegistered = true;
        else if (status != NdisStatus.Pending)
            Interlocked.Decrement(ref sap.AddressFamily.OpenSaps);
    }

    private static void FinishSapDeregistration(CoSapHandle sap)
    {
        sap.IsRegistered = false;
        Interlocked.Decrement(ref sap.AddressFamily.OpenSaps);
    }

    private static void RequireOpen(CoAfHandle af, string ddi)
    {
        if (!af.IsOpen)
            throw new CoNdisStateException($"{ddi} on {af}, which is not open.");
    }

    internal int NextVcId() => Interlocked.Increment(ref _nextVcId);
}
