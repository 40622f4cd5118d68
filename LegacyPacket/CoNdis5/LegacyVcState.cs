namespace CoNdis.LegacyPacket.CoNdis5;

/// <summary>The life of a VC on the direct legacy binding (NdisCoCreateVc … NdisCoDeleteVc; Creating a VC,
/// Deactivating a VC, Deleting a VC).</summary>
public enum LegacyVcState
{
    /// <summary>Created (MiniportCoCreateVc succeeded), not active: no data may flow.</summary>
    Created,
    /// <summary>MiniportCoActivateVc returned PENDING.</summary>
    Activating,
    /// <summary>Active: sends and receives allowed.</summary>
    Active,
    /// <summary>MiniportCoDeactivateVc returned PENDING.</summary>
    Deactivating,
    /// <summary>Deactivated (the call is closed): sends complete with NDIS_STATUS_CLOSING.</summary>
    Deactivated,
    /// <summary>Deleted.</summary>
    Deleted,
}
