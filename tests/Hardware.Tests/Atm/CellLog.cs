using CoNdis.Hardware.Atm;
using CoNdis.Hardware.Links;

namespace CoNdis.Hardware.Tests.Atm;

/// <summary>A tap that logs every cell the NIC transmits (header and line timestamp) before passing it on.</summary>
internal sealed class CellLog(ILinkPort inner) : LinkDecorator(inner, "cell log")
{
    private readonly List<(AtmCellHeader Header, long Nanoseconds)> _cells = [];

    public IReadOnlyList<(AtmCellHeader Header, long Nanoseconds)> Cells
    {
        get { lock (_cells) return [.. _cells]; }
    }

    /// <summary>Transmit timestamps of the user cells on <paramref name="vci"/>.</summary>
    public long[] TimesOn(int vci) => Cells.Where(c => c.Header.Vci == vci && c.Header.IsUserData).Select(c => c.Nanoseconds).ToArray();

    public override bool Transmit(LinkFrame frame)
    {
        if (!Inner.Transmit(frame))
            return false;
        lock (_cells)
            _cells.Add((AtmCellHeader.Read(frame.Data), frame.TimestampNanoseconds));
        return true;
    }
}
