namespace CoNdis.Hardware.Atm;

/// <summary>ATM service categories (ATM Forum TM 4.1; the values of NDIS's ATM_SERVICE_CATEGORY_* flags).</summary>
public enum AtmServiceCategory
{
    /// <summary>Constant bit rate: a peak cell rate.</summary>
    Cbr = 1,
    /// <summary>Variable bit rate: peak and sustainable cell rates and a maximum burst size.</summary>
    Vbr = 2,
    /// <summary>Unspecified bit rate (best effort): at most a peak cell rate.</summary>
    Ubr = 4,
    /// <summary>Available bit rate (not modelled beyond its peak rate).</summary>
    Abr = 8,
}
