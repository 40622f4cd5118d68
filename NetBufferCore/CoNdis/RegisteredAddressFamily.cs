namespace CoNdis.NetBufferCore.CoNdis;

/// <summary>An address family a call manager registered on an adapter.</summary>
internal sealed record RegisteredAddressFamily(CoAddressFamily AddressFamily, ICoCallManager CallManager, object? CallMgrBindingContext,
    CoBinding? CallManagerBinding, bool IsIntegrated);
