namespace CoNdis.NetBufferCore.CoNdis;

/// <summary>CO_MEDIA_PARAMETERS: flags, receive priority and size hint, media-specific data (for ATM, the VPI/VCI).</summary>
public sealed record CoMediaParameters(MediaParametersFlags Flags, uint ReceivePriority, uint ReceiveSizeHint, CoSpecificParameters MediaSpecific);
