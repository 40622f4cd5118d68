namespace CoNdis.NetBufferCore;

/// <summary>An NDIS object linked to the next of its kind through a Next field (MDL, NET_BUFFER, NET_BUFFER_LIST).</summary>
public interface ILinked<out T> where T : class
{
    /// <summary>The next object of the chain, or null at its end.</summary>
    T? Next { get; }
}
