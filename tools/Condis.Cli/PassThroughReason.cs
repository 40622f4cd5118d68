namespace Condis.Cli;

/// <summary>Why a captured frame did not cross the device (it goes to the output untouched and is counted).</summary>
internal enum PassThroughReason
{
    /// <summary>Carried: the frame crosses the device.</summary>
    None,

    /// <summary>Not an Ethernet link type: the loopback NIC carries Ethernet frames only.</summary>
    LinkType,

    /// <summary>Longer than the NIC's largest frame.</summary>
    TooLong,

    /// <summary>A record with no bytes: there is no frame to send (a NET_BUFFER of length 0 is refused).</summary>
    Empty,
}
