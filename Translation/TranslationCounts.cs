using System.Runtime.CompilerServices;

namespace CoNdis.Translation;

/// <summary>
/// Counts of one batch of translation work, kept in a local by the caller (passed by <c>ref</c>) and
/// folded into the shared <see cref="TranslationCounters"/> once per batch: no interlocked operation
/// per packet (ARCHITECTURE.md, "Batches").
/// </summary>
public struct TranslationCounts
{
    private FailureSlots _failures;

    /// <summary>NDIS_PACKETs built from NET_BUFFERs.</summary>
    public long PacketsBuilt { get; set; }

    /// <summary>NET_BUFFER_LISTs built from packets (wrapped or copied).</summary>
    public long NetBufferListsBuilt { get; set; }

    /// <summary>Partial MDLs built to describe an offset start or a trimmed tail.</summary>
    public long PartialMdls { get; set; }

    /// <summary>Original MDLs put into a packet's chain as they were (the shared suffix).</summary>
    public long SharedMdls { get; set; }

    /// <summary>Bytes copied (bounce buffers and resources copies).</summary>
    public long BytesCopied { get; set; }

    /// <summary>Packets indicated with NDIS_STATUS_RESOURCES that were copied into runtime-owned NBLs.</summary>
    public long ResourcesCopies { get; set; }

    /// <summary>NET_BUFFERs copied into a bounce buffer (<see cref="TranslationOutcome.BounceRequired"/> on send).</summary>
    public long BounceCopies { get; set; }

    /// <summary>Translated packets completed (or returned) and freed.</summary>
    public long PacketsCompleted { get; set; }

    /// <summary>NBLs completed (or returned) once all of their packets were.</summary>
    public long NetBufferListsCompleted { get; set; }

    /// <summary>Steps that ended <see cref="TranslationOutcome.OutOfResources"/>.</summary>
    public long OutOfResources { get; set; }

    /// <summary>Steps that ended <see cref="TranslationOutcome.CannotTranslate"/>.</summary>
    public long CannotTranslate { get; set; }

    /// <summary>Failures of one cause (OutOfResources and CannotTranslate causes alike).</summary>
    public readonly long Failures(TranslationFailure cause) => _failures[(int)cause];

    /// <summary>True when nothing was counted.</summary>
    public readonly bool IsEmpty =>
        (PacketsBuilt | NetBufferListsBuilt | PartialMdls | SharedMdls | BytesCopied | ResourcesCopies | BounceCopies
         | PacketsCompleted | NetBufferListsCompleted | OutOfResources | CannotTranslate) == 0
        && NoFailures();

    internal void AddFailure(TranslationFailure cause) => _failures[(int)cause]++;

    private readonly bool NoFailures()
    {
        for (int i = 0; i < FailureSlots.Length; i++)
        {
            if (_failures[i] != 0)
                return false;
        }
        return true;
    }

    /// <summary>Adds every count of <paramref name="other"/> to this one.</summary>
    public void Add(in TranslationCounts other)
    {
        PacketsBuilt += other.PacketsBuilt;
        NetBufferListsBuilt += other.NetBufferListsBuilt;
        PartialMdls += other.PartialMdls;
        SharedMdls += other.SharedMdls;
        BytesCopied += other.BytesCopied;
        ResourcesCopies += other.ResourcesCopies;
        BounceCopies += other.BounceCopies;
        PacketsCompleted += other.PacketsCompleted;
        NetBufferListsCompleted += other.NetBufferListsCompleted;
        OutOfResources += other.OutOfResources;
        CannotTranslate += other.CannotTranslate;
        for (int i = 0; i < FailureSlots.Length; i++)
            _failures[i] += other._failures[i];
    }

    /// <inheritdoc />
    public override readonly string ToString() =>
        $"packets {PacketsBuilt}, NBLs {NetBufferListsBuilt}, partial MDLs {PartialMdls}, shared MDLs {SharedMdls}, " +
        $"bytes copied {BytesCopied}, resources copies {ResourcesCopies}, bounces {BounceCopies}, " +
        $"completed {PacketsCompleted} packets / {NetBufferListsCompleted} NBLs, out of resources {OutOfResources}, cannot translate {CannotTranslate}";

    [InlineArray(Length)]
    private struct FailureSlots
    {
        public const int Length = (int)TranslationFailure.PacketTooLarge + 1;
        private long _first;
    }
}
