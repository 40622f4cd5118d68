namespace CoNdis.Hardware.Atm;

/// <summary>ATM_ADDRESSTYPE: how an ATM_ADDRESS is coded (NDIS atm.h values).</summary>
public enum AtmAddressType
{
    /// <summary>ATM_NSAP: a 20-octet ATM end system address (NSAP format).</summary>
    Nsap = 0,
    /// <summary>ATM_E164: an E.164 number as IA5 digits.</summary>
    E164 = 1,
}
