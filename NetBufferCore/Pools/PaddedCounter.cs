using System.Runtime.InteropServices;

namespace CoNdis.NetBufferCore.Pools;

/// <summary>An int alone on its cache line, so the free list's two ends do not false-share.</summary>
[StructLayout(LayoutKind.Explicit, Size = 128)]
internal struct PaddedCounter
{
    [FieldOffset(64)] public int Value;
}
