using System.Text;

namespace CoNdis.NetBufferCore.Diagnostics;

/// <summary>
/// Writes the layout of NBL chains, NBs and MDL chains as indented text (what !ndiskd.nbl shows in a
/// kernel debugger): per NB the data offset and length, per MDL its size, flags and which bytes are used.
/// </summary>
public static class LayoutWriter
{
    /// <summary>The layout of an NBL chain.</summary>
    public static string Describe(NetBufferList? head, int previewBytes = 16)
    {
        var text = new StringBuilder();
        foreach (var nbl in new LinkedChain<NetBufferList>(head))
            AppendNetBufferList(text, nbl, previewBytes);
        return text.ToString();
    }

    /// <summary>The layout of one NB.</summary>
    public static string Describe(NetBuffer netBuffer, int previewBytes = 16)
    {
        ArgumentNullException.ThrowIfNull(netBuffer);
        var text = new StringBuilder();
        AppendNetBuffer(text, netBuffer, "", previewBytes);
        return text.ToString();
    }

    private static void AppendNetBufferList(StringBuilder text, NetBufferList nbl, int previewBytes)
    {
        text.Append(nbl).Append(": ").Append(nbl.NetBufferCount).Append(" NB(s), status ").Append(nbl.Status.Describe());
        if (nbl.ParentNetBufferList is not null)
            text.Append(", parent ").Append(nbl.ParentNetBufferList);
        if (nbl.Context is not null)
            text.Append(", context ").Append(nbl.Context.Size).Append(" B used + ").Append(nbl.Context.Offset).Append(" B backfill");
        text.AppendLine();
        foreach (var nb in nbl.NetBuffers)
            AppendNetBuffer(text, nb, "  ", previewBytes);
    }

    private static void AppendNetBuffer(StringBuilder text, NetBuffer nb, string indent, int previewBytes)
    {
        text.Append(indent).Append(nb).Append(": DataOffset ").Append(nb.DataOffset).Append(", DataLength ").Append(nb.DataLength)
            .Append(", CurrentMdlOffset ").Append(nb.CurrentMdlOffset).Append(", physical count ").Append(nb.QueryPhysicalCount());
        if (nb.OutstandingRetreatAllocations > 0)
            text.Append(", ").Append(nb.OutstandingRetreatAllocations).Append(" retreat allocation(s)");
        text.AppendLine();
        int position = 0;
        int usedStart = nb.DataOffset, usedEnd = nb.DataOffset + nb.DataLength;
        foreach (var mdl in nb.Mdls)
        {
            int start = position, end = position + mdl.ByteCount;
            int used = Math.Max(0, Math.Min(end, usedEnd) - Math.Max(start, usedStart));
            text.Append(indent).Append("  ").Append(ReferenceEquals(mdl, nb.CurrentMdl) ? "> " : "  ").Append(mdl)
                .Append(" origin ").Append(mdl.Origin).Append(", bytes ").Append(start).Append('-').Append(end)
                .Append(", used ").Append(used).AppendLine();
            position = end;
        }
        if (previewBytes > 0 && nb.DataLength > 0)
        {
            Span<byte> preview = stackalloc byte[Math.Min(previewBytes, nb.DataLength)];
            nb.CopyUsedDataTo(0, preview);
            text.Append(indent).Append("  data: ").Append(Convert.ToHexString(preview));
            if (nb.DataLength > preview.Length)
                text.Append('…');
            text.AppendLine();
        }
    }
}
