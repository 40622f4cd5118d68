namespace CoNdis.NetBufferCore;

/// <summary>MDL flags the model uses (wdm.h values).</summary>
[Flags]
public enum MdlFlags : ushort
{
    None = 0,
    MappedToSystemVa = 0x0001,
    PagesLocked = 0x0002,
    SourceIsNonPagedPool = 0x0004,
    AllocatedFixedSize = 0x0008,
    Partial = 0x0010,
    PartialHasBeenMapped = 0x0020,
    NetworkHeader = 0x1000,
}
