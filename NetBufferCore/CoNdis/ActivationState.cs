namespace CoNdis.NetBufferCore.CoNdis;

/// <summary>Whether the miniport has the VC active (activate/deactivate may pend).</summary>
public enum ActivationState
{
    Inactive,
    Activating,
    Active,
    Deactivating,
}
