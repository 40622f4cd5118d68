namespace Condis.Cli;

/// <summary>The device under the miniport (<c>--device</c>).</summary>
internal enum DeviceKind
{
    /// <summary>The simulated Ethernet NIC on a loopback link: every frame it transmits comes back into it.</summary>
    Loopback,

    /// <summary>The ATM device (cells, AAL5, signalling): chosen on the command line, refused until the ATM device lands.</summary>
    Atm,
}
