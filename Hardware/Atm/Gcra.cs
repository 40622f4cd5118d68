namespace CoNdis.Hardware.Atm;

/// <summary>
/// The Generic Cell Rate Algorithm GCRA(I, L) in its virtual scheduling form (ITU-T I.371 §4.4.2, ATM Forum TM 4.1
/// §4.4.2): a cell arriving at t conforms when t ≥ TAT − L, the theoretical arrival time; a conforming cell moves TAT
/// to max(t, TAT) + I, a non-conforming one leaves it. Times are picoseconds on one device clock. A shaper sends each
/// cell no earlier than <see cref="EarliestConforming"/>; a policer tests arrivals with <see cref="Conforms"/>.
/// </summary>
public struct Gcra
{
    /// <summary>A GCRA with increment <paramref name="incrementPicoseconds"/> (1/rate) and limit <paramref name="limitPicoseconds"/> (tolerance).</summary>
    public Gcra(long incrementPicoseconds, long limitPicoseconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(incrementPicoseconds);
        ArgumentOutOfRangeException.ThrowIfNegative(limitPicoseconds);
        Increment = incrementPicoseconds;
        Limit = limitPicoseconds;
        TheoreticalArrival = long.MinValue / 2;
    }

    /// <summary>I: the cell interval of the rate (picoseconds); 0 means no limit.</summary>
    public long Increment { get; }

    /// <summary>L: the tolerance (CDVT, or the burst tolerance plus CDVT), picoseconds.</summary>
    public long Limit { get; }

    /// <summary>TAT: when the next cell is due at the contracted rate.</summary>
    public long TheoreticalArrival { get; private set; }

    /// <summary>True for an active algorithm (a rate was given).</summary>
    public readonly bool IsActive => Increment > 0;

    /// <summary>The earliest time a cell conforms: TAT − L.</summary>
    public readonly long EarliestConforming => IsActive ? TheoreticalArrival - Limit : long.MinValue / 2;

    /// <summary>Does a cell at <paramref name="time"/> conform?</summary>
    public readonly bool Conforms(long time) => !IsActive || time >= TheoreticalArrival - Limit;

    /// <summary>Accounts a conforming cell at <paramref name="time"/>: TAT = max(time, TAT) + I.</summary>
    public void Accept(long time)
    {
        if (IsActive)
            TheoreticalArrival = Math.Max(time, TheoreticalArrival) + Increment;
    }

    /// <summary>Forgets the history (the VC was reopened).</summary>
    public void Reset() => TheoreticalArrival = long.MinValue / 2;
}
