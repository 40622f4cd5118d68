namespace CoNdis.Hardware.Nic;

/// <summary>Where the device's work and its interrupt DPC run.</summary>
public enum NicCompletionMode
{
    /// <summary>On the device's own thread, woken by doorbells (the default; like hardware plus a DPC on another CPU).</summary>
    DeviceThread,
    /// <summary>On the thread that rings the doorbell, before the doorbell call returns: deterministic, for unit tests.</summary>
    Inline,
}
