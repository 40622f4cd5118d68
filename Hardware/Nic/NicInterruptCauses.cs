namespace CoNdis.Hardware.Nic;

/// <summary>The interrupt cause register (ICR): why the NIC interrupted; read once per interrupt by the DPC.</summary>
[Flags]
public enum NicInterruptCauses
{
    None = 0,
    /// <summary>TXDW: transmit descriptors were written back.</summary>
    TransmitDone = 0x01,
    /// <summary>RXT: frames were received into posted buffers.</summary>
    ReceiveDone = 0x02,
    /// <summary>LSC: the link went up or down.</summary>
    LinkStatusChange = 0x04,
    /// <summary>The device finished a reset (driver-requested or its own after a fatal error): every descriptor it held is gone.</summary>
    ResetDone = 0x08,
    /// <summary>The receive FIFO overflowed (frames dropped).</summary>
    ReceiveOverrun = 0x10,
}
