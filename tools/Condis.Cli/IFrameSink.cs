namespace Condis.Cli;

/// <summary>Where a client hands each frame its receive handler got (ProtocolCoReceiveNetBufferLists / ProtocolCoReceivePacket), while the bytes are still the indication's.</summary>
internal interface IFrameSink
{
    void Received(ReadOnlySpan<byte> frame);
}
