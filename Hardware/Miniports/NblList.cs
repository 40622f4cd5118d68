using CoNdis.NetBufferCore;

namespace CoNdis.Hardware.Miniports;

/// <summary>A head/tail pair of an NBL chain built on the stack (no allocation, no count).</summary>
internal struct NblList
{
    public NetBufferList? Head;
    public NetBufferList? Tail;

    public void Add(NetBufferList nbl)
    {
        nbl.Next = null;
        if (Tail is null)
            Head = nbl;
        else
            Tail.Next = nbl;
        Tail = nbl;
    }
}
