namespace CoNdis.Hardware.Nic;

/// <summary>
/// The driver's interrupt handler, connected with <see cref="SimulatedNic.ConnectInterrupt"/> (what
/// NdisMRegisterInterruptEx registers: MiniportInterrupt + MiniportInterruptDPC, or NDIS 5's MiniportISR +
/// MiniportHandleInterrupt). The NIC calls it when moderation lets an interrupt through, on the device thread (or
/// inline), never twice at once.
/// </summary>
public interface INicInterruptHandler
{
    /// <summary>The DPC: <paramref name="causes"/> is the cause register read (and cleared) by the ISR.</summary>
    void InterruptDpc(NicInterruptCauses causes);
}
