namespace CoNdis.Translation.Adapters;

/// <summary>Which 5.x driver's call control a translated VC serves.</summary>
internal enum CallRole
{
    /// <summary>A data-path VC only (created by the adapter's own CreateVc, or without an AF).</summary>
    None,
    /// <summary>A 5.x client's VC: its call events go to the client's NDIS_CLIENT_CHARACTERISTICS handlers.</summary>
    Client,
    /// <summary>A stand-alone 5.x call manager's handle for the VC: it activates and deactivates it through the runtime.</summary>
    CallManager,
    /// <summary>A VC of a 5.x miniport's integrated call manager (MCM): its activation needs no MiniportCoActivateVc.</summary>
    IntegratedCallManager,
}
