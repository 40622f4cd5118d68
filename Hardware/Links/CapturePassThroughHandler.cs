using CoNdis.Hardware.Capture;

namespace CoNdis.Hardware.Links;

/// <summary>Called for a captured frame the NIC cannot carry, when a capture replay passes such frames through untouched.</summary>
public delegate void CapturePassThroughHandler(in CapturePacket packet);
