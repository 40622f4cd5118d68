namespace CoNdis.Hardware.Links;

/// <summary>What the wire did to a frame.</summary>
[Flags]
public enum LinkFrameFlags
{
    None = 0,
    /// <summary>The frame arrives with a bad frame check sequence (a corrupted bit the CRC catches): receivers discard it.</summary>
    FcsError = 0x01,
}
