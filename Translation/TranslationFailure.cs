namespace CoNdis.Translation;

/// <summary>
/// Why a translation step did not succeed without a copy. The first group explains
/// <see cref="TranslationOutcome.OutOfResources"/>, the second <see cref="TranslationOutcome.CannotTranslate"/>.
/// Counted per cause in <see cref="TranslationCounts"/>.
/// </summary>
public enum TranslationFailure
{
    /// <summary>No failure.</summary>
    None,

    /// <summary>The NDIS_PACKET pool had no free descriptor.</summary>
    PacketPoolEmpty,

    /// <summary>The MDL pool for partial MDLs had no free descriptor.</summary>
    MdlPoolEmpty,

    /// <summary>The per-NBL completion record pool was exhausted.</summary>
    CompletionPoolEmpty,

    /// <summary>The NBL pool (wrapping or copying) was exhausted.</summary>
    NetBufferListPoolEmpty,

    /// <summary>No memory for a bounce buffer.</summary>
    BounceMemoryEmpty,

    /// <summary>An NBL without any NET_BUFFER.</summary>
    EmptyNetBufferList,

    /// <summary>A NET_BUFFER with no used data (DataLength 0).</summary>
    EmptyNetBuffer,

    /// <summary>A NET_BUFFER whose CurrentMdl/CurrentMdlOffset/DataLength do not fit its MDL chain (I1, I4 of
    /// NetBuffer.CheckInvariants; NET_BUFFER structure (nbl.h)).</summary>
    InvalidNetBuffer,

    /// <summary>Per-NBL information a 5.x driver cannot be given (LSO v2: 5.x knows LSO v1 only, its
    /// TcpLargeSendPacketInfo holding just the MSS, ndis.h).</summary>
    UnsupportedOffload,

    /// <summary>A packet with no data (no buffers, or buffers totalling 0 bytes).</summary>
    EmptyPacket,

    /// <summary>A resources copy of a packet larger than the copy pool's DataSize.</summary>
    PacketTooLarge,
}
